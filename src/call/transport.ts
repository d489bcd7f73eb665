import type {
  Ack,
  ClientEventName,
  EventPayload,
  EventResult,
  ServerEventName,
  ServerEventPayload,
} from '../protocol/index.js';

/**
 * What the call logic needs from signaling: ask the server something, and hear what it pushes. The
 * socket.io implementation is `SocketTransport`; a test can supply its own.
 */
export interface SignalingTransport {
  request<E extends ClientEventName>(event: E, payload: EventPayload<E>): Promise<Ack<EventResult<E>>>;
  on<E extends ServerEventName>(event: E, listener: (payload: ServerEventPayload<E>) => void): () => void;
}
