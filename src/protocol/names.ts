import * as z from 'zod/mini';

/** Longest room name, after normalisation. */
export const ROOM_NAME_MAX = 64;
/** Longest display name. */
export const DISPLAY_NAME_MAX = 40;

const ROOM_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$/;

/**
 * Normalises what a person typed into a room name: trimmed, lower case, runs of spaces become one dash.
 * "Team Meeting " and "team-meeting" are the same room. Returns the input unchanged in shape when it cannot
 * be a room name; {@link RoomName} then rejects it.
 */
export function normalizeRoomName(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, '-');
}

/** A room name as it travels on the wire: already normalised, ASCII letters, digits, `-` and `_`. */
export const RoomName = z
  .string()
  .check(
    z.minLength(1, 'Room name is empty.'),
    z.maxLength(ROOM_NAME_MAX, `Room name is longer than ${ROOM_NAME_MAX} characters.`),
    z.regex(ROOM_NAME_PATTERN, 'Room names use letters a-z, digits, "-" and "_".'),
  );
export type RoomName = z.infer<typeof RoomName>;

// Control characters and bidi overrides would let a name rewrite how other lines render; line and
// paragraph separators would break a name over lines.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/**
 * Characters that draw nothing (zero-width spaces and joiners' look-alikes, the BOM, soft hyphen, Hangul
 * fillers, the braille blank) and the ones that only set direction. A name may contain ZWJ and ZWNJ
 * (emoji sequences, Persian and Indic scripts need them) but must draw something of its own.
 */
// Some of these (U+034F, U+17B4) are marks: listed one by one on purpose, never combined with a neighbour.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u2060-\u2064\u206a-\u206f\u2800\u3164\ufeff\uffa0]/u;
/** Something a person can see: a letter, digit, symbol or punctuation mark. */
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;
/** A surrogate without its pair: not a character at all, and rendered as a replacement box or dropped. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * More combining marks in a row than any script writes on one letter (Vietnamese stacks two; "Zalgo" text
 * stacks dozens, spilling over the lines above and below).
 */
const MARK_STACK = /\p{M}{4,}/u;

/** A person's display name: what others see on their tile and beside their chat lines. */
export const DisplayName = z.string().check(
  z.trim(),
  z.minLength(1, 'Name is empty.'),
  z.maxLength(DISPLAY_NAME_MAX, `Name is longer than ${DISPLAY_NAME_MAX} characters.`),
  z.refine((name) => !UNPRINTABLE.test(name), 'Name contains unprintable characters.'),
  z.refine((name) => !LONE_SURROGATE.test(name), 'Name contains a broken character.'),
  z.refine((name) => !INVISIBLE.test(name), 'Name contains invisible characters.'),
  z.refine((name) => VISIBLE.test(name), 'Name has nothing visible in it.'),
  z.refine((name) => !MARK_STACK.test(name), 'Name stacks too many accents on one letter.'),
);
export type DisplayName = z.infer<typeof DisplayName>;

/** A peer id, minted by the server (never a socket id, so it survives a reconnect). */
export const PeerId = z.string().check(z.regex(/^[A-Za-z0-9_-]{8,32}$/, 'Malformed peer id.'));
export type PeerId = z.infer<typeof PeerId>;

/** The secret that lets a reconnecting socket take back its peer id: opaque, and long enough to carry a room's lock. */
export const ResumeToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,512}$/, 'Malformed resume token.'));
export type ResumeToken = z.infer<typeof ResumeToken>;

/** Shortest and longest room password, in characters (UTF-16 code units, as JavaScript counts them). */
export const ROOM_PASSWORD_MIN = 1;
export const ROOM_PASSWORD_MAX = 128;

/**
 * A room password as a joiner types it. Taken exactly as given (no trimming: a space is a character like any
 * other), bounded so that hashing it costs the same whatever is sent. Never logged.
 */
export const RoomPassword = z
  .string()
  .check(
    z.minLength(ROOM_PASSWORD_MIN, 'Password is empty.'),
    z.maxLength(ROOM_PASSWORD_MAX, `Password is longer than ${ROOM_PASSWORD_MAX} characters.`),
  );
export type RoomPassword = z.infer<typeof RoomPassword>;
