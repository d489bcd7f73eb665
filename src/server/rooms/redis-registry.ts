/**
 * Room membership shared by several Parley servers through one Redis.
 *
 * The key layout is in `redis-keys.ts`.
 *
 * ## Atomicity and expiry
 * Every write is one Lua script (EVALSHA, EVAL when Redis has not seen it yet), so a capacity check and
 * its insert cannot interleave with another node's. A member records its node; a node whose heartbeat has
 * expired is dead. Its members are removed (and reported through the `expired` event) by whichever live
 * node gets there first: any node's periodic sweep, or a join into the same room, which clears the dead
 * first so that they never hold a place. The scripts touch keys they compute from their arguments, so they
 * need a single Redis (or a primary with replicas), not Redis Cluster.
 *
 * The client is node-redis (`redis` v5), the one `@socket.io/redis-streams-adapter` names first and tests
 * against, so a server can share one connection between this registry and the adapter. The registry only
 * needs {@link RedisCommandSender}, never closes the client and leaves its lifetime to whoever created it.
 *
 * @module
 */
import type { PeerId, RoomName } from '../../protocol/index.js';
import { checkNames, redisKey } from './redis-keys.js';
import { type RedisRoomRegistryOptions, resolveOptions } from './redis-registry-options.js';
import { RedisRegistryError, badReply } from './redis-registry-errors.js';
import {
  BadReplyError,
  type RedisCommandSender,
  SCRIPTS,
  type ScriptReply,
  parseReply,
  runScript,
} from './redis-scripts.js';
import {
  type HeldPlace,
  type JoinOutcome,
  type Member,
  OPEN_ROOM,
  type RoomAccess,
  type RoomRegistry,
} from './registry.js';

export type { RedisCommandSender } from './redis-scripts.js';
export type { RedisRoomRegistryOptions } from './redis-registry-options.js';
export { RedisRegistryError, type RedisRegistryErrorCode } from './redis-registry-errors.js';

/** The events of a {@link RedisRoomRegistry}. */
export interface RedisRoomRegistryEvents {
  /**
   * A member was removed because its node stopped beating. Fired on exactly one live node (the one that
   * removed it), which should tell the room (`peer-left`).
   */
  expired: (room: RoomName, peerId: PeerId) => void;
  /** Something failed in the background (heartbeat, sweep, a listener). Without listeners: a warning. */
  error: (error: RedisRegistryError) => void;
}

/**
 * A {@link RoomRegistry} in Redis, for several Parley servers sharing one Redis. Each instance is one
 * node: it keeps a heartbeat, and the members that join through it are removed by the other nodes once
 * that heartbeat has been gone for a sweep. Members of a node that died are gone at most
 * {@link expiryBoundMs} after its last heartbeat, and never take a place from a join after its TTL.
 *
 * @example
 * const client = await createClient({ url: process.env.PARLEY_REDIS_URL }).connect();
 * const rooms = new RedisRoomRegistry({ client });
 * rooms.on('expired', (room, peerId) =>
 *   io.to(roomChannel(room)).emit('peer-left', { peerId, reason: 'disconnected' }),
 * );
 * await rooms.start();
 * // ... on shutdown:
 * await rooms.close();
 * client.destroy();
 */
