import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue } from '../support/metrics.js';
import { type RunningNginx, startNginx } from '../support/nginx.js';
import { freePort } from '../support/ports.js';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';
import { testServers } from '../support/server.js';
import { sendSignal } from './clients.js';
import { PageLikeClient } from './page-like-client.js';

const SHUTDOWN_TIMEOUT_MS = 5_000;

/** The real `parley` command as built (dist/cli.js), plain HTTP on a given port, logging its shutdown. */
const startNode = (port: number, dataDir: string) =>
  startServerProcess({
    port,
    dataDir,
    args: ['--log-level', 'info', `--shutdown-timeout-ms=${SHUTDOWN_TIMEOUT_MS}`],
  });

describe('SIGTERM with people in a call (memory state)', () => {
  const nodes: ServerProcess[] = [];
  const clients: PageLikeClient[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.close();
    for (const node of nodes.splice(0)) await node.kill();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('exits within the bound, and after a restart the clients reconnect and resume their places by themselves', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-shutdown-'));
    dirs.push(dataDir);
    const first = await startNode(port, dataDir);
    nodes.push(first);
    const url = `http://127.0.0.1:${port}`;
    const ann = new PageLikeClient(url);
    const bob = new PageLikeClient(url);
    clients.push(ann, bob);
    const annJoin = await ann.join('restart', 'Ann');
    const bobJoin = await bob.join('restart', 'Bob');

    const sentAt = performance.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    const took = performance.now() - sentAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(first.stdout()).toContain('"sockets":2,"msg":"closing; connected clients will reconnect"');
    // A closed transport, not a socket.io disconnect: socket.io clients then reconnect on their own.
    expect(ann.disconnects).toEqual(['transport close']);
    expect(bob.disconnects).toEqual(['transport close']);

    const second = await startNode(port, dataDir);
    nodes.push(second);
    const [annBack, bobBack] = await Promise.all([ann.resumed(), bob.resumed()]);
    // Same peer ids: the resume tokens are HMACs under the secret kept in the data dir.
    expect(annBack.self).toEqual(annJoin.self);
    expect(bobBack.self).toEqual(bobJoin.self);
    // Both are in the room again, and signaling between them works.
    expect(await sendSignal(bob.socket, annJoin.self.id, 'v=0 after restart')).toEqual({ ok: true });
    const signal = await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(signal.payload.from).toBe(bobJoin.self.id);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 40_000);
});

describe('a node shutting down with people on it (Redis, behind nginx)', () => {
  /** Heartbeats every second, expiring after three: a dead node's people go within about 4 s. */
  const TIMING = { heartbeatIntervalMs: 1_000, heartbeatTtlMs: 3_000, sweepIntervalMs: 1_000 };
  const EXPIRY_BOUND_MS = TIMING.heartbeatTtlMs + TIMING.sweepIntervalMs;
  let redis: RunningRedis | undefined;
  let nginx: RunningNginx | undefined;
  // Hooks run as a stack: the clients go first, then nginx, then the servers, then Redis.
  afterEach(async () => {
    await redis?.close();
  });
  const start = testServers();
  const clients: PageLikeClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.close();
    await nginx?.close();
  });

  it('lets its people resume on the other node under the same peer id, and the others notice nothing', async () => {
    redis = await startRedis();
    const settings = { redisUrl: redis.url, secret: 'a-secret-shared-by-both-nodes-behind-nginx' };
    const nodes = await Promise.all([
      start(settings, { registryTiming: TIMING }),
      start(settings, { registryTiming: TIMING }),
    ]);
    nginx = await startNginx(nodes.map((server) => `127.0.0.1:${server.port}`));
    const ann = new PageLikeClient(nginx.url);
    const bob = new PageLikeClient(nginx.url);
    clients.push(ann, bob);
    const annJoin = await ann.join('handover', 'Ann');
    // Ann's node is the one that goes; nginx's round robin puts Bob on the other.
    const counts = await Promise.all(
      nodes.map((server) => metricValue(server.url, 'parley_connected_sockets')),
    );
    const [leaving, staying] = counts[0] === 1 ? [nodes[0], nodes[1]] : [nodes[1], nodes[0]];
    if (!leaving || !staying) throw new Error('two nodes expected');
    const bobJoin = await bob.join('handover', 'Bob');
    expect(await metricValue(leaving.url, 'parley_connected_sockets')).toBe(1);
    expect(await metricValue(staying.url, 'parley_connected_sockets')).toBe(1);

    // What SIGTERM does, without the process exit.
    await leaving.close();
    const back = await ann.resumed();
    expect(ann.disconnects).toEqual(['transport close']);
    expect(back.self).toEqual(annJoin.self);
    expect(await metricValue(staying.url, 'parley_connected_sockets')).toBe(2);

    // The node's heartbeat has run out and been swept by now: a place it held but nobody took back would
    // be gone. Waiting is the only way to see that nothing happens.
    await new Promise((resolve) => setTimeout(resolve, EXPIRY_BOUND_MS + 1_000));
    expect(bob.inbox.events.filter((r) => r.event !== 'signal')).toEqual([]);
    expect(await sendSignal(bob.socket, annJoin.self.id, 'v=0 after the move')).toEqual({ ok: true });
    const signal = await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(signal.payload.from).toBe(bobJoin.self.id);
  }, 40_000);
});
