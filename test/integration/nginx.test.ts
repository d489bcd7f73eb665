import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue } from '../support/metrics.js';
import { type RunningNginx, startNginx } from '../support/nginx.js';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { type Client, connect, join, sendSignal } from './clients.js';

const SECRET = 'a-secret-shared-by-every-node-behind-nginx';

/** The nginx configuration of docs/deployment-redis.md, in front of two nodes on one Redis. */
describe('two nodes behind nginx', () => {
  let redis: RunningRedis;
  let servers: TestServer[];
  let nginx: RunningNginx;
  const sockets: Client[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    servers = await Promise.all([1, 2].map(() => startTestServer({ redisUrl: redis.url, secret: SECRET })));
    nginx = await startNginx(servers.map((server) => `127.0.0.1:${server.port}`));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await nginx?.close();
    await Promise.all(servers.map((server) => server.close()));
    await redis?.close();
  });

  it('upgrades to WebSocket through the proxy, spreads connections over both nodes, and they meet', async () => {
    const ann = await connect(nginx.url);
    const bob = await connect(nginx.url);
    sockets.push(ann.socket, bob.socket);

    // Round robin over the two upstreams: one connection on each node, as each node's own count shows.
    const counts = await Promise.all(
      servers.map((server) => metricValue(server.url, 'parley_connected_sockets')),
    );
    expect(counts).toEqual([1, 1]);

    const annJoin = await join(ann.socket, 'proxied', 'Ann');
    const bobJoin = await join(bob.socket, 'proxied', 'Bob');
    expect(bobJoin.peers).toEqual([{ id: annJoin.self.id, name: 'Ann' }]);
    expect(await sendSignal(bob.socket, annJoin.self.id)).toEqual({ ok: true });
    const signal = await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(signal.payload).toMatchObject({ from: bobJoin.self.id });
  });

  it('keeps /metrics to the machines that run Parley: nginx does not pass it on', async () => {
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('passes /readyz through', async () => {
    const response = await fetch(`${nginx.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });
});
