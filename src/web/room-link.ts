import {
  ROOM_NAME_MESSAGES,
  type RoomNameProblem,
  normalizeRoomName,
  roomNameProblem,
} from '../protocol/index.js';

export type { RoomNameProblem } from '../protocol/index.js';

/**
 * The room named by a link `/r/<room>`, if the page was opened through one, as the link spells it (not yet
 * normalised, so that the lobby and the call header show what the person who shared it typed). Browsers
 * hand the page its path percent-encoded (`/r/%E5%91%A8%E4%BC%9A`) whether the link was written that way
 * or as `/r/周会`; a path that does not decode names no room.
 */
export function roomFromLocation(location: Pick<Location, 'pathname'>): string {
  const match = /^\/r\/([^/]+)\/?$/.exec(location.pathname);
  if (!match?.[1]) return '';
  try {
    return decodeURIComponent(match[1]).trim();
  } catch {
    return '';
  }
}

/**
 * The link that brings someone else into `room` (a normalised name): percent-encoded, as URLs must be
 * (RFC 3986 section 2.1); browsers show it decoded again in the address bar.
 *
 * @example
 * roomLink(location, '周会') // → 'https://host/r/%E5%91%A8%E4%BC%9A'
 */
export function roomLink(location: Pick<Location, 'origin'>, room: string): string {
  return `${location.origin}/r/${encodeURIComponent(room)}`;
}

/** A room name that can be used: the room it names, and how to show it. */
export interface RoomChoice {
  ok: true;
  /** The normalised name: the room's key, sent to the server and put in links. */
  room: string;
  /** The name as typed (trimmed, NFC), for the call header: `Team Meeting` rather than `team-meeting`. */
  display: string;
}

/** Why a room name cannot be used, for code (`reason`) and in English (`message`). */
export interface RoomNameRefusal {
  ok: false;
  reason: RoomNameProblem;
  message: string;
}

/**
 * Validates what a person typed as a room name; returns the normalised name or what is wrong with it.
 *
 * @example
 * checkRoomName('Ｔｅａｍ 周会') // → { ok: true, room: 'team-周会', display: 'Ｔｅａｍ 周会' }
 * checkRoomName('a\u200bb') // → { ok: false, reason: 'invisible', message: 'Room name contains an invisible…' }
 */
export function checkRoomName(input: string): RoomChoice | RoomNameRefusal {
  const reason = roomNameProblem(input);
  if (reason !== undefined) return { ok: false, reason, message: ROOM_NAME_MESSAGES[reason] };
  return { ok: true, room: normalizeRoomName(input), display: input.normalize('NFC').trim() };
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
