import type { Rate } from '../config/index.js';
import type { Logger } from '../logger.js';
import type { SignalingMetrics } from '../metrics.js';
import type { RefusalLog } from './refusal-log.js';
import type { ParleySocket } from './types.js';

/**
 * Windows over the cap after which the connection is closed, or twice the cap in one window: a page never
 * gets there by accident.
 */
export const INBOUND_STRIKES = 3;

/**
 * A socket.io middleware (`socket.use`) that counts every inbound event (known, unknown, refused, `leave`)
 * in fixed windows of `cap` (`--rate-events`, 600 per 10 s by default). The request limits count only what
 * reaches a handler; without this, a client could send tens of thousands of events that cost CPU and
 * everyone's latency without spending anything. A page in a call sends a few signals a second, and a burst
 * of candidates at the start: far below.
 *
 * Over the cap an event is dropped before any handler or parsing; a connection that goes over the cap in
 * {@link INBOUND_STRIKES} windows, or to twice the cap in one, is disconnected.
 */
export function inboundCap(
  socket: ParleySocket,
  cap: Rate,
  logger: Logger,
  refusals: RefusalLog,
  metrics: SignalingMetrics,
  now: () => number = Date.now,
) {
  const windowMs = cap.seconds * 1_000;
  let windowStart = now();
  let count = 0;
  let strikes = 0;
  let struckThisWindow = false;
  return (_packet: unknown[], next: (error?: Error) => void): void => {
    const at = now();
    if (at - windowStart >= windowMs) {
      windowStart = at;
      count = 0;
      struckThisWindow = false;
    }
    count += 1;
    if (count <= cap.points) return next();
    if (!struckThisWindow) {
      struckThisWindow = true;
      strikes += 1;
      metrics.rateLimited('any', 'socket');
      refusals.note('rate-limit inbound events per socket');
    }
    const flooding = strikes >= INBOUND_STRIKES || count > 2 * cap.points;
    if (flooding && socket.connected) {
      logger.info({ peerId: socket.data.peerId }, 'disconnected a connection that kept flooding events');
      socket.disconnect(true);
    }
    // Dropped silently: an error here would be sent back to the client, one more packet per flood packet.
  };
}
