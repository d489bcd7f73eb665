/**
 * The catalog of error codes a client can receive. Each has a default message meant for people and, at the
 * HTTP edge, a status. Clients switch on the code, never on the message.
 */
export const ERROR_CATALOG = {
  BAD_REQUEST: { status: 400, message: 'The request was not understood.' },
  VERSION_MISMATCH: { status: 400, message: 'This page is out of date. Reload it to continue.' },
  NOT_IN_ROOM: { status: 409, message: 'Join a room first.' },
  ALREADY_IN_ROOM: { status: 409, message: 'You are already in a room. Leave it first.' },
  ROOM_FULL: { status: 409, message: 'This room is full.' },
  PASSWORD_REQUIRED: { status: 401, message: 'This room needs a password.' },
  WRONG_PASSWORD: { status: 403, message: 'That password is not right. Try again.' },
  RESUME_REJECTED: {
    status: 401,
    message: 'Your place in this room could not be taken back. Join it again.',
  },
  UNKNOWN_PEER: { status: 404, message: 'That person is not in your room.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Slow down and try again.' },
  UNAVAILABLE: {
    status: 503,
    message: 'The server cannot let anyone in right now. Try again in a few seconds.',
  },
  INTERNAL: { status: 500, message: 'Something went wrong on the server.' },
  TEST_CALLS_BUSY: {
    status: 503,
    message: 'All test calls are busy. Try again in a minute.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

/** The error half of every acknowledgement. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /** With RATE_LIMITED: milliseconds until the request would be accepted again. */
  retryAfterMs?: number;
}

export function protocolError(code: ErrorCode, message: string = ERROR_CATALOG[code].message): ProtocolError {
  return { code, message };
}
