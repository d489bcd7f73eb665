import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CODE_DIGITS,
  VERIFICATION_LABEL,
  codeForFingerprints,
  fingerprintsOf,
  formatCode,
  verificationCode,
  verificationInput,
} from './verification.js';

const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
const ASCENDING = hex(Array.from({ length: 32 }, (_, i) => i));
const DESCENDING = hex(Array.from({ length: 32 }, (_, i) => 255 - i));

/** A description as Chromium writes it: the fingerprint repeated in every media section. */
function sdp(...fingerprints: string[]): string {
  const media = (kind: string) => [`m=${kind} 9 UDP/TLS/RTP/SAVPF 96`, 'c=IN IP4 0.0.0.0'];
  return [
    'v=0',
    'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    ...media('audio'),
    ...fingerprints.map((f) => `a=fingerprint:${f}`),
    'a=setup:actpass',
    ...media('video'),
    ...fingerprints.map((f) => `a=fingerprint:${f}`),
    '',
  ].join('\r\n');
}

const pc = (local: string | undefined, remote: string | undefined) => ({
  currentLocalDescription: local === undefined ? null : { sdp: local },
  currentRemoteDescription: remote === undefined ? null : { sdp: remote },
});

describe('fingerprintsOf', () => {
  it('reads every a=fingerprint line once, normalised and sorted', () => {
    expect(fingerprintsOf(sdp(`SHA-256 ${ASCENDING.toLowerCase()}`))).toEqual([`sha-256 ${ASCENDING}`]);
    expect(fingerprintsOf(sdp(`sha-512 ${DESCENDING}`, `sha-256 ${ASCENDING}`))).toEqual([
      `sha-256 ${ASCENDING}`,
      `sha-512 ${DESCENDING}`,
    ]);
  });

  it.each([
    ['no description', undefined],
    ['an empty description', ''],
    ['a description without fingerprints', 'v=0\r\ns=-\r\n'],
    ['a fingerprint without a hash name', `v=0\r\na=fingerprint:${ASCENDING}\r\n`],
    ['a fingerprint that is not hex', sdp(`sha-256 ${ASCENDING.replace('0A', 'ZZ')}`)],
    ['a fingerprint with a dangling colon', sdp(`sha-256 ${ASCENDING}:`)],
    ['a fingerprint too short to mean anything', sdp('sha-256 AB:CD')],
    ['one good and one broken fingerprint', sdp(`sha-256 ${ASCENDING}`, 'sha-256 nonsense')],
  ])('gives undefined for %s', (_label, description) => {
    expect(fingerprintsOf(description)).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const result = fingerprintsOf(`a=fingerprint:${text}\n${text}`);
        expect(result === undefined || Array.isArray(result)).toBe(true);
      }),
    );
  });
});

describe('the verification code', () => {
  it('matches a known value (so that the scheme cannot change by accident)', async () => {
    expect(verificationInput([`sha-256 ${DESCENDING}`], [`sha-256 ${ASCENDING}`])).toBe(
      `${VERIFICATION_LABEL}\nsha-256 ${ASCENDING}\nsha-256 ${DESCENDING}`,
    );
    // SHA-256 of that text begins 03ff767d7220f80c: 0x03ff767d7220f80c mod 10^15 = 079182332753932.
    expect(await codeForFingerprints([`sha-256 ${ASCENDING}`], [`sha-256 ${DESCENDING}`])).toBe(
      '079 182 332 753 932',
    );
  });

  it('is the same from both sides of the connection', async () => {
    const alice = sdp(`sha-256 ${ASCENDING}`);
    const bob = sdp(`sha-256 ${DESCENDING}`);
    const seenByAlice = await verificationCode(pc(alice, bob));
    expect(seenByAlice).toMatch(/^\d{3}( \d{3}){4}$/);
    expect(await verificationCode(pc(bob, alice))).toBe(seenByAlice);
  });

  it('differs when either side has another certificate, as with a server in the middle', async () => {
    const alice = sdp(`sha-256 ${ASCENDING}`);
    const bob = sdp(`sha-256 ${DESCENDING}`);
    const mallory = sdp(`sha-256 ${hex(Array.from({ length: 32 }, (_, i) => (i * 7) % 256))}`);
    const codes = new Set([
      await verificationCode(pc(alice, bob)),
      await verificationCode(pc(alice, mallory)),
      await verificationCode(pc(mallory, bob)),
    ]);
    expect(codes.size).toBe(3);
  });

  it('is the same from both sides and differs between pairs, for any fingerprints', async () => {
    const fingerprint = fc
      .uint8Array({ minLength: 32, maxLength: 32 })
      .map((bytes) => `sha-256 ${hex([...bytes])}`);
    await fc.assert(
      fc.asyncProperty(fingerprint, fingerprint, fingerprint, async (a, b, c) => {
        fc.pre(new Set([a, b, c]).size === 3);
        const ab = await codeForFingerprints([a], [b]);
        expect(await codeForFingerprints([b], [a])).toBe(ab);
        // Collisions are possible in principle (1 in 10^15), never in a hundred runs.
        expect(await codeForFingerprints([a], [c])).not.toBe(ab);
      }),
      { numRuns: 100 },
    );
  });

  it('is undefined until both descriptions with fingerprints are applied', async () => {
    const alice = sdp(`sha-256 ${ASCENDING}`);
    expect(await verificationCode(pc(alice, undefined))).toBeUndefined();
    expect(await verificationCode(pc(undefined, alice))).toBeUndefined();
    expect(await verificationCode(pc(alice, 'v=0\r\na=fingerprint:sha-256 broken\r\n'))).toBeUndefined();
  });

  it('always has five groups of three digits, leading zeros kept', () => {
    expect(formatCode(new Uint8Array(32))).toBe('000 000 000 000 000');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 32 }), (digest) => {
        expect(formatCode(digest).replaceAll(' ', '')).toHaveLength(CODE_DIGITS);
      }),
    );
    expect(() => formatCode(new Uint8Array(7))).toThrow(TypeError);
  });
});
