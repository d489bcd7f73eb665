import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PeerId, ResumeToken } from '../../protocol/index.js';

/** 9 random bytes make 12 base64url characters: unguessable, and short enough to read in a log line. */
export function mintPeerId(): PeerId {
  return randomBytes(9).toString('base64url');
}

/**
 * A resume token is base64url(HMAC-SHA256(secret, peerId)). Being stateless, it outlives a restart that lost
 * every room: the server recognises its own signature without remembering having given it out.
 */
export function resumeToken(secret: string, peerId: PeerId): ResumeToken {
  return createHmac('sha256', secret).update(peerId).digest('base64url');
}

/** Constant-time comparison, so response times say nothing about how much of a forged token was right. */
export function isValidResumeToken(secret: string, peerId: PeerId, token: string): boolean {
  const expected = Buffer.from(resumeToken(secret, peerId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
