import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../../../test/support/redis.js';
import {
  type RedisRegistryError,
  RedisRoomRegistry,
  type RedisRoomRegistryEvents,
  type RedisRoomRegistryOptions,
} from './redis-registry.js';
import { describeRoomRegistry } from './registry-contract.js';
import type { Member } from './registry.js';

type Client = ReturnType<typeof createClient>;

let redis: RunningRedis;
const clients: Client[] = [];
const registries: RedisRoomRegistry[] = [];
/** Background failures of every registry made by {@link registry}; each test must leave it empty. */
const backgroundErrors: RedisRegistryError[] = [];
let shared: Client | undefined;
let prefixes = 0;

beforeAll(async () => {
  redis = await startRedis();
});

afterEach(async () => {
  await Promise.all(registries.splice(0).map((r) => r.close()));
  expect(backgroundErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  for (const client of clients.splice(0)) if (client.isOpen) client.destroy();
  await redis?.close();
});

/** A connection of its own, as a separate server process would have. */
async function connect(): Promise<Client> {
  const client = createClient({ url: redis.url });
  client.on('error', (error: unknown) => {
    throw new Error('Redis client error in a test', { cause: error });
  });
  clients.push(client);
  await client.connect();
  return client;
}

/** Each test gets its own key space on the one redis-server, so rooms named alike never meet. */
function uniquePrefix(): string {
  prefixes += 1;
  return `parley-test-${process.pid}-${prefixes}:`;
}

async function registry(
  client: Client,
  options: Omit<RedisRoomRegistryOptions, 'client'> = {},
): Promise<RedisRoomRegistry> {
  const rooms = new RedisRoomRegistry({ client, ...options });
  rooms.on('error', (error) => backgroundErrors.push(error));
  registries.push(rooms);
  await rooms.start();
  return rooms;
}

/** Resolves with the first `count` expired events of `rooms`, in the order they came. */
function nextExpired(rooms: RedisRoomRegistry, count: number): Promise<{ room: string; peerId: string }[]> {
  return new Promise((resolve) => {
    const seen: { room: string; peerId: string }[] = [];
    const off = rooms.on('expired', (room, peerId) => {
      seen.push({ room, peerId });
      if (seen.length === count) {
        off();
        resolve(seen);
      }
    });
  });
}

/** Fails with `what` unless `promise` settles within `ms`: a deadline, not a pause. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function keysUnder(client: Client, prefix: string): Promise<string[]> {
  return (await client.keys(`${prefix}*`)).sort();
}

const ann: Member = { peerId: 'ann-000001', name: 'Ann' };
const bob: Member = { peerId: 'bob-000002', name: 'Bob' };
const cat: Member = { peerId: 'cat-000003', name: 'Cat' };

describeRoomRegistry('RedisRoomRegistry', async () => {
  shared ??= await connect();
  return registry(shared, { prefix: uniquePrefix() });
});

describe('RedisRoomRegistry across nodes', () => {
  it('admits exactly two of ten simultaneous joins through two nodes, in each of twenty rooms', async () => {
    const prefix = uniquePrefix();
    const nodes = [await registry(await connect(), { prefix }), await registry(await connect(), { prefix })];
    for (let round = 0; round < 20; round += 1) {
      const room = `race-${round}`;
      const people = Array.from({ length: 10 }, (_, i) => ({
        peerId: `peer-${round}-${i}-abcdef`,
        name: `P${i}`,
      }));
      // All twenty commands are written to the two connections in the same tick.
      const outcomes = await Promise.all(people.map((p, i) => nodes[i % 2]!.join(room, p, 2)));

      const admitted = outcomes.flatMap((o) => (o.ok ? [o] : []));
      expect(admitted).toHaveLength(2);
      expect(outcomes.filter((o) => !o.ok)).toEqual(
        Array.from({ length: 8 }, () => ({ ok: false, reason: 'full' })),
      );
      const [first, second] = [admitted.find((o) => o.created), admitted.find((o) => !o.created)];
      expect(first).toMatchObject({ others: [], resumed: false });
      expect(second).toMatchObject({ others: [first?.self], resumed: false });
      expect(await nodes[1]!.members(room)).toEqual([first?.self, second?.self]);
    }
    expect(await nodes[0]!.roomCount()).toBe(20);
  });

  it('removes the members of a crashed node within the bound and reports each once on a live node', async () => {
    const prefix = uniquePrefix();
    const timing = { heartbeatIntervalMs: 200, heartbeatTtlMs: 1_000, sweepIntervalMs: 200 };
    const crashing = await connect();
    const dead = await registry(crashing, { prefix, ...timing });
    const live = [
      await registry(await connect(), { prefix, ...timing }),
      await registry(await connect(), { prefix, ...timing }),
    ];
    await dead.join('x', ann, 3);
    await live[0]!.join('x', bob, 3);
    await dead.join('y', cat, 2);
    const reported: { room: string; peerId: string }[] = [];
    const onDead: unknown[] = [];
    dead.on('expired', (room, peerId) => onDead.push({ room, peerId }));
    const both = new Promise<void>((resolve) => {
      for (const node of live) {
        node.on('expired', (room, peerId) => {
          reported.push({ room, peerId });
          if (reported.length === 2) resolve();
        });
      }
    });

    // A crash: no more heartbeats, no goodbye, the connection cut.
    const crashedAt = performance.now();
    await dead.close({ keepHeartbeat: true });
    crashing.destroy();
    // The heartbeat's TTL still covers the dead node's members for a while.
    expect(await live[0]!.has('x', ann.peerId)).toBe(true);

    const bound = live[0]!.expiryBoundMs;
    await within(both, bound + 2_000, 'expired events for the crashed node');
    const elapsed = performance.now() - crashedAt;
    expect(elapsed).toBeLessThan(bound + 500);
    expect(reported.sort((p, q) => p.room.localeCompare(q.room))).toEqual([
      { room: 'x', peerId: ann.peerId },
      { room: 'y', peerId: cat.peerId },
    ]);
    expect(onDead).toEqual([]);
    expect(await live[1]!.members('x')).toEqual([bob]);
    expect(await live[1]!.roomCount()).toBe(1);
    // A later sweep finds nothing left to report.
    expect(await live[1]!.sweep()).toEqual([]);
  });

  it("frees a dead node's place on the next join into its room, with no sweep at all", async () => {
    const prefix = uniquePrefix();
    const a = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    const b = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    await a.join('z', ann, 2);
    await b.join('z', bob, 2);
    expect(await b.join('z', cat, 2)).toEqual({ ok: false, reason: 'full' });
    const expired = nextExpired(b, 1);

    await a.close(); // Deletes a's heartbeat: a is dead to the others at once.
    expect(await b.join('z', cat, 2)).toEqual({
      ok: true,
      created: false,
      others: [bob],
      resumed: false,
      self: cat,
      protected: false,
      movedFrom: null,
    });
    expect(await expired).toEqual([{ room: 'z', peerId: ann.peerId }]);
    expect(await b.members('z')).toEqual([bob, cat]);
  });

  it("forgets a locked room's password when a sweep removes the last members, of a dead node", async () => {
    const prefix = uniquePrefix();
    const client = await connect();
    const a = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    const b = await registry(client, { prefix, sweepIntervalMs: 0 });
    const lock = 'scrypt$16384$8$5$salt$key';
    await a.join('locked', ann, 2, { unlocks: null, opensWith: lock });
    expect(await keysUnder(client, `${prefix}room:locked:lock`)).toEqual([`${prefix}room:locked:lock`]);
    expect(await client.get(`${prefix}room:locked:lock`)).toBe(lock);

    await a.close();
    expect(await b.sweep()).toEqual([{ room: 'locked', peerId: ann.peerId }]);
    expect(await keysUnder(client, `${prefix}room:`)).toEqual([]);
    expect(await b.join('locked', bob, 2)).toMatchObject({ ok: true, created: true, protected: false });
  });

  it('keeps a member that resumed through another node when its first node dies', async () => {
    const prefix = uniquePrefix();
    const a = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    const b = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    await a.join('r', ann, 2);
    await b.join('r', bob, 2);
    expect(await b.join('r', { peerId: ann.peerId, name: 'Annie' }, 2)).toEqual({
      ok: true,
      created: false,
      others: [bob],
      resumed: true,
      self: ann,
      protected: false,
      movedFrom: null,
    });

    await a.close();
    expect(await b.sweep()).toEqual([]);
    expect(await b.members('r')).toEqual([ann, bob]);
    // A departure timer left on the old node must not take the place away from the new one.
    expect(await a.leaveIfHeld('r', ann.peerId)).toBe(false);
    expect(await b.leaveIfHeld('r', ann.peerId)).toBe(true);
    expect(await b.members('r')).toEqual([bob]);
  });

  it('leaves no key behind once everyone has left, and none at all once the nodes have closed', async () => {
    const prefix = uniquePrefix();
    const client = await connect();
    const a = await registry(client, { prefix, sweepIntervalMs: 0 });
    const b = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    const doomed = await registry(await connect(), { prefix, sweepIntervalMs: 0 });
    await a.join('one', ann, 2);
    await b.join('one', bob, 2);
    await b.join('one', cat, 2); // refused: full
    await a.join('two', cat, 3);
    await b.join('two', { peerId: cat.peerId, name: 'Cat' }, 3); // a resume through b
    await doomed.join('two', { peerId: 'dan-000004', name: 'Dan' }, 3);
    await doomed.join('three', { peerId: 'eve-000005', name: 'Eve' }, 3);
    await doomed.close();
    expect(await a.sweep()).toHaveLength(2);

    await a.leave('one', ann.peerId);
    await a.leave('one', bob.peerId);
    await b.leave('two', cat.peerId);
    expect(await a.roomCount()).toBe(0);
    expect(await keysUnder(client, prefix)).toEqual(
      [`${prefix}node:${a.nodeId}`, `${prefix}node:${b.nodeId}`].sort(),
    );

    await a.close();
    await b.close();
    expect(await keysUnder(client, prefix)).toEqual([]);
  });
});

describe('RedisRoomRegistry lifecycle', () => {
  it('keeps a heartbeat with a TTL while running and deletes it on close unless told to keep it', async () => {
    const prefix = uniquePrefix();
    const client = await connect();
    const a = await registry(client, { prefix, heartbeatIntervalMs: 1_000, heartbeatTtlMs: 3_000 });
    const b = await registry(client, { prefix });
    const ttl = await client.pTTL(`${prefix}node:${a.nodeId}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3_000);
    expect(b.heartbeatTtlMs).toBe(15_000);

    await a.close({ keepHeartbeat: true });
    expect(await client.exists(`${prefix}node:${a.nodeId}`)).toBe(1);
    await b.close();
    expect(await client.exists(`${prefix}node:${b.nodeId}`)).toBe(0);
  });

  it('is started and closed safely twice, and refuses joins before start and after close', async () => {
    const client = await connect();
    const rooms = new RedisRoomRegistry({ client, prefix: uniquePrefix() });
    await expect(rooms.join('r', ann, 2)).rejects.toThrow(TypeError);
    const started = rooms.start();
    expect(rooms.start()).toBe(started);
    await started;
    const closed = rooms.close();
    expect(rooms.close()).toBe(closed);
    await closed;
    await expect(rooms.join('r', ann, 2)).rejects.toThrow(/closed/);
    await expect(rooms.start()).rejects.toThrow(/closed/);
  });

  it('says so when its heartbeat had lapsed', async () => {
    const client = await connect();
    const prefix = uniquePrefix();
    const rooms = new RedisRoomRegistry({ client, prefix, heartbeatIntervalMs: 50, sweepIntervalMs: 0 });
    registries.push(rooms);
    const lapsed = new Promise<RedisRegistryError>((resolve) => {
      const listener: RedisRoomRegistryEvents['error'] = (error) => resolve(error);
      rooms.on('error', listener);
    });
    await rooms.start();
    await client.del(`${prefix}node:${rooms.nodeId}`);
    expect(await within(lapsed, 2_000, 'a HEARTBEAT_LAPSED error')).toMatchObject({
      code: 'HEARTBEAT_LAPSED',
    });
  });

  it('still works after Redis has forgotten its scripts', async () => {
    const client = await connect();
    const rooms = await registry(client, { prefix: uniquePrefix() });
    await rooms.join('r', ann, 2);
    await client.scriptFlush();
    expect(await rooms.join('r', bob, 2)).toMatchObject({ ok: true, others: [ann] });
    expect(await rooms.members('r')).toEqual([ann, bob]);
  });

  it('rejects settings that would let a live node expire', async () => {
    const client = await connect();
    expect(
      () => new RedisRoomRegistry({ client, heartbeatIntervalMs: 1_000, heartbeatTtlMs: 1_000 }),
    ).toThrow(TypeError);
    expect(() => new RedisRoomRegistry({ client, nodeId: 'a:b' })).toThrow(TypeError);
  });
});
