/**
 * Room membership shared by several Parley servers through one Redis.
 *
 * ## Key layout (`P` is the prefix, `parley:` by default)
 *
 * | key                      | type   | holds                                                          |
 * | ------------------------ | ------ | -------------------------------------------------------------- |
 * | `P rooms`                | set    | names of the rooms that have members (`roomCount()` is SCARD)  |
 * | `P room:<room>:order`    | zset   | peer id → join sequence; the score orders members by arrival  |
 * | `P room:<room>:names`    | hash   | peer id → display name as first registered                    |
 * | `P room:<room>:nodes`    | hash   | peer id → id of the node (server) that holds its socket        |
 * | `P room:<room>:lock`     | string | the room's password hash (scrypt), when the room is locked     |
 * | `P node:<id>`            | string | the node's heartbeat, set with a TTL and refreshed by the node |
 * | `P node:<id>:members`    | set    | `<room>\n<peer id>` for each member the node holds             |
 * | `P nodes`                | set    | ids of the nodes that hold at least one member                 |
 *
 * Redis deletes an emptied set, zset or hash by itself, so a room that loses its last member leaves no key
 * behind, and the scripts drop its name from `P rooms` and its lock at the same moment. With everyone gone, only the
 * heartbeats of running nodes remain.
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
import { createHash, randomUUID } from 'node:crypto';
import type { PeerId, RoomName } from '../../protocol/index.js';
import { type JoinOutcome, type Member, OPEN_ROOM, type RoomAccess, type RoomRegistry } from './registry.js';

/** What the registry needs from a Redis client: a node-redis v5 client (`createClient()`) has it. */
export interface RedisCommandSender {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisRoomRegistryOptions {
  client: RedisCommandSender;
  /** Prefix of every key; several deployments can share a Redis under different prefixes. */
  prefix?: string;
  /** This server's id in Redis. Default: a random UUID, new for each registry. */
  nodeId?: string;
  /** How often the heartbeat is refreshed. Default 5000 ms. */
  heartbeatIntervalMs?: number;
  /** How long a heartbeat outlives its last refresh. Default three heartbeat intervals. */
  heartbeatTtlMs?: number;
  /**
   * How often this node sweeps out the members of dead nodes; 0 turns periodic sweeps off (joins still
   * clear their own room). Default: the heartbeat interval.
   */
  sweepIntervalMs?: number;
}

export type RedisRegistryErrorCode =
  /** A heartbeat refresh failed; if it keeps failing, other nodes will remove this node's members. */
  | 'HEARTBEAT_FAILED'
  /** The heartbeat had already expired when it was refreshed: other nodes may have removed our members. */
  | 'HEARTBEAT_LAPSED'
  /** A periodic sweep failed; the next one tries again. */
  | 'SWEEP_FAILED'
  /** An `expired` listener threw. */
  | 'LISTENER_FAILED'
  /** Redis answered in a shape the scripts never produce. */
  | 'BAD_REPLY';

export class RedisRegistryError extends Error {
  override readonly name = 'RedisRegistryError';
  readonly code: RedisRegistryErrorCode;

