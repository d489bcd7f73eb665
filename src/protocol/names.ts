import * as z from 'zod/mini';

/** Longest room name after normalisation, in characters (code points, not UTF-16 units). */
export const ROOM_NAME_MAX = 64;
/**
 * Longest room name after normalisation, in UTF-8 bytes: what Redis keys and log lines carry. 64 Chinese
 * characters (3 bytes each) fit exactly; names in scripts outside the Basic Multilingual Plane (4 bytes a
 * character) or heavy with combining marks run into this limit first.
 */
export const ROOM_NAME_MAX_BYTES = 192;
/** Longest display name. */
export const DISPLAY_NAME_MAX = 40;

/** Why a room name cannot be used; a page translates these, the English text is {@link ROOM_NAME_MESSAGES}. */
export type RoomNameProblem = 'empty' | 'tooLong' | 'tooManyBytes' | 'invisible' | 'badCharacter';

export const ROOM_NAME_MESSAGES: Readonly<Record<RoomNameProblem, string>> = {
  empty: 'Room name is empty.',
  tooLong: `Room name is longer than ${ROOM_NAME_MAX} characters.`,
  tooManyBytes: `Room name is too long: at most ${ROOM_NAME_MAX_BYTES} bytes in UTF-8.`,
  invisible:
    'Room name contains an invisible or direction-changing character (such as a zero-width space or a bidi control). Type the name again instead of pasting it.',
  badCharacter:
    'Room names use letters and digits of any language, "-" and "_", and start and end with a letter or digit.',
};

/**
 * Characters that draw nothing or change the direction of what follows: controls (C0, DEL, C1, tab and
 * newline included), format characters (zero-width space, joiner and non-joiner, LRM/RLM/ALM, the bidi
 * embeddings, overrides and isolates, the BOM, the soft hyphen, tag characters), line and paragraph
 * separators (U+2028/U+2029), and the rest of Unicode's Default_Ignorable_Code_Point (Hangul fillers,
 * variation selectors, the combining grapheme joiner).
 * https://www.unicode.org/reports/tr31/#Default_Ignorable_Code_Point
 *
 * They are refused, not removed: two links that differ by a hidden character must not silently become one
 * room, nor may a name shown in the call header differ from what was shared. ZWJ and ZWNJ go too, although
 * Persian and Indic writing use them inside words: identifiers that keep them need the contextual rules of
 * RFC 5892 (appendix A.1, A.2), which would make two names that look the same two different rooms.
 */
const ROOM_NAME_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
/**
 * Letters and digits of any script, with the combining marks that many scripts need (Devanagari vowel
 * signs and viramas, Thai tone marks, Arabic and Hebrew vowel points), joined by `-` and `_`. A name starts
 * with a letter or digit, and ends with one or with its marks. `:` and newline are never in a name: the
 * Redis keys use them as separators.
 */
const ROOM_NAME_PATTERN = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}_-]*[\p{L}\p{N}\p{M}])?$/u;

/** UTF-8 length of `text`, without allocating (a lone surrogate counts as the 3 bytes of U+FFFD). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Normalises what a person typed into a room name: Unicode NFKC (full-width `Ｔｅａｍ` is `team`, the
 * ideographic space an IME types is a space, `①` is `1`), lower case, trimmed, and runs of spaces become
 * one dash. "Team Meeting " and "team-meeting" are the same room, and so are `周会 ` and `周会`. Returns the
 * input unchanged in shape when it cannot be a room name; {@link roomNameProblem} then says why.
 *
 * Lower-casing stands in for case folding, which JavaScript does not offer: for letters with case the two
 * agree except for Greek final sigma (`ς` folds to `σ`, folded here by hand, so `ΟΔΟΣ` and `οδοσ` are one
 * room) and Cherokee (which folds to upper case, where lower-casing maps both cases the other way: still one
 * room). NFKC runs again after lower-casing because a lower-case letter can have a compatibility form of
 * its own; the result is then stable, so `normalizeRoomName(normalizeRoomName(x)) === normalizeRoomName(x)`.
 * https://www.unicode.org/reports/tr15/ and https://www.unicode.org/reports/tr44/#Casefolding
 *
 * @example
 * normalizeRoomName('Ｔｅａｍ\u3000周会') // → 'team-周会'
 */
export function normalizeRoomName(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ς/g, 'σ')
    .normalize('NFKC')
    .trim()
    .replace(/\p{Zs}+/gu, '-');
}

/**
 * What is wrong with `input` as a room name once normalised, or `undefined` when it is a good one.
 * Invisible characters are looked for before normalising, since trimming would otherwise drop some of them
 * (the BOM, U+2028) unseen.
 */
export function roomNameProblem(input: string): RoomNameProblem | undefined {
  if (ROOM_NAME_INVISIBLE.test(input)) return 'invisible';
  return normalizedRoomNameProblem(normalizeRoomName(input));
}

function normalizedRoomNameProblem(name: string): RoomNameProblem | undefined {
  if (name === '') return 'empty';
  // Counted before the pattern runs and stopping at the limit, so an overlong name costs no more than a long one.
  let characters = 0;
  for (let i = 0; i < name.length; i += (name.codePointAt(i) ?? 0) > 0xffff ? 2 : 1) {
    if (++characters > ROOM_NAME_MAX) return 'tooLong';
  }
  if (utf8Length(name) > ROOM_NAME_MAX_BYTES) return 'tooManyBytes';
  if (ROOM_NAME_INVISIBLE.test(name)) return 'invisible';
  if (!ROOM_NAME_PATTERN.test(name)) return 'badCharacter';
  return undefined;
}

/** Said on the wire for a name that would be valid once normalised: the client should have done that. */
const NOT_NORMALISED =
  'Room name is not normalised (NFKC, lower case, spaces as "-"); see normalizeRoomName().';

/**
 * A room name as it travels on the wire: already normalised ({@link normalizeRoomName}), letters and digits
 * of any script, `-` and `_`. A refusal is one issue whose `params.reason` is a {@link RoomNameProblem}.
 */
export const RoomName = z.string().check(
  z.superRefine((name, ctx) => {
    const reason = normalizedRoomNameProblem(name);
    const notNormalised = reason === undefined && normalizeRoomName(name) !== name;
    if (reason === undefined && !notNormalised) return;
    ctx.issues.push({
      code: 'custom',
      input: name,
      message: reason === undefined ? NOT_NORMALISED : ROOM_NAME_MESSAGES[reason],
      params: { reason: reason ?? 'badCharacter' },
    });
  }),
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
