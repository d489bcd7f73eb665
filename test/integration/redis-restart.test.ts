import { afterEach, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { type TestServer, testServers } from '../support/server.js';
import { FAST_REGISTRY } from '../support/timing.js';
import { type Client, type Inbox, connect, join, requestJoin, sendSignal } from './clients.js';

const SECRET = 'a-secret-shared-by-every-node-of-the-test';

/**
 * Redis is where the nodes keep who is in which room. A Redis without persistence that restarts comes
 * back empty: each node then puts back the places of the people connected to it, so the rooms are as
 * full, as locked and as reachable as before.
 */
describe('a Redis restart with two Parley servers on it', () => {
  let redis: RunningRedis | undefined;
  // Hooks run as a stack: the sockets close first, then the servers, then Redis stops.
  afterEach(async () => {
    await redis?.close();
    redis = undefined;
  });
  const start = testServers();
  const sockets: Client[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  const open = async (url: string): Promise<{ socket: Client; inbox: Inbox }> => {
    const client = await connect(url);
    sockets.push(client.socket);
    return client;
  };
  const startNodes = async (url: string) => {
    const settings = { redisUrl: url, secret: SECRET, maxPeers: 2 };
    return Promise.all([
      start(settings, { registryTiming: FAST_REGISTRY }),
      start(settings, { registryTiming: FAST_REGISTRY }),
    ]);
  };
  const readiness = async (server: TestServer) => {
    const response = await fetch(`${server.url}/readyz`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('loses nothing: calls go on, rooms are full and locked again, and a new cross-node call connects', async () => {
    redis = await startRedis();
    const [one, two] = await startNodes(redis.url);
    if (!one || !two) throw new Error('setup failed');

    // A call of two across the nodes, and a locked room with one person in it.
    const ann = await open(one.url);
    const bob = await open(two.url);
    const annJoin = await join(ann.socket, 'standup', 'Ann');
    const bobJoin = await join(bob.socket, 'standup', 'Bob');
    const cy = await open(two.url);
    await join(cy.socket, 'private', 'Cy', undefined, 'correct horse');

    await redis.crash();
    // While Redis is away: joins are refused at once with a code that says so, and /readyz says why.
    const early = await open(one.url);
    expect(await requestJoin(early.socket, { room: 'elsewhere', name: 'Dee' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    await expect.poll(() => readiness(one), { timeout: 5_000 }).toMatchObject({ status: 503 });

    redis = await startRedis({ port: redis.port });

    // Both nodes are ready again and the call's signaling crosses nodes as before.
    await expect.poll(async () => (await readiness(one)).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(async () => (await readiness(two)).status, { timeout: 10_000 }).toBe(200);
    await expect
      .poll(
        async () => {
          const eve = await open(two.url);
          const answer = await requestJoin(eve.socket, { room: 'standup', name: 'Eve' });
          eve.socket.close();
          return answer.ok ? 'let in' : answer.error.code;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBe('ROOM_FULL');

    const guest = await open(one.url);
    expect(await requestJoin(guest.socket, { room: 'private', name: 'Gus' })).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_REQUIRED' },
    });
    expect(await join(guest.socket, 'private', 'Gus', undefined, 'correct horse')).toMatchObject({
      protected: true,
      created: false,
    });

    await expect
      .poll(async () => (await sendSignal(ann.socket, bobJoin.self.id, 'after-restart')).ok, {
        timeout: 5_000,
      })
      .toBe(true);
    await bob.inbox.waitFor((r) => r.event === 'signal' && r.payload.from === annJoin.self.id);

    // A new call across the nodes.
    const fay = await open(one.url);
    const gil = await open(two.url);
    const fayJoin = await join(fay.socket, 'fresh', 'Fay');
    const gilJoin = await join(gil.socket, 'fresh', 'Gil');
    expect(gilJoin.peers).toEqual([{ id: fayJoin.self.id, name: 'Fay' }]);
    expect(await sendSignal(gil.socket, fayJoin.self.id, 'hello')).toEqual({ ok: true });
    await fay.inbox.waitFor((r) => r.event === 'signal' && r.payload.from === gilJoin.self.id);
  });
});
