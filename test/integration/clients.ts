import { type Socket, io } from 'socket.io-client';
import { expect } from 'vitest';
import {
  type ClientToServerEvents,
  type JoinRequest,
  type JoinResult,
  PROTOCOL_VERSION,
  type PeerJoined,
  type PeerLeft,
  type ServerToClientEvents,
  type SignalDelivery,
  ackSchema,
  serverEvents,
} from '../../src/protocol/index.js';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A server event as a client saw it, checked against the protocol's schema. */
export type Received =
  | { event: 'peer-joined'; payload: PeerJoined }
  | { event: 'peer-left'; payload: PeerLeft }
  | { event: 'signal'; payload: SignalDelivery };

/** Every server event one client received, in order, and a way to wait for the next one that matters. */
export class Inbox {
  readonly events: Received[] = [];
  readonly #waiters: { test: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];

  constructor(socket: Socket) {
    socket.on('peer-joined', (payload: unknown) => {
      this.#push({ event: 'peer-joined', payload: serverEvents['peer-joined'].parse(payload) });
    });
    socket.on('peer-left', (payload: unknown) => {
      this.#push({ event: 'peer-left', payload: serverEvents['peer-left'].parse(payload) });
    });
    socket.on('signal', (payload: unknown) => {
      this.#push({ event: 'signal', payload: serverEvents.signal.parse(payload) });
    });
  }

  #push(received: Received): void {
    this.events.push(received);
    for (const waiter of [...this.#waiters]) {
      if (waiter.test(received)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(received);
      }
    }
  }

  /** The first event, already received or still to come, that passes `test`. */
  waitFor<R extends Received>(test: (r: Received) => r is R): Promise<R>;
  waitFor(test: (r: Received) => boolean): Promise<Received>;
  waitFor(test: (r: Received) => boolean): Promise<Received> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }
}

/** A connected client (WebSocket only, no automatic reconnection: tests reconnect on purpose). */
export async function connect(
  url: string,
  options: ConnectOptions = {},
): Promise<{ socket: Client; inbox: Inbox }> {
  const socket: Client = await connectRaw(url, options);
  return { socket, inbox: new Inbox(socket) };
}

/** A client whose emits are not held to the protocol's types, for sending what a hostile client would. */
/** `localAddress`: the source address of the connection (engine.io hands it to `ws`), e.g. `127.0.0.2`. */
export interface ConnectOptions {
  rejectUnauthorized?: boolean;
  localAddress?: string;
}

export async function connectRaw(url: string, options: ConnectOptions = {}): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, ...options });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export async function requestJoin(socket: Client, request: Partial<JoinRequest> & Pick<JoinRequest, 'room'>) {
  const response = await socket.emitWithAck('join', { v: PROTOCOL_VERSION, name: 'Someone', ...request });
  return ackSchema('join').parse(response);
}

/** Joins (with a room password, if given) and insists on success. */
export async function join(
  socket: Client,
  room: string,
  name: string,
  resume?: JoinRequest['resume'],
  password?: string,
): Promise<JoinResult> {
  const response = await requestJoin(socket, {
    room,
    name,
    ...(resume && { resume }),
    ...(password !== undefined && { password }),
  });
  if (!response.ok) expect.fail(`join failed: ${response.error.code} ${response.error.message}`);
  return response;
}

export async function requestLeave(socket: Client) {
  return ackSchema('leave').parse(await socket.emitWithAck('leave', {}));
}

export async function sendSignal(socket: Client, to: string, sdp = 'v=0') {
  const response = await socket.emitWithAck('signal', {
    to,
    signal: { kind: 'description', description: { type: 'offer', sdp } },
  });
  return ackSchema('signal').parse(response);
}

/** Resolves with the reason once the client's socket is disconnected. */
export function disconnected(socket: Socket): Promise<string> {
  if (socket.disconnected) return Promise.resolve('already disconnected');
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
}

/**
 * Cuts the connection the way a network failure would: the transport closes with no goodbye, so the
 * server sees `transport close`, not `client namespace disconnect`.
 */
export async function drop(socket: Socket): Promise<void> {
  const gone = disconnected(socket);
  socket.io.engine.close();
  await gone;
}

/** Every client made by a test, closed at its end. */
export class Clients {
  readonly #all: Socket[] = [];
  constructor(readonly url: () => string) {}

  async open(): Promise<{ socket: Client; inbox: Inbox }> {
    const client = await connect(this.url());
    this.#all.push(client.socket);
    return client;
  }

  async openRaw(): Promise<Socket> {
    const socket = await connectRaw(this.url());
    this.#all.push(socket);
    return socket;
  }

  closeAll(): void {
    for (const socket of this.#all.splice(0)) socket.close();
  }
}
