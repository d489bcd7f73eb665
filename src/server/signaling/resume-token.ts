import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import * as z from 'zod/mini';
import type { PeerId, ResumeToken, RoomName } from '../../protocol/index.js';
import type { PasswordHash } from '../rooms/index.js';

/** 9 random bytes make 12 base64url characters: unguessable, and short enough to read in a log line. */
export function mintPeerId(): PeerId {
  return randomBytes(9).toString('base64url');
}

/**
 * How long a resume token is honoured after it was given out. Every join and resume gives out a new one, so
 * this bounds only how long a copied token stays useful, and how long a server must remember that a peer
 * left (see `revoked-resumes.ts`). A day covers any outage people would wait out.
 */
export const RESUME_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** What a resume token vouches for. */
export interface ResumeClaims {
  readonly peerId: PeerId;
  /** The only room the token resumes into: a token for room A is no key to room B. */
  readonly room: RoomName;
  /** When it was given out (ms since the epoch); a `leave` after this time revokes it. */
  readonly issuedAt: number;
  readonly expiresAt: number;
  /**
   * The room's lock when the peer was admitted (null: open). After a restart that lost the room, the first
   * resume opens it again with this very lock, so it is neither left open nor locked by whoever comes first.
   */
  readonly lock: PasswordHash | null;
}

/** The token's plaintext, parsed like any other data that came back from a client. */
const Claims = z.strictObject({
  p: z.string().check(z.maxLength(64)),
  r: z.string().check(z.maxLength(256)),
  i: z.number().check(z.int(), z.minimum(0)),
  e: z.number().check(z.int(), z.minimum(0)),
  l: z.nullable(z.string().check(z.maxLength(512))),
});

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM rather than a bare HMAC: the token carries the room's scrypt hash, which the holder must not
 * be able to read (it would let anyone who sees a token guess the password offline), and GCM's tag
 * authenticates it like a signature would. The key is derived from the server secret, so a token is still
 * stateless and outlives a restart that lost every room.
 */
function tokenKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('parley resume token v2').digest();
}

/** Gives out a token for `claims`, valid from `now` for {@link RESUME_TOKEN_LIFETIME_MS}. */
export function issueResumeToken(
  secret: string,
  claims: Pick<ResumeClaims, 'peerId' | 'room' | 'lock'>,
  now = Date.now(),
): ResumeToken {
  const plain = JSON.stringify({
    p: claims.peerId,
    r: claims.room,
    i: now,
    e: now + RESUME_TOKEN_LIFETIME_MS,
    l: claims.lock,
  });
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(secret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * The claims of a token this server (or another with its secret) gave out and that has not expired at
 * `now`; undefined for anything else (forged, altered, expired).
 */
export function openResumeToken(secret: string, token: string, now = Date.now()): ResumeClaims | undefined {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(secret), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    plain = Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    // The tag did not match: not ours, or altered.
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(plain);
  } catch {
    return undefined;
  }
  const parsed = Claims.safeParse(json);
  if (!parsed.success || parsed.data.e <= now) return undefined;
  const { p, r, i, e, l } = parsed.data;
  return { peerId: p, room: r, issuedAt: i, expiresAt: e, lock: l };
}
