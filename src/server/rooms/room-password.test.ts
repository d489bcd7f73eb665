import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SCRYPT_PARAMS, hashRoomPassword, verifyRoomPassword } from './room-password.js';

vi.mock('node:crypto', { spy: true });

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
  vi.mocked(crypto.scrypt).mockClear();
});

describe('hashRoomPassword', () => {
  it('keeps no trace of the password, and states its parameters and salt', async () => {
    const hash = await hashRoomPassword('correct horse');
    expect(hash).not.toContain('correct');
    const [scheme, n, r, p, salt, key] = hash.split('$');
    expect({ scheme, N: Number(n), r: Number(r), p: Number(p) }).toEqual({
      scheme: 'scrypt',
      ...SCRYPT_PARAMS,
    });
    expect(Buffer.from(salt ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64url')).toHaveLength(32);
  });

  it('salts each hash at random: one password, two different hashes', async () => {
    const [first, second] = await Promise.all([hashRoomPassword('same'), hashRoomPassword('same')]);
    expect(first).not.toBe(second);
    expect(await verifyRoomPassword('same', first)).toBe(true);
    expect(await verifyRoomPassword('same', second)).toBe(true);
  });

  it("hashes with scrypt's asynchronous form, off the event loop", async () => {
    let ticks = 0;
    const ticking = setInterval(() => (ticks += 1), 1);
    const hashing = hashRoomPassword('hunter2');
    await hashing;
    clearInterval(ticking);
    expect(crypto.scrypt).toHaveBeenCalledTimes(1);
    // The loop kept turning while the hash (about 100 ms of one core) was made.
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('verifyRoomPassword', () => {
  it('accepts the password and refuses anything else', async () => {
    const hash = await hashRoomPassword('Tr0ub4dor&3');
    expect(await verifyRoomPassword('Tr0ub4dor&3', hash)).toBe(true);
    for (const guess of ['tr0ub4dor&3', 'Tr0ub4dor&3 ', 'Tr0ub4dor', '', 'x'.repeat(128)]) {
      expect(await verifyRoomPassword(guess, hash), guess).toBe(false);
    }
  });

  it('treats the composed and decomposed forms of one accented password as the same', async () => {
    const hash = await hashRoomPassword('caf\u00e9');
    expect(await verifyRoomPassword('cafe\u0301', hash)).toBe(true);
  });

  it('compares derived keys with timingSafeEqual, right or wrong', async () => {
    const hash = await hashRoomPassword('open sesame');
    await verifyRoomPassword('open sesame', hash);
    await verifyRoomPassword('open barley', hash);
    const compare = vi.mocked(crypto.timingSafeEqual);
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [a, b] of compare.mock.calls) {
      // Both sides are whole derived keys of one length: never the password, never a prefix.
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it.each([
    ['empty', ''],
    ['another scheme', 'bcrypt$2b$10$abcdefghijklmnopqrstuv'],
    [
      'N not a power of two',
      'scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    ['N too large', 'scrypt$1048576$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['r of zero', 'scrypt$16384$0$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a truncated key', 'scrypt$16384$8$5$AAAAAAAAAAAAAAAAAAAAAA$AAA'],
  ])('matches nothing against a malformed hash (%s), without hashing', async (_label, hash) => {
    expect(await verifyRoomPassword('anything', hash)).toBe(false);
    expect(crypto.scrypt).not.toHaveBeenCalled();
  });
});