  constructor(code: RedisRegistryErrorCode, message: string, options?: { cause: unknown }) {
    super(message, options);
    this.code = code;
  }
}

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

const DEFAULT_PREFIX = 'parley:';
const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;
/** Joins a room name and a peer id in a node's member set; neither can contain it. */
const SEPARATOR = '\n';

/** Key names and the helpers every script shares; `ARGV[1]` is always the prefix. */
const PRELUDE = `
local prefix = ARGV[1]
local SEP = '\\n'
local roomsKey = prefix .. 'rooms'
local nodesKey = prefix .. 'nodes'
local function roomKey(room, part) return prefix .. 'room:' .. room .. ':' .. part end
local function beatKey(node) return prefix .. 'node:' .. node end
local function heldKey(node) return prefix .. 'node:' .. node .. ':members' end

local function release(node, room, peer)
  redis.call('SREM', heldKey(node), room .. SEP .. peer)
  if redis.call('EXISTS', heldKey(node)) == 0 then redis.call('SREM', nodesKey, node) end
end

local function hold(node, room, peer)
  redis.call('HSET', roomKey(room, 'nodes'), peer, node)
  redis.call('SADD', heldKey(node), room .. SEP .. peer)
  redis.call('SADD', nodesKey, node)
end

-- Removes a member everywhere; a room left empty disappears (Redis deletes empty keys), leaves 'rooms' and
-- forgets its lock.
local function drop(room, peer)
  local node = redis.call('HGET', roomKey(room, 'nodes'), peer)
  redis.call('ZREM', roomKey(room, 'order'), peer)
  redis.call('HDEL', roomKey(room, 'names'), peer)
  redis.call('HDEL', roomKey(room, 'nodes'), peer)
  if redis.call('EXISTS', roomKey(room, 'order')) == 0 then
    redis.call('SREM', roomsKey, room)
    redis.call('DEL', roomKey(room, 'lock'))
  end
  if node then release(node, room, peer) end
end
`;

/**
 * ARGV: prefix, room, peer, name, node, capacity, heartbeat TTL (ms), the lock the joiner unlocks ('' for
 * an open room), the lock to open an empty room with ('' for none, '?' to not open it).
 * Reply: status ('joined' | 'resumed' | 'full' | 'absent' | 'locked'), created ('1' | '0'), own name, number
 * of others, protected ('1' | '0'), the room's lock when 'locked' (else ''), then peer id and name of each
 * other member in join order, then the peer ids of the room's expired members.
 */
const JOIN = `${PRELUDE}
local room, peer, name, node = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local capacity, ttl = tonumber(ARGV[6]), tonumber(ARGV[7])
local unlocks, opens = ARGV[8], ARGV[9]
local order = roomKey(room, 'order')
local lockKey = roomKey(room, 'lock')
-- The joining node is alive by definition; its heartbeat covers the member it is about to hold.
redis.call('SET', beatKey(node), '1', 'PX', ttl)

-- A resume is settled before the dead are cleared: a peer whose old node died but who reconnected through
-- this one keeps its place, and this node holds it from now on.
local resumed = redis.call('ZSCORE', order, peer) ~= false
if resumed then
  local previous = redis.call('HGET', roomKey(room, 'nodes'), peer)
  if previous ~= node then
    if previous then release(previous, room, peer) end
    hold(node, room, peer)
  end
end

local expired = {}
local alive = {}
for _, id in ipairs(redis.call('ZRANGE', order, 0, -1)) do
  local home = redis.call('HGET', roomKey(room, 'nodes'), id)
  if home and alive[home] == nil then alive[home] = redis.call('EXISTS', beatKey(home)) == 1 end
  if not (home and alive[home]) then
    drop(room, id)
    expired[#expired + 1] = id
  end
end

local status = 'resumed'
local lock = ''
local count = redis.call('ZCARD', order)
if not resumed then
  -- The lock check and the insert below are one step: two people opening a room at once end with the
  -- first one's lock, and the second is told to prove it ('locked'), never let in past it.
  local current = redis.call('GET', lockKey) or ''
  if count == 0 and opens == '?' then
    status = 'absent'
  elseif count > 0 and current ~= unlocks then
    status = 'locked'
    lock = current
  elseif count >= capacity then
    status = 'full'
  else
    if count == 0 then
      if opens == '' then redis.call('DEL', lockKey) else redis.call('SET', lockKey, opens) end
    end
    local last = redis.call('ZRANGE', order, -1, -1, 'WITHSCORES')
    local seq = 1
    if last[2] then seq = tonumber(last[2]) + 1 end
    redis.call('ZADD', order, seq, peer)
    redis.call('HSET', roomKey(room, 'names'), peer, name)
    hold(node, room, peer)
    redis.call('SADD', roomsKey, room)
    status = 'joined'
  end
end

local protected = redis.call('EXISTS', lockKey) == 1 and '1' or '0'
local reply = { status, (status == 'joined' and count == 0) and '1' or '0', '', '0', protected, lock }
if status == 'joined' or status == 'resumed' then
  reply[3] = redis.call('HGET', roomKey(room, 'names'), peer)
  local others = 0
  for _, id in ipairs(redis.call('ZRANGE', order, 0, -1)) do
    if id ~= peer then
      reply[#reply + 1] = id
      reply[#reply + 1] = redis.call('HGET', roomKey(room, 'names'), id)
      others = others + 1
    end
  end
  reply[4] = tostring(others)
end
for _, id in ipairs(expired) do reply[#reply + 1] = id end
return reply
`;

/** ARGV: prefix, room, peer, owner node ('' for any). Reply: 1 if removed, else 0. */
const LEAVE = `${PRELUDE}
local room, peer, owner = ARGV[2], ARGV[3], ARGV[4]
if redis.call('ZSCORE', roomKey(room, 'order'), peer) == false then return 0 end
if owner ~= '' and redis.call('HGET', roomKey(room, 'nodes'), peer) ~= owner then return 0 end
drop(room, peer)
return 1
`;

/** ARGV: prefix, room. Reply: peer id and name of each member, in join order. */
const MEMBERS = `${PRELUDE}
local room = ARGV[2]
local reply = {}
for _, id in ipairs(redis.call('ZRANGE', roomKey(room, 'order'), 0, -1)) do
  reply[#reply + 1] = id
  reply[#reply + 1] = redis.call('HGET', roomKey(room, 'names'), id)
end
return reply
`;

/** ARGV: prefix. Reply: room and peer id of each member removed, because its node's heartbeat is gone. */
const SWEEP = `${PRELUDE}
local removed = {}
for _, node in ipairs(redis.call('SMEMBERS', nodesKey)) do
  if redis.call('EXISTS', beatKey(node)) == 0 then
    for _, entry in ipairs(redis.call('SMEMBERS', heldKey(node))) do
      local cut = string.find(entry, SEP, 1, true)
      local room, peer = string.sub(entry, 1, cut - 1), string.sub(entry, cut + 1)
      if redis.call('HGET', roomKey(room, 'nodes'), peer) == node then
        drop(room, peer)
        removed[#removed + 1] = room
        removed[#removed + 1] = peer
      end
    end
    redis.call('DEL', heldKey(node))
    redis.call('SREM', nodesKey, node)
  end
end
return removed
`;

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = {
  join: script(JOIN),
  leave: script(LEAVE),
  members: script(MEMBERS),
  sweep: script(SWEEP),
} as const;

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

