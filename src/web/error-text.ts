import type { CallErrorCode } from '../call/index.js';

/**
 * What the page says for each error code: the one place codes become words. A plain code → text map, so
 * that a translation is another map of the same shape. `{room}` is the room the person asked for.
 */
export const ERROR_TEXT: Record<CallErrorCode, string> = {
  BAD_REQUEST: 'The request was not understood.',
  VERSION_MISMATCH: 'This page is out of date. Reload it to continue.',
  NOT_IN_ROOM: 'Join a room first.',
  ALREADY_IN_ROOM: 'You are already in a room. Leave it first.',
  ROOM_FULL: 'The room “{room}” is full. Try another room, or come back when someone has left.',
  PASSWORD_REQUIRED: 'The room “{room}” needs a password. Enter it and press Join.',
  WRONG_PASSWORD: 'That password is not right. Try again.',
  RESUME_REJECTED: 'Your place in this room could not be taken back. Join it again.',
  UNKNOWN_PEER: 'That person is not in your room.',
  RATE_LIMITED: 'Too many tries in a short time. Wait a little and try again.',
  UNAVAILABLE: 'The server cannot let anyone in right now. Try again in a few seconds.',
  INTERNAL: 'Something went wrong on the server.',
  TIMEOUT: 'The server did not answer in time. Check your connection and try again.',
  NOT_CONNECTED: 'Could not join the room. Check your connection and try again.',
  ABORTED: 'Could not join the room. Check your connection and try again.',
  BAD_RESPONSE: 'The server sent an answer that was not understood. Reload the page and try again.',
};

/**
 * Codes whose text is only a fallback for the server's own words: RATE_LIMITED's message says whose limit
 * ran out and when to try again, which the code alone cannot.
 */
const SERVER_WORDED: ReadonlySet<CallErrorCode> = new Set(['RATE_LIMITED']);

export interface ErrorTextDetail {
  /** The room the person asked for, for the texts that name it. */
  room?: string | undefined;
  /** The server's message, used for the codes whose words only the server has (see SERVER_WORDED). */
  message?: string | undefined;
}

/**
 * The words for `code`, for people.
 *
 * @example
 * errorText('ROOM_FULL', { room: 'kitchen' }); // 'The room “kitchen” is full. …'
 */
export function errorText(code: CallErrorCode, detail: ErrorTextDetail = {}): string {
  if (SERVER_WORDED.has(code) && detail.message) return detail.message;
  return ERROR_TEXT[code].replaceAll('{room}', detail.room ?? '');
}
