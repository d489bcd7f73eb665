import type { CallErrorCode } from '../call/index.js';
import type { Translate } from './i18n/index.js';

/** Why a join failed, kept as facts so the lobby can say it in whichever language is chosen now. */
export interface JoinProblem {
  /** The server's error code, or a local one (no connection, no answer in time); undefined if unknown. */
  code: CallErrorCode | undefined;
  room: string;
  /** The server's message (English), for RATE_LIMITED: it says whose limit ran out. */
  message?: string;
  retryAfterMs?: number;
}

/** The lobby's sentence for a failed join. Codes without words of their own get their catalog entry. */
export function joinProblemText(problem: JoinProblem, t: Translate): string {
  const { code, room } = problem;
  // Not reaching the server is said the same way however it happened.
  if (code === undefined || code === 'NOT_CONNECTED' || code === 'ABORTED') return t('join.failed');
  if (code === 'ROOM_FULL') return t('join.roomFull', { room });
  if (code === 'PASSWORD_REQUIRED') return t('join.passwordRequired', { room });
  if (code === 'WRONG_PASSWORD') return t('join.wrongPassword');
  if (code === 'RATE_LIMITED') {
    const seconds =
      problem.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(problem.retryAfterMs / 1000));
    return t('join.rateLimited', { serverMessage: problem.message ?? t('error.RATE_LIMITED'), seconds });
  }
  return t(`error.${code}`);
}
