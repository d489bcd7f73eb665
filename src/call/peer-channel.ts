import type { PeerMessage } from '../protocol/index.js';
import type { RemotePeer } from './remote-peer.js';

/** Each kind of peer message, as its schema in `src/protocol/peer-messages.ts` parses it. */
export type PeerMessageOf<K extends PeerMessage['kind']> = Extract<PeerMessage, { kind: K }>;

type Handler<K extends PeerMessage['kind']> = (peer: RemotePeer, message: PeerMessageOf<K>) => void;

/**
 * Routes the messages peers send each other over the data channel to the module that owns their kind (chat
 * to chat, media state to the peer's state). Each kind has one handler, so nothing depends on the order in
 * which modules registered; a new kind is a schema in the protocol and a `handle` call in its own module.
 */
export class PeerChannel {
  readonly #handlers = new Map<PeerMessage['kind'], (peer: RemotePeer, message: PeerMessage) => void>();

  /** Makes `handler` the one handler of `kind`; returns a function that removes it. */
  handle<K extends PeerMessage['kind']>(kind: K, handler: Handler<K>): () => void {
    if (this.#handlers.has(kind)) throw new Error(`Peer messages of kind ${kind} already have a handler`);
    // The map is keyed by kind, so a message found under `kind` is of that kind.
    const route = (peer: RemotePeer, message: PeerMessage) => {
      if (message.kind === kind) handler(peer, message as PeerMessageOf<K>);
    };
    this.#handlers.set(kind, route);
    return () => {
      if (this.#handlers.get(kind) === route) this.#handlers.delete(kind);
    };
  }

  /** Hands a parsed message to the handler of its kind; a kind nobody handles is ignored. */
  dispatch(peer: RemotePeer, message: PeerMessage): void {
    this.#handlers.get(message.kind)?.(peer, message);
  }
}
