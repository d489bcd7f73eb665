import { RoomName, normalizeRoomName } from '../protocol/index.js';

/** The room named by a link `/r/<room>`, if the page was opened through one. */
export function roomFromLocation(location: Location): string {
  const match = /^\/r\/([^/]+)\/?$/.exec(location.pathname);
  if (!match?.[1]) return '';
  try {
    return normalizeRoomName(decodeURIComponent(match[1]));
  } catch {
    return '';
  }
}

/** The link that brings someone else into `room`. */
export function roomLink(location: Location, room: string): string {
  return `${location.origin}/r/${encodeURIComponent(room)}`;
}

/** What is wrong with a room name; each has its words in the catalogs (`roomName.<problem>`). */
export type RoomNameProblem = 'empty' | 'tooLong' | 'tooManyBytes' | 'invisible' | 'badCharacter';

/**
 * Validates what a person typed as a room name; returns the normalised name or what is wrong with it.
 */
export function checkRoomName(
  input: string,
): { ok: true; room: string } | { ok: false; problem: RoomNameProblem } {
  const parsed = RoomName.safeParse(normalizeRoomName(input));
  if (parsed.success) return { ok: true, room: parsed.data };
  const code = parsed.error.issues[0]?.code;
  if (code === 'too_small') return { ok: false, problem: 'empty' };
  if (code === 'too_big') return { ok: false, problem: 'tooLong' };
  return { ok: false, problem: 'badCharacter' };
}

const WORDS = [
  'amber',
  'birch',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'grove',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lagoon',
  'meadow',
  'nebula',
  'orchid',
  'prairie',
  'quartz',
  'river',
  'summit',
  'tundra',
  'umber',
  'valley',
  'willow',
  'zephyr',
];

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A fresh room name that is easy to read aloud and impossible to guess: a word, then 96 random bits in
 * lower-case base32 (RFC 4648 alphabet), e.g. `cedar-k3v9...`.
 */
export function newRoomName(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(13));
  const word = WORDS[(bytes[12] ?? 0) % WORDS.length] ?? 'room';
  let bits = 0;
  let value = 0;
  let tail = '';
  for (const byte of bytes.subarray(0, 12)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      tail += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) tail += BASE32[(value << (5 - bits)) & 31];
  return `${word}-${tail}`;
}
