import type { Socket } from 'socket.io-client';
import {
  ackSchema,
  serverEvents,
  type ClientEventName,
  type ClientToServerEvents,
  type EventPayload,
  type EventResult,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from '../protocol/index.js';
import { CallError } from './errors.js';
import type { Answer, SignalingConnection, SignalingStatus } from './transport.js';

/** How long a request waits for the server's acknowledgement before it counts as failed. */
const REQUEST_TIMEOUT_MS = 10_000;

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** socket.io's generic emit and on, seen without the event-map typing that cannot follow a generic event. */
interface UntypedSocket {
  emitWithAck(event: string, payload: unknown): Promise<unknown>;
  on(event: string, handler: (raw: unknown) => void): void;
  off(event: string, handler: (raw: unknown) => void): void;
}

/**
 * Signaling over a socket.io client. What the server says is parsed with the protocol's schemas like
 * anything else that arrives from the network; a malformed push is dropped and reported.
 *
 * Nothing is queued while the socket is down. socket.io's client keeps what is emitted offline and sends it
 * all on reconnect (https://socket.io/docs/v4/client-offline-behavior/), which here would mean stale offers
 * and candidates for connections that have moved on, and a `join` that outlived its timeout taking a place
 * nobody uses. So a request made offline fails at once (a `join` first waits, bounded, for the connection),
 * and whatever else was buffered while the socket was down is dropped when it reconnects.
 *
 * Make one transport per socket, and share it: it is also what reports the socket's status.
 */
export class SocketTransport implements SignalingConnection {
  constructor(
    readonly socket: ParleySocket,
    private readonly onMalformed: (event: string, error: unknown) => void = () => {},
  ) {
    // On a reconnect socket.io flushes its buffer before anyone hears `connect`; the manager's `open`
    // comes before that. The first connection's buffer is left alone: it was meant to go.
    let connectedOnce = socket.connected;
    socket.on('connect', () => (connectedOnce = true));
    socket.io.on('open', () => {
      if (connectedOnce) socket.sendBuffer.length = 0;
    });
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  onStatus(listener: (status: SignalingStatus) => void): () => void {
    const { socket } = this;
    const connected = () => listener('connected');
    const disconnected = () => listener('disconnected');
    const unreachable = () => listener('unreachable');
    socket.on('connect', connected);
    socket.on('disconnect', disconnected);
    socket.on('connect_error', unreachable);
    return () => {
      socket.off('connect', connected);
      socket.off('disconnect', disconnected);
      socket.off('connect_error', unreachable);
    };
  }

  async request<E extends ClientEventName>(
    event: E,
    payload: EventPayload<E>,
  ): Promise<Answer<EventResult<E>>> {
    if (!this.socket.connected && (event !== 'join' || !(await this.#connected(REQUEST_TIMEOUT_MS)))) {
      return failed(new CallError('NOT_CONNECTED'));
    }
    let raw: unknown;
    try {
      const timed = this.socket.timeout(REQUEST_TIMEOUT_MS) as unknown as UntypedSocket;
      raw = await timed.emitWithAck(event, payload);
    } catch {
      return failed(new CallError('TIMEOUT'));
    }
    const parsed = ackSchema(event).safeParse(raw);
    if (!parsed.success) {
      this.onMalformed(event, parsed.error);
      return failed(new CallError('BAD_RESPONSE'));
    }
    // The schema was chosen by `event`; TypeScript cannot follow that through the generic.
    return parsed.data;
  }

  /** Resolves true once the socket is connected, false if that takes longer than `withinMs`. */
  #connected(withinMs: number): Promise<boolean> {
    const { socket } = this;
    if (socket.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (connected: boolean) => {
        clearTimeout(timer);
        socket.off('connect', onConnect);
        resolve(connected);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(false), withinMs);
      socket.on('connect', onConnect);
    });
  }

  on<E extends ServerEventName>(event: E, listener: (payload: ServerEventPayload<E>) => void): () => void {
    const schema = serverEvents[event];
    const socket = this.socket as unknown as UntypedSocket;
    const handler = (raw: unknown) => {
      const parsed = schema.safeParse(raw);
      if (parsed.success) listener(parsed.data as ServerEventPayload<E>);
      else this.onMalformed(event, parsed.error);
    };
    socket.on(event, handler);
    return () => socket.off(event, handler);
  }
}

/** A local failure as an answer: plain data, as the wire's errors are. */
function failed(error: CallError): { ok: false; error: { code: CallError['code']; message: string } } {
  return { ok: false, error: { code: error.code, message: error.message } };
}
