import { type Socket, io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ackSchema } from '../../src/protocol/index.js';
import { createHttpApp } from '../../src/server/http.js';
import { createLogger } from '../../src/server/logger.js';
import { compileTrustProxy } from '../../src/server/trust-proxy.js';
import { type MetricLabels, metricValue } from '../support/metrics.js';
import { testServers } from '../support/server.js';
import { type Client, connect, disconnected, join, sendSignal } from './clients.js';

/** Every server a test started, closed at its end; and, before that, every socket it opened. */
const server = testServers();
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A connection attempt with these headers: resolves with the socket, or with the refusal's message. */
async function attempt(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ok: true; socket: Client } | { ok: false; message: string }> {
  const socket: Client = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    extraHeaders: headers,
  });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ ok: true, socket }));
    socket.once('connect_error', (error) => resolve({ ok: false, message: error.message }));
  });
}

async function connected(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const result = await attempt(url, headers);
  if (!result.ok) expect.fail(`connection refused: ${result.message}`);
  return result.socket;
}

/** One series from /metrics, 0 when it does not exist yet (a labelled counter that has counted nothing). */
async function metric(url: string, name: string, labels: MetricLabels = {}): Promise<number> {
  return (await metricValue(url, name, labels)) ?? 0;
}

/** Waits until the server counts `count` open sockets (a closed client takes a moment to be noticed). */
async function socketsOpen(url: string, count: number): Promise<void> {
  await expect
    .poll(() => metric(url, 'parley_connected_sockets'), {
      timeout: 5_000,
      interval: 20,
      message: `the server never counted ${count} sockets`,
    })
    .toBe(count);
}