  constructor(options: RedisRoomRegistryOptions) {
    this.#client = options.client;
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    this.nodeId = options.nodeId ?? randomUUID();
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    this.heartbeatTtlMs = options.heartbeatTtlMs ?? 3 * this.heartbeatIntervalMs;
    this.sweepIntervalMs = options.sweepIntervalMs ?? this.heartbeatIntervalMs;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(this.nodeId)) {
      throw new TypeError(`nodeId must be 1-64 of A-Z a-z 0-9 _ . - (got ${JSON.stringify(this.nodeId)})`);
    }
    positiveInteger('heartbeatIntervalMs', this.heartbeatIntervalMs);
    positiveInteger('heartbeatTtlMs', this.heartbeatTtlMs);
    if (this.sweepIntervalMs !== 0) positiveInteger('sweepIntervalMs', this.sweepIntervalMs);
    if (this.heartbeatTtlMs <= this.heartbeatIntervalMs) {
      throw new TypeError(
        'heartbeatTtlMs must be longer than heartbeatIntervalMs, or a live node would expire',
      );
    }
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
    const reply = strings(
      await this.#run(SCRIPTS.join, [
        room,
        member.peerId,
        member.name,
        this.nodeId,
        String(capacity),
        String(this.heartbeatTtlMs),
        access.unlocks ?? '',
        access.opensWith === undefined ? '?' : (access.opensWith ?? ''),
      ]),
    );
    const [status, created, name, count, protectedFlag, lock, ...rest] = reply;
    const othersCount = Number(count);
    if (
      !Number.isSafeInteger(othersCount) ||
      rest.length < 2 * othersCount ||
      name === undefined ||
      lock === undefined
    ) {
      throw badReply('join', reply);
    }
    const others = pairs(rest.slice(0, 2 * othersCount)).map(([peerId, name]) => ({ peerId, name }));
    for (const peerId of rest.slice(2 * othersCount)) this.#emitExpired(room, peerId);
    if (status === 'full' || status === 'absent') return { ok: false, reason: status };
    if (status === 'locked') return { ok: false, reason: 'locked', lock: lock === '' ? null : lock };
    if (status !== 'joined' && status !== 'resumed') throw badReply('join', reply);
    return {
      ok: true,
      created: created === '1',
      others,
      resumed: status === 'resumed',
      self: { peerId: member.peerId, name },
      protected: protectedFlag === '1',
    };
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
    const reply = strings(await this.#run(SCRIPTS.members, [room]));
    if (reply.length % 2 !== 0) throw badReply('members', reply);
    return pairs(reply).map(([peerId, name]) => ({ peerId, name }));
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
    const reply = strings(await this.#run(SCRIPTS.sweep, []));
    if (reply.length % 2 !== 0) throw badReply('sweep', reply);
    const removed = pairs(reply).map(([room, peerId]) => ({ room, peerId }));
    for (const { room, peerId } of removed) this.#emitExpired(room, peerId);
    return removed;
  }

  async #leave(room: RoomName, peerId: PeerId, owner: string): Promise<boolean> {
    checkNames(room, peerId);
    const removed = await this.#run(SCRIPTS.leave, [room, peerId, owner]);
    if (removed !== 0 && removed !== 1) throw badReply('leave', removed);
    return removed === 1;
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

  async #heartbeat(): Promise<void> {
    try {
      if (!(await this.#beat())) {
        this.#emitError(
          new RedisRegistryError(
            'HEARTBEAT_LAPSED',
            `heartbeat of node ${this.nodeId} had expired; its members may have been removed by other nodes`,
          ),
        );
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

  /** EVALSHA, falling back to EVAL (which also caches the script) when Redis does not know it yet. */
  async #run(script: Script, args: string[]): Promise<unknown> {
    const argv = [this.prefix, ...args];
    try {
      return await this.#client.sendCommand(['EVALSHA', script.sha, '0', ...argv]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
      return await this.#client.sendCommand(['EVAL', script.source, '0', ...argv]);
    }
  }

  #key(...parts: string[]): string {
    return this.prefix + parts.join(':');
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

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer of milliseconds (got ${value})`);
  }
}

/** A node's member set joins room and peer id with a newline, so neither may contain one. */
function checkNames(room: string, peerId: string): void {
  if (room === '' || peerId === '' || room.includes(SEPARATOR) || peerId.includes(SEPARATOR)) {
    throw new TypeError('room names and peer ids must be non-empty and free of newlines');
  }
}

/** A script's reply as the array of strings it must be. */
function strings(reply: unknown): string[] {
  if (!Array.isArray(reply)) throw badReply('script', reply);
  const items: unknown[] = reply;
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') throw badReply('script', reply);
    out.push(item);
  }
  return out;
}

function pairs(items: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i] ?? '', items[i + 1] ?? '']);
  return out;
}

function badReply(command: string, reply: unknown): RedisRegistryError {
  return new RedisRegistryError('BAD_REPLY', `unexpected reply to ${command}: ${JSON.stringify(reply)}`);
}
