import { afterEach, describe, expect, it } from 'vitest';
import { startRedis } from '../support/redis.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { connect, join, sendSignal } from './clients.js';

const TOKEN = 'metrics-token-for-the-test';

describe('/readyz and /metrics', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const serve = async (...args: Parameters<typeof startTestServer>): Promise<TestServer> => {
    const server = await startTestServer(...args);
    cleanups.push(() => server.close());
    return server;
  };

  it('is ready without Redis', async () => {
    const server = await serve();
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('is ready while Redis answers and says why not once Redis is gone', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.close());
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
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(200);
    // prom-client writes NaN as `Nan`; Prometheus parses either.
    expect(await metrics.text()).toMatch(/^parley_rooms nan$/im);
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
    const text = await response.text();
    expect(text).toMatch(/^parley_join_duration_seconds_count 2$/m);
    expect(text).toMatch(/^parley_signals_relayed_total\{kind="description"\} 1$/m);
    expect(text).toMatch(/^parley_rejected_events_total\{code="UNKNOWN_PEER"\} 1$/m);
    expect(text).toMatch(/^parley_rooms 1$/m);
    expect(text).toMatch(/^parley_peers_in_calls 2$/m);
    expect(text).toMatch(/^parley_connected_sockets 2$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
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
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^parley_turn_credentials_issued_total 1$/m);
  });

  it('asks for the bearer token when one is set', async () => {
    const server = await serve({ metricsToken: TOKEN });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('parley_rooms');
  });
});
