import type { Logger } from '../logger.js';
import type { SignalingMetrics } from '../metrics.js';
import type { RefusalLog } from './refusal-log.js';
import type { ParleySocket } from './types.js';

/**
 * How many inbound events of any kind (known, unknown, refused, `leave`) one connection may send in a
 * window. The request limits count only what reaches a handler; without this, a client could send
 * tens of thousands of events that cost CPU and everyone's latency without spending anything. A page in a
 * call sends a few signals a second, and a burst of candidates at the start: far below.
 */
export const INBOUND_EVENTS_PER_WINDOW = 600;
export const INBOUND_WINDOW_MS = 10_000;
/**
 * Windows over the cap after which the connection is closed, or twice the cap in one window: a page never
 * gets there by accident.
 */
export const INBOUND_STRIKES = 3;

/**
 * A socket.io middleware (`socket.use`) that counts every inbound event in fixed windows. Over the cap an
 * event is dropped before any handler or parsing; a connection that goes over the cap in
 * {@link INBOUND_STRIKES} windows, or to twice the cap in one, is disconnected.
 */
export function inboundCap(
  socket: ParleySocket,
  logger: Logger,
  refusals: RefusalLog,
  metrics: SignalingMetrics,
  now: () => number = Date.now,
) {
  let windowStart = now();
  let count = 0;
  let strikes = 0;
  let struckThisWindow = false;
  return (_packet: unknown[], next: (error?: Error) => void): void => {
    const at = now();
    if (at - windowStart >= INBOUND_WINDOW_MS) {
      windowStart = at;
      count = 0;
      struckThisWindow = false;
    }
    count += 1;
    if (count <= INBOUND_EVENTS_PER_WINDOW) return next();
    if (!struckThisWindow) {
      struckThisWindow = true;
      strikes += 1;
      metrics.rateLimited('any', 'socket');
      refusals.note('rate-limit inbound events per socket');
    }
    const flooding = strikes >= INBOUND_STRIKES || count > 2 * INBOUND_EVENTS_PER_WINDOW;
    if (flooding && socket.connected) {
      logger.info({ peerId: socket.data.peerId }, 'disconnected a connection that kept flooding events');
      socket.disconnect(true);
    }
    // Dropped silently: an error here would be sent back to the client, one more packet per flood packet.
  };
}
