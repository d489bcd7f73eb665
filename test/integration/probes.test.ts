import { afterEach, describe, expect, it } from 'vitest';
import { metricValue, parseMetrics, scrapeMetrics } from '../support/metrics.js';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { testServers } from '../support/server.js';
import { connect, join, sendSignal } from './clients.js';

const TOKEN = 'metrics-token-for-the-test';

describe('/readyz and /metrics', () => {
  // Stopped after the servers (hooks run as a stack): Redis, when a test started one.
  const redises: RunningRedis[] = [];
  afterEach(async () => {
    for (const redis of redises.splice(0)) await redis.close();
  });
  const serve = testServers();
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('is ready without Redis', async () => {
    const server = await serve();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('is ready while Redis answers and says why not once Redis is gone', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const server = await serve({ redisUrl: redis.url });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);

    await redis.close();
    const started = performance.now();
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not ready', reason: 'redis does not answer' });
    // The PING is given 1 s; the answer must not wait much longer than that.
    expect(performance.now() - started).toBeLessThan(2_000);
    // Still alive, though: restarting it would not help.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // And still counting what it can; the room count, which lives in Redis, is unknown.
    // prom-client writes NaN as `Nan`; Prometheus parses either.
    expect((await scrapeMetrics(server.url)).value('parley_rooms')).toBeNaN();
  });

  it('counts a join and a relayed signal', async () => {
    const server = await serve();
    const ann = await connect(server.url);
    const bob = await connect(server.url);
    cleanups.push(() => {
      ann.socket.close();
      bob.socket.close();
    });
    await join(ann.socket, 'counted', 'Ann');
    const bobJoin = await join(bob.socket, 'counted', 'Bob');
    expect(await sendSignal(ann.socket, bobJoin.self.id)).toEqual({ ok: true });
    expect(await sendSignal(ann.socket, 'nobody-here')).toMatchObject({ ok: false });

    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const metrics = parseMetrics(await response.text());
    expect(metrics.value('parley_join_duration_seconds_count')).toBe(2);
    expect(metrics.value('parley_signals_relayed_total', { kind: 'description' })).toBe(1);
    expect(metrics.value('parley_rejected_events_total', { code: 'UNKNOWN_PEER' })).toBe(1);
    expect(metrics.value('parley_rooms')).toBe(1);
    expect(metrics.value('parley_peers_in_calls')).toBe(2);
    expect(metrics.value('parley_connected_sockets')).toBe(2);
    expect(metrics.value('process_cpu_user_seconds_total')).toBeDefined();
  });

  it('counts the TURN credentials it hands out', async () => {
    const server = await serve({
      turnUrls: ['turn:127.0.0.1:3478'],
      turnSecret: 'a-turn-secret-for-the-test',
    });
    const ann = await connect(server.url);
    cleanups.push(() => {
      ann.socket.close();
    });
    await join(ann.socket, 'relayed', 'Ann');
    expect(await metricValue(server.url, 'parley_turn_credentials_issued_total')).toBe(1);
  });

  it('asks for the bearer token when one is set', async () => {
    const server = await serve({ metricsToken: TOKEN });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(parseMetrics(await right.text()).value('parley_rooms')).toBeDefined();
  });
});