describe('origin check at the handshake', () => {
  it("refuses a foreign page's WebSocket and polling handshakes, and counts them", async () => {
    const { url } = await server();
    const refused = await attempt(url, { origin: 'https://evil.example' });
    expect(refused.ok).toBe(false);

    // Polling is not served at all (the page uses WebSocket only): refused before any Origin check.
    const polling = await fetch(`${url}/socket.io/?EIO=4&transport=polling`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(polling.status).toBe(400);
    expect(await polling.text()).not.toContain('"sid"');

    expect(await metric(url, 'parley_refused_handshakes_total', { reason: 'origin' })).toBe(1);
    expect(await metric(url, 'parley_connected_sockets')).toBe(0);
  });

  it("accepts the page's own origin, a listed one, and tools that send no Origin", async () => {
    const { url, port } = await server({ allowedOrigins: ['self', 'https://intranet.example.org'] });
    await connected(url, { origin: `http://localhost:${port}` });
    await connected(url, { origin: 'https://intranet.example.org' });
    await connected(url);
    expect(await metric(url, 'parley_refused_handshakes_total', { reason: 'origin' })).toBe(0);
    // Another port of the same host is another origin.
    expect((await attempt(url, { origin: `http://localhost:${port + 1}` })).ok).toBe(false);
  });

  it('accepts only the listed origins when self is not among them', async () => {
    const { url, port } = await server({ allowedOrigins: ['https://intranet.example.org'] });
    expect((await attempt(url, { origin: `http://localhost:${port}` })).ok).toBe(false);
    await connected(url, { origin: 'https://intranet.example.org' });
  });
});

describe('request limits', () => {
  it('answers RATE_LIMITED past a socket’s signal limit, says when to retry, and recovers after the window', async () => {
    const { url } = await server({ rateSignal: { points: 5, seconds: 1 } });
    const ann = await connect(url);
    const bob = await connect(url);
    sockets.push(ann.socket, bob.socket);
    const annJoin = await join(ann.socket, 'limits', 'Ann');
    const bobJoin = await join(bob.socket, 'limits', 'Bob');

    for (let i = 0; i < 5; i += 1)
      expect(await sendSignal(bob.socket, annJoin.self.id)).toEqual({ ok: true });
    const limited = await sendSignal(bob.socket, annJoin.self.id);
    if (limited.ok) expect.fail('the sixth signal in a second was relayed');
    expect(limited.error.code).toBe('RATE_LIMITED');
    expect(limited.error.message).toMatch(
      /^Too many signal requests from this connection\. Try again in 1 s\.$/,
    );
    const wait = limited.error.retryAfterMs ?? Number.NaN;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1_000);
    // Ann's allowance is her own.
    expect(await sendSignal(ann.socket, bobJoin.self.id)).toEqual({ ok: true });

    expect(await metric(url, 'parley_rate_limited_total', { event: 'signal', scope: 'socket' })).toBe(1);
    expect(await metric(url, 'parley_rejected_events_total', { code: 'RATE_LIMITED' })).toBe(1);

    // The server said when: after that, the window has rolled over.
    await new Promise((resolve) => setTimeout(resolve, wait + 50));
    expect(await sendSignal(bob.socket, annJoin.self.id)).toEqual({ ok: true });
  });

  it('limits joins per address across sockets (IPv4 here), and ice per socket', async () => {
    const { url } = await server({
      rateJoinIp: { points: 3, seconds: 60 },
      rateIce: { points: 2, seconds: 60 },
    });
    const clients = await Promise.all([1, 2, 3, 4].map(() => connected(url)));
    for (const [i, socket] of clients.slice(0, 3).entries()) await join(socket, `room-${i}`, 'Someone');
    const fourth = ackSchema('join').parse(
      await clients[3]?.emitWithAck('join', { v: PROTOCOL_VERSION, room: 'room-3', name: 'Someone' }),
    );
    if (fourth.ok) expect.fail('a fourth join from one address within the minute was admitted');
    expect(fourth.error.code).toBe('RATE_LIMITED');
    expect(fourth.error.message).toMatch(/from your network address\. Try again in \d+ s\.$/);
    expect(await metric(url, 'parley_rate_limited_total', { event: 'join', scope: 'ip' })).toBe(1);

    const ice = async () => ackSchema('ice').parse(await clients[0]?.emitWithAck('ice', {}));
    expect((await ice()).ok).toBe(true);
    expect((await ice()).ok).toBe(true);
    expect(await ice()).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    // Another socket has its own.
    expect(ackSchema('ice').parse(await clients[1]?.emitWithAck('ice', {})).ok).toBe(true);
  });

  it('counts bad payloads as rejections', async () => {
    const { url } = await server();
    const socket = await connected(url);
    const raw = socket as unknown as Socket;
    expect(await raw.emitWithAck('signal', { to: 'nobody-at-all', signal: 'hello' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await metric(url, 'parley_rejected_events_total', { code: 'BAD_REQUEST' })).toBe(1);
  });
});

describe('connections per address', () => {
  it('refuses the connection past the limit at the handshake, and admits one again when one closes', async () => {
    const { url } = await server({ maxConnectionsPerIp: 3 });
    const open = await Promise.all([1, 2, 3].map(() => connected(url)));
    const fourth = await attempt(url);
    expect(fourth.ok).toBe(false);
    expect(await metric(url, 'parley_refused_handshakes_total', { reason: 'connection-limit' })).toBe(1);

    open[0]?.close();
    await socketsOpen(url, 2);
    await connected(url);
  });
});

describe('connections per address, all at once', () => {
  it('admits exactly the limit of ten simultaneous handshakes', async () => {
    const { url } = await server({ maxConnectionsPerIp: 3 });
    const results = await Promise.all(Array.from({ length: 10 }, () => attempt(url)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    expect(await metric(url, 'parley_refused_handshakes_total', { reason: 'connection-limit' })).toBe(7);
  });
});

describe('client addresses behind a proxy', () => {
  it('ignores X-Forwarded-For unless the proxy is trusted', async () => {
    const { url } = await server({ maxConnectionsPerIp: 1 });
    await connected(url, { 'x-forwarded-for': '198.51.100.1' });
    // A different claimed address changes nothing: both are 127.0.0.1.
    expect((await attempt(url, { 'x-forwarded-for': '198.51.100.2' })).ok).toBe(false);
  });

  it('honours X-Forwarded-For from a trusted proxy, counting each client by the address it names', async () => {
    const { url } = await server({ maxConnectionsPerIp: 1, trustProxy: 'loopback' });
    await connected(url, { 'x-forwarded-for': '198.51.100.1' });
    await connected(url, { 'x-forwarded-for': '198.51.100.2' });
    // The address left of the trusted proxy is the client; a second connection from it is one too many.
    expect((await attempt(url, { 'x-forwarded-for': '198.51.100.1' })).ok).toBe(false);
    // IPv6 clients count per /64.
    await connected(url, { 'x-forwarded-for': '2001:db8:1:2::1' });
    expect((await attempt(url, { 'x-forwarded-for': '2001:db8:1:2::99' })).ok).toBe(false);
  });

  it('gives express the same trust, so req.ip agrees with the sockets', () => {
    const config = { webRoot: '/nonexistent', http: true };
    const logger = createLogger({ logLevel: 'silent', logFile: undefined });
    const trusting = createHttpApp(config, logger, undefined, compileTrustProxy('loopback'));
    const trustFn = trusting.get('trust proxy fn') as (address: string, i: number) => boolean;
    expect(trustFn('127.0.0.1', 0)).toBe(true);
    expect(trustFn('198.51.100.1', 0)).toBe(false);
  });
});

describe('a flood from one client', () => {
  it("does not stop another room's signaling, and the server keeps answering", async () => {
    const { url } = await server();
    const [flooder, target, carol, dave] = await Promise.all([1, 2, 3, 4].map(() => connect(url)));
    if (!flooder || !target || !carol || !dave) throw new Error('four clients expected');
    sockets.push(flooder.socket, target.socket, carol.socket, dave.socket);
    const targetJoin = await join(target.socket, 'room-a', 'Target');
    await join(flooder.socket, 'room-a', 'Flooder');
    await join(carol.socket, 'room-b', 'Carol');
    const daveJoin = await join(dave.socket, 'room-b', 'Dave');

    // As fast as the client can send: every request at once, none awaited. Bounded by count. Past the
    // connection's allowance of inbound events the rest go unanswered and the flooder is disconnected.
    const FLOOD = 20_000;
    const flooderGone = disconnected(flooder.socket);
    const flood = Promise.all(
      Array.from({ length: FLOOD }, () =>
        flooder.socket
          .timeout(10_000)
          .emitWithAck('signal', {
            to: targetJoin.self.id,
            signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0 flood' } },
          })
          .then((answer) => ackSchema('signal').parse(answer))
          .catch(() => 'unanswered' as const),
      ),
    );
    const SIGNALS = 200;
    const health: number[] = [];
    for (let i = 0; i < SIGNALS; i += 1) {
      expect(await sendSignal(carol.socket, daveJoin.self.id, `v=0 ${i}`)).toEqual({ ok: true });
      if (i % 50 === 0) health.push((await fetch(`${url}/healthz`)).status);
    }
    const fromCarol = () =>
      dave.inbox.events.filter((r) => r.event === 'signal' && r.payload.from !== targetJoin.self.id);
    await dave.inbox.waitFor(
      (r) =>
        r.event === 'signal' &&
        r.payload.signal.kind === 'description' &&
        r.payload.signal.description.sdp === `v=0 ${SIGNALS - 1}`,
    );
    expect(fromCarol()).toHaveLength(SIGNALS);
    expect(health).toEqual([200, 200, 200, 200]);

    expect(await flooderGone).toBe('io server disconnect');
    const answers = await flood;
    const relayed = answers.filter((a) => a !== 'unanswered' && a.ok).length;
    // The default per-socket limit (500 per 10 s) lets a burst through and refuses the rest.
    expect(relayed).toBeLessThanOrEqual(1_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 60_000);
});
