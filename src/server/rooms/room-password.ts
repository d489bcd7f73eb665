import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * A room's password as the registry keeps it: `scrypt$<N>$<r>$<p>$<salt>$<key>`, salt and key in base64url.
 * The parameters travel with the hash, so stronger ones can be chosen later without breaking rooms that are
 * open at the time. The password itself is kept nowhere.
 */
export type PasswordHash = string;

/**
 * scrypt's cost: N = 2^14 (16 MiB per hash, as 128·N·r bytes), r = 8, p = 5. This is one of the settings of
 * equal strength that OWASP's Password Storage Cheat Sheet recommends
 * (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt): the one with the
 * least memory, because a flood of guesses can keep all of libuv's threads hashing at once. About 140 ms of
 * one core on the reference machine; guesses are limited per client address and room on top of that.
 */
export const SCRYPT_PARAMS = { N: 2 ** 14, r: 8, p: 5 } as const;
/** Random bytes of salt per room (NIST SP 800-63B asks for at least 32 bits; 128 is customary). */
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on parameters read back from a stored hash, so a damaged or planted value cannot ask for gigabytes. */
const MAX_COST = { N: 2 ** 17, r: 16, p: 16 } as const;

const HASH_PATTERN =
  /^scrypt\$(\d{1,7})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{16,128})$/;

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * scrypt's asynchronous form, which runs on libuv's thread pool: signaling goes on while a password is
 * hashed. (`crypto.scryptSync` would stop every socket for the whole hash.)
 */
function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  // Room for the 128·N·r bytes scrypt needs, with margin: Node refuses anything above `maxmem`.
  const maxmem = 256 * params.N * params.r;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem }, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** Hashes a room password with a fresh random salt. */
export async function hashRoomPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_PARAMS, KEY_BYTES);
  const { N, r, p } = SCRYPT_PARAMS;
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/**
 * Whether `password` is the one `hash` was made from. The keys are compared with `timingSafeEqual`, so the
 * time taken says nothing about how much of a guess was right. A malformed hash matches nothing.
 */
export async function verifyRoomPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

function parseHash(hash: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const match = HASH_PATTERN.exec(hash);
  if (!match) return undefined;
  const [, n, r, p, salt, key] = match;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const powerOfTwo = params.N > 1 && (params.N & (params.N - 1)) === 0;
  if (!powerOfTwo || params.N > MAX_COST.N) return undefined;
  if (params.r < 1 || params.r > MAX_COST.r || params.p < 1 || params.p > MAX_COST.p) return undefined;
  return { params, salt: Buffer.from(salt ?? '', 'base64url'), key: Buffer.from(key ?? '', 'base64url') };
}
