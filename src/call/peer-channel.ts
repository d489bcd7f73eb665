import { parsePeerMessage, type PeerInfo, type PeerMessageSchema } from '../protocol/index.js';
import { Emitter } from './emitter.js';
import { CallError } from './errors.js';
import type { RemotePeer } from './remote-peer.js';

/** The least the router needs of a peer: who it is, to name it. */
export interface ChannelPeer {
  readonly info: PeerInfo;
}

export type PeerChannelEvents<Peer extends ChannelPeer = RemotePeer> = {
  /** A frame from `peer` did not parse (malformed, oversized, or of a kind nobody handles): how many so far. */
  rejected: { peer: Peer; count: number };
  /** Said once per peer, at its first rejected frame: a peer that keeps sending garbage must not flood. */
  error: CallError;
};

interface Route<Peer> {
  schema: PeerMessageSchema;
  handler: (peer: Peer, message: { kind: string }) => void;
}

/**
 * Routes what peers send each other over the data channel to the module that owns its kind (chat to chat,
 * media state to the peer's state), the way socket.io's parser keeps packet types apart. The router reads
 * the envelope `{ kind }`, parses the frame with the schema the kind's owner registered, and hands it over;
 * a new kind is a schema in `protocol/` and a `handle` call in its own module, never an edit of the room
 * or the peer session. Each kind has one handler, so nothing depends on the order of registration.
 */
export class PeerChannel<Peer extends ChannelPeer = RemotePeer> extends Emitter<PeerChannelEvents<Peer>> {
  readonly #routes = new Map<string, Route<Peer>>();
  readonly #rejected = new WeakMap<Peer, number>();

  /** Makes `handler` the one handler of `kind`, parsed with `schema`; returns a function that removes it. */
  handle<M extends { kind: string }>(
    kind: M['kind'],
    schema: PeerMessageSchema<M>,
    handler: (peer: Peer, message: M) => void,
  ): () => void {
    if (this.#routes.has(kind)) throw new TypeError(`Peer messages of kind ${kind} already have a handler`);
    // The route is found by kind and the schema checks that kind, so what reaches `handler` is an M.
    const route: Route<Peer> = { schema, handler: handler as Route<Peer>['handler'] };
    this.#routes.set(kind, route);
    return () => {
      if (this.#routes.get(kind) === route) this.#routes.delete(kind);
    };
  }

  /**
   * A frame from `peer`: parsed with its kind's schema and handed to its handler. The peer's page is not
   * ours to trust: what does not parse is counted and dropped, never shown.
   */
  receive(peer: Peer, frame: unknown): void {
    let route: Route<Peer> | undefined;
    const message = parsePeerMessage(frame, (kind) => (route = this.#routes.get(kind))?.schema);
    if (message && route) return route.handler(peer, message);
    const count = (this.#rejected.get(peer) ?? 0) + 1;
    this.#rejected.set(peer, count);
    this.emit('rejected', { peer, count });
    if (count === 1)
      this.emit(
        'error',
        new CallError('BAD_REQUEST', `A message from ${peer.info.name} was not understood and was dropped.`),
      );
  }

  /** Frames from `peer` that were dropped unread. */
  rejectedFrom(peer: Peer): number {
    return this.#rejected.get(peer) ?? 0;
  }
}
