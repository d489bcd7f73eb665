/**
 * The verification code of one pair of people: a short number derived from the two DTLS certificate
 * fingerprints of their connection, the same on both sides. Read aloud and compared, it shows that nobody
 * (the signaling server included) sits between them: a server in the middle has to give each side a
 * certificate of its own, so each side hashes a different pair of fingerprints and sees a different code.
 *
 * Where the fingerprints come from: the `a=fingerprint` lines (RFC 8122 §5) of the descriptions the
 * connection actually applied, `currentLocalDescription` and `currentRemoteDescription`. Those are what DTLS
 * is checked against: the browser refuses a handshake whose certificate does not match the remote
 * description's fingerprint (RFC 8122 §5, RFC 8842 §5). They are there synchronously, in every browser and
 * in Node peers, whereas `certificate` entries in getStats are asynchronous and not implemented everywhere
 * (Firefox has none).
 *
 * How long the code is, and why. The server sees both fingerprints before it has to commit to one of its
 * own, so it can try certificates until the code it shows one side equals the code the other side sees.
 * One try costs it about two SHA-256 computations (it varies a field of its own certificate and hashes it),
 * so the code has to be long enough to make that search take far longer than anyone waits for a call to
 * connect. 32 bits falls to a graphics card in about a second; 15 decimal digits (≈ 50 bits) need about
 * 10^15 tries, a day of such a card, while the person waits for an answer that should take a fraction of a
 * second. Digits need no word list in the page and read the same in every language; five groups of three
 * are as easy to read as a phone number.
 */

/**
 * Names this scheme in the hashed input, so that a later change (another hash, another length) gives codes
 * that can never be mistaken for these.
 */
export const VERIFICATION_LABEL = 'parley-verification-v1';
/** Digits in a code: 10^15 ≈ 2^49.8 possible codes. */
export const CODE_DIGITS = 15;
/** Digits per group as shown and read aloud. */
const GROUP_SIZE = 3;

/** The parts of an RTCPeerConnection the code is computed from. */
export interface AppliedDescriptions {
  readonly currentLocalDescription: { readonly sdp: string } | null;
  readonly currentRemoteDescription: { readonly sdp: string } | null;
}

/** `a=fingerprint:<hash-func> <fingerprint>` (RFC 8122 §5); hex is upper case there, we accept either. */
const FINGERPRINT_LINE = /^a=fingerprint:([A-Za-z0-9-]+) ((?:[0-9A-Fa-f]{2}:)*[0-9A-Fa-f]{2})$/;
/** Shorter than any real hash (MD5 has 16 bytes): not a fingerprint that proves anything. */
const MIN_FINGERPRINT_BYTES = 16;

/**
 * The certificate fingerprints one side's description declares, normalised (`sha-256 AB:CD:…`: hash name
 * in lower case, hex in upper case), without repeats and sorted. Undefined when there is no description, no
 * fingerprint, or any `a=fingerprint` line that does not parse: a code is shown only when every declared
 * fingerprint went into it.
 */
export function fingerprintsOf(sdp: string | null | undefined): string[] | undefined {
  if (typeof sdp !== 'string') return undefined;
  const found = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    if (!line.toLowerCase().startsWith('a=fingerprint:')) continue;
    const match = FINGERPRINT_LINE.exec(line.trim());
    if (!match?.[1] || !match[2]) return undefined;
    const hex = match[2].toUpperCase();
    if ((hex.length + 1) / 3 < MIN_FINGERPRINT_BYTES) return undefined;
    found.add(`${match[1].toLowerCase()} ${hex}`);
  }
  return found.size > 0 ? [...found].sort() : undefined;
}

/**
 * What is hashed: the label, then each side's fingerprints on a line of its own, the two lines in sorted
 * order so that both sides build the same text whichever of them is "local".
 */
export function verificationInput(local: readonly string[], remote: readonly string[]): string {
  const sides = [local.join(','), remote.join(',')].sort();
  return [VERIFICATION_LABEL, ...sides].join('\n');
}

/** Five groups of three digits from the first 64 bits of the hash (the bias of the modulo is below 10^-4). */
export function formatCode(digest: Uint8Array): string {
  if (digest.length < 8) throw new TypeError('formatCode needs at least 8 bytes of digest');
  const value = new DataView(digest.buffer, digest.byteOffset, 8).getBigUint64(0);
  const digits = (value % 10n ** BigInt(CODE_DIGITS)).toString().padStart(CODE_DIGITS, '0');
  const groups: string[] = [];
  for (let at = 0; at < digits.length; at += GROUP_SIZE) groups.push(digits.slice(at, at + GROUP_SIZE));
  return groups.join(' ');
}

/** The code for two sets of fingerprints (as {@link fingerprintsOf} gives them). */
export async function codeForFingerprints(
  local: readonly string[],
  remote: readonly string[],
): Promise<string> {
  const input = new TextEncoder().encode(verificationInput(local, remote));
  return formatCode(new Uint8Array(await crypto.subtle.digest('SHA-256', input)));
}

/**
 * The pair's code from the descriptions a connection applied, or undefined while either is missing or
 * declares no well-formed fingerprint.
 *
 * @example
 * pc.addEventListener('connectionstatechange', async () => {
 *   if (pc.connectionState === 'connected') show(await verificationCode(pc)); // "482 913 077 245 316"
 * });
 */
export async function verificationCode(pc: AppliedDescriptions): Promise<string | undefined> {
  const local = fingerprintsOf(pc.currentLocalDescription?.sdp);
  const remote = fingerprintsOf(pc.currentRemoteDescription?.sdp);
  if (!local || !remote) return undefined;
  return codeForFingerprints(local, remote);
}
