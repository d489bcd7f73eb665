import { type Socket, io } from 'socket.io-client';
import { type JoinResult, PROTOCOL_VERSION, ackSchema } from '../../src/protocol/index.js';
import { Inbox } from './clients.js';

/**
 * A client that behaves like the page (src/web/app.tsx and use-call.ts): socket.io's default reconnection,
 * WebSocket only, and on every reconnect a `join` that resumes its place with the token of its last join.
 */
export class PageLikeClient {
  readonly socket: Socket;
  readonly inbox: Inbox;
  readonly disconnects: string[] = [];
  readonly resumes: JoinResult[] = [];
  #membership: { room: string; name: string; peerId: string; token: string } | undefined;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true });
    this.inbox = new Inbox(this.socket);
    this.socket.on('disconnect', (reason) => this.disconnects.push(reason));
    this.socket.on('connect', () => {
      const membership = this.#membership;
      if (!membership) return;
      const { room, name, peerId, token } = membership;
      void this.#join({ room, name, resume: { peerId, token } }).then((result) => {
        this.resumes.push(result);
        for (const waiter of this.#waiters.splice(0)) waiter();
      });
    });
  }

  async join(room: string, name: string): Promise<JoinResult> {
    if (!this.socket.connected)
      await new Promise((resolve) => this.socket.once('connect', () => resolve(null)));
    const result = await this.#join({ room, name });
    this.#membership = { room, name, peerId: result.self.id, token: result.token };
    return result;
  }

  /** Resolves once the client has resumed after a reconnect. */
  resumed(): Promise<JoinResult> {
    const done = this.resumes.at(-1);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.#waiters.push(() => resolve(this.resumes.at(-1) as JoinResult)));
  }

  async #join(request: { room: string; name: string; resume?: { peerId: string; token: string } }) {
    const ack = ackSchema('join').parse(
      await this.socket.emitWithAck('join', { v: PROTOCOL_VERSION, ...request }),
    );
    if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
    return ack;
  }
}
