import type { IncomingMessage } from 'node:http';

/** What the limit needs of engine.io's server: its connection events. */
interface EngineEvents {
  on(event: 'connection', listener: (socket: EngineSocket) => void): unknown;
  on(event: 'connection_error', listener: (error: { req: IncomingMessage }) => void): unknown;
}
interface EngineSocket {
  readonly request: IncomingMessage;
  once(event: 'close', listener: () => void): unknown;
}

/**
 * Connections open at once per address, refused at the handshake beyond `max`. A handshake takes its
 * place when it is allowed (so a burst of simultaneous handshakes cannot slip past the count) and gives it
 * back when its connection closes, or when the handshake fails before becoming a connection.
 */
export class ConnectionLimit {
  readonly #open = new Map<string, number>();
  /** Handshakes that took a place, and whether they became a connection yet. */
  readonly #holders = new WeakMap<IncomingMessage, { key: string; connected: boolean; released: boolean }>();

  /** @param max connections per address; 0 means no limit. */
  constructor(readonly max: number) {}

  /** Connections open (or being opened) from `key` now. */
  count(key: string): number {
    return this.#open.get(key) ?? 0;
  }

  /** Takes a place for this handshake; false when `key` has no place left. */
  take(key: string, request: IncomingMessage): boolean {
    const open = this.count(key);
    if (this.max > 0 && open >= this.max) return false;
    this.#open.set(key, open + 1);
    const holder = { key, connected: false, released: false };
    this.#holders.set(request, holder);
    // A handshake that dies before engine.io makes a connection of it (the client went away mid-upgrade).
    request.socket.once('close', () => {
      if (!holder.connected) this.#release(request);
    });
    return true;
  }

  /** Follows connections from birth to close, to give their places back. */
  watch(engine: EngineEvents): void {
    engine.on('connection', (socket) => {
      const holder = this.#holders.get(socket.request);
      if (!holder) return;
      holder.connected = true;
      socket.once('close', () => this.#release(socket.request));
    });
    engine.on('connection_error', ({ req }) => {
      const holder = this.#holders.get(req);
      if (holder && !holder.connected) this.#release(req);
    });
  }

  #release(request: IncomingMessage): void {
    const holder = this.#holders.get(request);
    if (!holder || holder.released) return;
    holder.released = true;
    const left = this.count(holder.key) - 1;
    if (left > 0) this.#open.set(holder.key, left);
    else this.#open.delete(holder.key);
  }
}
