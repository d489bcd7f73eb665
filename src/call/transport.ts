import type {
  Ack,
  ClientEventName,
  EventPayload,
  EventResult,
  ServerEventName,
  ServerEventPayload,
} from '../protocol/index.js';
import type { CallFailure } from './errors.js';

/**
 * What a request comes back with: the server's acknowledgement, or the transport's own failure (`TIMEOUT`,
 * `NOT_CONNECTED`, `BAD_RESPONSE`) when there is none to be had. Never a server code for a local failure.
 */
export type Answer<T> = Ack<T> | { ok: false; error: CallFailure };

/**
 * What the call logic needs from signaling: ask the server something, and hear what it pushes. The
 * socket.io implementation is `SocketTransport`; a test can supply its own.
 */
export interface SignalingTransport {
  request<E extends ClientEventName>(event: E, payload: EventPayload<E>): Promise<Answer<EventResult<E>>>;
  on<E extends ServerEventName>(event: E, listener: (payload: ServerEventPayload<E>) => void): () => void;
}

/** Where the connection to the signaling server stands, as it changes. */
export type SignalingStatus =
  /** Connected, the first time or again after a drop. */
  | 'connected'
  /** The connection dropped; the transport tries again by itself. */
  | 'disconnected'
  /** An attempt to (re)connect failed: the server cannot be reached now. */
  | 'unreachable';

/**
 * A signaling transport over a connection that drops and comes back by itself (socket.io's reconnects):
 * what the reconnect policy and the connectivity check watch.
 */
export interface SignalingConnection extends SignalingTransport {
  readonly connected: boolean;
  /** Subscribes to changes of {@link SignalingStatus}; returns the function that unsubscribes. */
  onStatus(listener: (status: SignalingStatus) => void): () => void;
}
