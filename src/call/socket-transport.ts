import type { Socket } from 'socket.io-client';
import {
  ackSchema,
  protocolError,
  serverEvents,
  type Ack,
  type ClientEventName,
  type ClientToServerEvents,
  type EventPayload,
  type EventResult,
  type ServerEventName,
  type ServerEventPayload,
  type ServerToClientEvents,
} from '../protocol/index.js';
import type { SignalingTransport } from './transport.js';

/** How long a request waits for the server's acknowledgement before it counts as failed. */
const REQUEST_TIMEOUT_MS = 10_000;

export type ParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Sockets whose offline buffer is already emptied on reconnect (a page makes a transport per join). */
const hooked = new WeakSet<ParleySocket>();

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
 */
export class SocketTransport implements SignalingTransport {
  constructor(
    readonly socket: ParleySocket,
    private readonly onMalformed: (event: string, error: unknown) => void = () => {},
  ) {
    if (!hooked.has(socket)) {
      hooked.add(socket);
      // On a reconnect socket.io flushes its buffer before anyone hears `connect`; the manager's `open`
      // comes before that. The first connection's buffer is left alone: it was meant to go.
      let connectedOnce = socket.connected;
      socket.on('connect', () => (connectedOnce = true));
      socket.io.on('open', () => {
        if (connectedOnce) socket.sendBuffer.length = 0;
      });
    }
  }

  async request<E extends ClientEventName>(event: E, payload: EventPayload<E>): Promise<Ack<EventResult<E>>> {
    if (!this.socket.connected && (event !== 'join' || !(await this.#connected(REQUEST_TIMEOUT_MS)))) {
      return { ok: false, error: protocolError('INTERNAL', 'Not connected to the server.') };
    }
    let raw: unknown;
    try {
      const timed = this.socket.timeout(REQUEST_TIMEOUT_MS) as unknown as UntypedSocket;
      raw = await timed.emitWithAck(event, payload);
    } catch {
      return { ok: false, error: protocolError('INTERNAL', 'The server did not answer in time.') };
    }
    const parsed = ackSchema(event).safeParse(raw);
    if (!parsed.success) {
      this.onMalformed(event, parsed.error);
      return {
        ok: false,
        error: protocolError('INTERNAL', 'The server sent an answer that was not understood.'),
      };
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
