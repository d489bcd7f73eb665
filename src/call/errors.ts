import { ERROR_CATALOG, type ErrorCode, type ProtocolError } from '../protocol/index.js';

/**
 * Failures found on this side of the wire, never said by the server:
 * - `TIMEOUT`: the server did not answer in time;
 * - `NOT_CONNECTED`: there is no connection to the server to ask it anything;
 * - `ABORTED`: the work was stopped before it finished (a newer check, a leave, an unexpected throw);
 * - `BAD_RESPONSE`: the server answered something that does not parse.
 */
export const LOCAL_ERROR_CODES = ['TIMEOUT', 'NOT_CONNECTED', 'ABORTED', 'BAD_RESPONSE'] as const;
export type LocalErrorCode = (typeof LOCAL_ERROR_CODES)[number];

/** Every code a client-side failure can carry: the server's catalog, and the local ones. */
export type CallErrorCode = ErrorCode | LocalErrorCode;

const LOCAL_MESSAGES: Record<LocalErrorCode, string> = {
  TIMEOUT: 'The server did not answer in time.',
  NOT_CONNECTED: 'Not connected to the server.',
  ABORTED: 'Stopped before it finished.',
  BAD_RESPONSE: 'The server sent an answer that was not understood.',
};

/** A failure as the transport reports it: an answer's error, or one of ours. Plain data, like the wire's. */
export interface CallFailure {
  code: CallErrorCode;
  message: string;
  /** With RATE_LIMITED: milliseconds until the request would be accepted again. */
  retryAfterMs?: number;
}

export interface CallErrorOptions {
  cause?: unknown;
  retryAfterMs?: number | undefined;
}

/**
 * The one error type of the call layer (livekit's `errors.ts`, fastify's coded errors): a code to switch on,
 * a message for logs (the page words codes itself, in `web/error-text.ts`) and the ES2022 `cause`.
 */
export class CallError extends Error {
  override readonly name = 'CallError';
  readonly code: CallErrorCode;
  readonly retryAfterMs: number | undefined;

  constructor(code: CallErrorCode, message: string = defaultMessage(code), options: CallErrorOptions = {}) {
    super(message, 'cause' in options ? { cause: options.cause } : undefined);
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The error of an acknowledgement (the server's, or the transport's own). */
  static of(failure: CallFailure | ProtocolError): CallError {
    return new CallError(failure.code, failure.message, { retryAfterMs: failure.retryAfterMs });
  }

  /** `error` itself when it is a CallError; anything else becomes `ABORTED`, with it as the cause. */
  static from(error: unknown): CallError {
    return error instanceof CallError ? error : new CallError('ABORTED', undefined, { cause: error });
  }
}

function defaultMessage(code: CallErrorCode): string {
  return code in LOCAL_MESSAGES
    ? LOCAL_MESSAGES[code as LocalErrorCode]
    : ERROR_CATALOG[code as ErrorCode].message;
}

/** Whether `code` is one the client made up, as opposed to one the server sent. */
export function isLocalErrorCode(code: CallErrorCode): code is LocalErrorCode {
  return (LOCAL_ERROR_CODES as readonly string[]).includes(code);
}
