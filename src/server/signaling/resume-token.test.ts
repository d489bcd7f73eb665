import { describe, expect, it } from 'vitest';
import { ResumeToken } from '../../protocol/index.js';
import { RESUME_TOKEN_LIFETIME_MS, issueResumeToken, openResumeToken } from './resume-token.js';

const SECRET = 'a-secret-for-the-resume-token-tests';
const LOCK = `scrypt$16384$8$5$${'s'.repeat(22)}$${'k'.repeat(43)}`;

describe('resume tokens', () => {
  it('carry the peer, its room and the lock it was admitted under, and fit the protocol schema', () => {
    const now = 1_700_000_000_000;
    const token = issueResumeToken(SECRET, { peerId: 'peer-000001', room: 'kitchen', lock: LOCK }, now);
    expect(ResumeToken.safeParse(token).success).toBe(true);
    expect(openResumeToken(SECRET, token, now + 1)).toEqual({
      peerId: 'peer-000001',
      room: 'kitchen',
      issuedAt: now,
      expiresAt: now + RESUME_TOKEN_LIFETIME_MS,
      lock: LOCK,
    });
  });

  it('hide the lock from whoever holds the token', () => {
    const token = issueResumeToken(SECRET, { peerId: 'peer-000001', room: 'kitchen', lock: LOCK });
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('scrypt');
  });

  it('are refused once expired, altered, or opened with another secret', () => {
    const now = 1_700_000_000_000;
    const token = issueResumeToken(SECRET, { peerId: 'peer-000001', room: 'kitchen', lock: null }, now);
    expect(openResumeToken(SECRET, token, now + RESUME_TOKEN_LIFETIME_MS)).toBeUndefined();
    const altered = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect(openResumeToken(SECRET, altered, now)).toBeUndefined();
    expect(openResumeToken('another-secret-entirely', token, now)).toBeUndefined();
    expect(openResumeToken(SECRET, 'short', now)).toBeUndefined();
  });
});