export class RedisRoomRegistry implements RoomRegistry {
  readonly nodeId: string;
  readonly prefix: string;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTtlMs: number;
  readonly sweepIntervalMs: number;
  readonly #client: RedisCommandSender;
  readonly #listeners: { [E in keyof RedisRoomRegistryEvents]: Set<RedisRoomRegistryEvents[E]> } = {
    expired: new Set(),
    error: new Set(),
  };
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #sweepTimer: NodeJS.Timeout | undefined;
  /** The background heartbeat or sweep under way, so that close() can wait for it. */
  readonly #background = new Set<Promise<void>>();
  /** Each room's lock as last seen by a join through this node ('' for open), for {@link reassert}. */
  readonly #locks = new Map<RoomName, string>();
  #places: () => readonly HeldPlace[] = () => [];

  constructor(options: RedisRoomRegistryOptions) {
    this.#client = options.client;
    const resolved = resolveOptions(options);
    this.prefix = resolved.prefix;
    this.nodeId = resolved.nodeId;
    this.heartbeatIntervalMs = resolved.heartbeatIntervalMs;
    this.heartbeatTtlMs = resolved.heartbeatTtlMs;
    this.sweepIntervalMs = resolved.sweepIntervalMs;
  }

  /**
   * Longest time from a node's last heartbeat until a live node's sweep has removed its members, for nodes
   * that share these settings. A join into the same room removes them sooner, as soon as the TTL has run
   * out; with periodic sweeps off, that join is the only way, and the bound given is the TTL.
   */
  get expiryBoundMs(): number {
    return this.heartbeatTtlMs + (this.sweepIntervalMs === 0 ? 0 : this.sweepIntervalMs);
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends keyof RedisRoomRegistryEvents>(event: E, listener: RedisRoomRegistryEvents[E]): () => void {
    const listeners: Set<RedisRoomRegistryEvents[E]> = this.#listeners[event];
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /**
   * Writes the first heartbeat, sweeps once and starts the timers. Resolves when the heartbeat is in
   * Redis; safe to call again (it returns the same promise).
   */
  start(): Promise<void> {
    if (this.#closing) return Promise.reject(new Error('RedisRoomRegistry is closed'));
    this.#starting ??= (async () => {
      try {
        await this.#beat();
      } catch (error) {
        // Nothing was started, so a later start() may try again.
        this.#starting = undefined;
        throw error;
      }
      if (this.#closing) return;
      this.#heartbeatTimer = this.#every(this.heartbeatIntervalMs, () => this.#heartbeat());
      if (this.sweepIntervalMs !== 0) {
        this.#sweepTimer = this.#every(this.sweepIntervalMs, () => this.#backgroundSweep());
        this.#track(this.#backgroundSweep());
      }
    })();
    return this.#starting;
  }

  /**
   * Stops the timers and waits for a heartbeat or sweep under way. Unless `keepHeartbeat` is set, deletes
   * the heartbeat too, so the other nodes remove whoever is still held here at their next sweep (and tell
   * their rooms). `keepHeartbeat: true` stops as a crash would: the heartbeat runs out by its TTL.
   * Safe to call twice; later calls resolve with the first. The client stays open.
   */
  close(options: { keepHeartbeat?: boolean } = {}): Promise<void> {
    this.#closing ??= (async () => {
      clearTimeout(this.#heartbeatTimer);
      clearTimeout(this.#sweepTimer);
      await Promise.allSettled([this.#starting, ...this.#background]);
      if (!options.keepHeartbeat) await this.#client.sendCommand(['DEL', this.#key('node', this.nodeId)]);
    })();
    return this.#closing;
  }

  async join(
    room: RoomName,
    member: Member,
    capacity: number,
    access: RoomAccess = OPEN_ROOM,
  ): Promise<JoinOutcome> {
    if (this.#closing) throw new Error('RedisRoomRegistry is closed: it cannot hold new members');
    if (!this.#starting) throw new TypeError('RedisRoomRegistry.start() must be called before join()');
    checkNames(room, member.peerId);
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new TypeError(`capacity must be a non-negative integer (got ${capacity})`);
    }
    const reply = await this.#call('join', [
      room,
      member.peerId,
      member.name,
      this.nodeId,
      String(capacity),
      String(this.heartbeatTtlMs),
      access.unlocks ?? '',
      access.opensWith === undefined ? '?' : (access.opensWith ?? ''),
    ]);
    for (const peerId of reply.expired) this.#emitExpired(room, peerId);
    switch (reply.status) {
      case 'full':
      case 'absent':
        return { ok: false, reason: reply.status };
      case 'locked':
        return { ok: false, reason: 'locked', lock: reply.lock === '' ? null : reply.lock };
      case 'joined':
      case 'resumed':
        this.#locks.set(room, reply.lock);
        return {
          ok: true,
          created: reply.created,
          others: reply.others,
          resumed: reply.status === 'resumed',
          self: { peerId: member.peerId, name: reply.name },
          protected: reply.protected,
          movedFrom: reply.movedFrom === '' ? null : reply.movedFrom,
        };
      default:
        return reply.status satisfies never;
    }
  }

  async leave(room: RoomName, peerId: PeerId): Promise<boolean> {
    return this.#leave(room, peerId, '');
  }

  /**
   * Like {@link leave}, but only if this node still holds the member. A peer that resumed through another
   * node is held there: a departure timer left behind on this node must not remove it.
   */
  async leaveIfHeld(room: RoomName, peerId: PeerId): Promise<boolean> {
    return this.#leave(room, peerId, this.nodeId);
  }

  async members(room: RoomName): Promise<Member[]> {
    return this.#call('members', [room]);
  }

  async has(room: RoomName, peerId: PeerId): Promise<boolean> {
    const score = await this.#client.sendCommand(['ZSCORE', this.#key('room', room, 'order'), peerId]);
    return score !== null;
  }

  async roomCount(): Promise<number> {
    const count = await this.#client.sendCommand(['SCARD', this.#key('rooms')]);
    if (typeof count !== 'number') throw badReply('roomCount', count);
    return count;
  }

  /**
   * Removes the members of every node whose heartbeat is gone, emits `expired` for each and returns
   * them. The timers call it; tests and tools may too.
   */
  async sweep(): Promise<{ room: RoomName; peerId: PeerId }[]> {
    const removed = await this.#call('sweep', []);
    for (const { room, peerId } of removed) this.#emitExpired(room, peerId);
    return removed;
  }

  async #leave(room: RoomName, peerId: PeerId, owner: string): Promise<boolean> {
    checkNames(room, peerId);
    return (await this.#call('leave', [room, peerId, owner])) === 1;
  }

  /** Sets the heartbeat; resolves whether it was still there (false on the first beat, or after a lapse). */
  async #beat(): Promise<boolean> {
    const key = this.#key('node', this.nodeId);
    const previous = await this.#client.sendCommand([
      'SET',
      key,
      '1',
      'PX',
      String(this.heartbeatTtlMs),
      'GET',
    ]);
    return previous !== null;
  }

  /**
   * Says who this node holds: the people connected to it, and those within their resume window. The
   * registry asks whenever Redis may have forgotten them ({@link reassert}).
   */
  holdPlaces(places: () => readonly HeldPlace[]): void {
    this.#places = places;
  }

  /**
   * Puts this node's places back into Redis: its heartbeat, each person it holds (in the room, with the
   * room's lock), and removes what Redis still has this node hold that it no longer does. For when Redis
   * comes back after a restart that lost its data, or after an outage during which leaves were lost;
   * harmless when nothing was lost. Resolves with how many places were missing.
   */
  async reassert(): Promise<number> {
    const places = this.#places();
    const args = [this.nodeId, String(this.heartbeatTtlMs)];
    for (const { room, peerId, name } of places) {
      checkNames(room, peerId);
      args.push(room, peerId, name, this.#locks.get(room) ?? '');
    }
    const reply = await this.#call('reassert', args);
    for (const { room, peerId } of reply.stale) this.#emitExpired(room, peerId);
    const rooms = new Set(places.map((place) => place.room));
    for (const room of this.#locks.keys()) if (!rooms.has(room)) this.#locks.delete(room);
    return reply.restored;
  }

  async #heartbeat(): Promise<void> {
    try {
      if (!(await this.#beat())) {
        this.#emitError(
          new RedisRegistryError(
            'HEARTBEAT_LAPSED',
            `heartbeat of node ${this.nodeId} had expired; putting back the places it holds`,
          ),
        );
        await this.reassert();
      }
    } catch (error) {
      this.#emitError(
        new RedisRegistryError('HEARTBEAT_FAILED', 'heartbeat refresh failed', { cause: error }),
      );
    }
  }

  async #backgroundSweep(): Promise<void> {
    try {
      await this.sweep();
    } catch (error) {
      this.#emitError(new RedisRegistryError('SWEEP_FAILED', 'sweep of dead nodes failed', { cause: error }));
    }
  }

  /** Runs `task` every `ms`, never two at once: the next run is scheduled when the last one has ended. */
  #every(ms: number, task: () => Promise<void>): NodeJS.Timeout {
    const timer = setTimeout(() => {
      if (this.#closing) return;
      this.#track(task().finally(() => !this.#closing && timer.refresh()));
    }, ms);
    // Timers alone must not keep a process alive: the server's sockets do that.
    timer.unref();
    return timer;
  }

  #track(task: Promise<void>): void {
    this.#background.add(task);
    void task.finally(() => this.#background.delete(task));
  }

  /** Runs one of the scripts and checks its reply's shape. */
  async #call<K extends keyof typeof SCRIPTS>(name: K, args: string[]): Promise<ScriptReply<K>> {
    const reply = await runScript(this.#client, SCRIPTS[name], [this.prefix, ...args]);
    try {
      return parseReply(name, reply);
    } catch (error) {
      if (error instanceof BadReplyError) throw new RedisRegistryError('BAD_REPLY', error.message);
      throw error;
    }
  }

  #key(...parts: string[]): string {
    return redisKey(this.prefix, ...parts);
  }

  #emitExpired(room: RoomName, peerId: PeerId): void {
    for (const listener of this.#listeners.expired) {
      try {
        listener(room, peerId);
      } catch (error) {
        this.#emitError(
          new RedisRegistryError('LISTENER_FAILED', 'an expired listener threw', { cause: error }),
        );
      }
    }
  }

  #emitError(error: RedisRegistryError): void {
    if (this.#listeners.error.size === 0) {
      process.emitWarning(error);
      return;
    }
    for (const listener of this.#listeners.error) {
      try {
        listener(error);
      } catch (thrown) {
        process.emitWarning(
          new RedisRegistryError('LISTENER_FAILED', 'an error listener threw', { cause: thrown }),
        );
      }
    }
  }
}
