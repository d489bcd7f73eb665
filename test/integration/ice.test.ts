import { createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { type Socket, io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ackSchema } from '../../src/protocol/index.js';
import { StunMethod, buildStunMessage, parseStunMessage } from '../../src/server/ice/stun-message.js';
import { ConfigError, configFrom } from '../../src/server/index.js';
import { type TestServer, startTestServer, startWithStun } from '../support/server.js';

const TURN_SECRET = 'integration-turn-secret-0123456789';
const TURN_URLS = ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349?transport=tcp'];
const TTL = 3600;

/** Joins through a socket whose handshake carries `host` as its Host header (as a browser would send). */
async function joinWithHost(url: string, host: string | undefined, sockets: Socket[]) {
  const socket = io(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(host === undefined ? {} : { extraHeaders: { host } }),
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = ackSchema('join').parse(
    await socket.emitWithAck('join', { v: PROTOCOL_VERSION, room: 'ice', name: 'Someone' }),
  );
  if (!ack.ok) expect.fail(`join failed: ${ack.error.code}`);
  return { ack, raw: JSON.stringify(ack) };
}

/** Sends one STUN Binding request and resolves with the response's class. */
async function stunBinding(port: number): Promise<string> {
  const socket = createSocket('udp4');
  try {
    const transactionId = randomBytes(12);
    return await new Promise<string>((resolve) => {
      socket.on('message', (datagram) => {
        const parsed = parseStunMessage(datagram);
        if (parsed.ok && parsed.message.transactionId.equals(transactionId)) resolve(parsed.message.class);
      });
      socket.send(
        buildStunMessage({ method: StunMethod.binding, class: 'request', transactionId }),
        port,
        '127.0.0.1',
      );
    });
  } finally {
    socket.close();
  }
}

describe('ICE servers in the join ack', () => {
  let server: TestServer;
  let stunPort: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    ({ server, stunPort } = await startWithStun({
      maxPeers: 8,
      turnUrls: TURN_URLS,
      turnSecret: TURN_SECRET,
      turnTtl: TTL,
      icePolicy: 'relay',
    }));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server?.close();
  });

  it('answers STUN Binding requests on the configured port', async () => {
    expect(await stunBinding(stunPort)).toBe('success-response');
  });

  it('hands out the STUN URL under the host the client used, and TURN with credentials for this peer', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { ack } = await joinWithHost(server.url, 'chat.example.org:8443', sockets);
    const after = Math.floor(Date.now() / 1000);
    expect(ack.iceTransportPolicy).toBe('relay');
    expect(ack.iceServers).toHaveLength(2);
    expect(ack.iceServers[0]).toEqual({ urls: [`stun:chat.example.org:${stunPort}`] });

    const turn = ack.iceServers[1];
    expect(turn?.urls).toEqual(TURN_URLS);
    const [expiry, peerId] = (turn?.username ?? '').split(':');
    expect(peerId).toBe(ack.self.id);
    expect(Number(expiry)).toBeGreaterThanOrEqual(before + TTL);
    expect(Number(expiry)).toBeLessThanOrEqual(after + TTL);
    // What coturn computes with use-auth-secret: the credential verifies with the shared secret.
    expect(turn?.credential).toBe(
      createHmac('sha1', TURN_SECRET)
        .update(turn?.username ?? '')
        .digest('base64'),
    );
  });

  it('mints a fresh username for each joiner', async () => {
    const one = await joinWithHost(server.url, undefined, sockets);
    const two = await joinWithHost(server.url, undefined, sockets);
    const username = (ack: typeof one.ack) => ack.iceServers.find((s) => s.username)?.username;
    expect(username(one.ack)).toMatch(new RegExp(`:${one.ack.self.id}$`));
    expect(username(two.ack)).toMatch(new RegExp(`:${two.ack.self.id}$`));
  });

  it('keeps IPv6 brackets and uses the default Host of the URL the client opened', async () => {
    expect((await joinWithHost(server.url, '[2001:db8::7]:8443', sockets)).ack.iceServers[0]).toEqual({
      urls: [`stun:[2001:db8::7]:${stunPort}`],
    });
    expect((await joinWithHost(server.url, undefined, sockets)).ack.iceServers[0]).toEqual({
      urls: [`stun:localhost:${stunPort}`],
    });
  });

  it('leaves STUN out when the Host header is not a host', async () => {
    const { ack } = await joinWithHost(server.url, 'evil.example/../x', sockets);
    expect(ack.iceServers.map((s) => s.urls)).toEqual([TURN_URLS]);
  });

  it('answers `ice` before joining, with fresh credentials for a throwaway id, and again for a member', async () => {
    const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const before = ackSchema('ice').parse(await socket.emitWithAck('ice', {}));
    if (!before.ok) expect.fail(`ice failed: ${before.error.code}`);
    expect(before.iceTransportPolicy).toBe('relay');
    const turn = before.iceServers.find((s) => s.username !== undefined);
    expect(turn?.credential).toBe(
      createHmac('sha1', TURN_SECRET)
        .update(turn?.username ?? '')
        .digest('base64'),
    );
    expect(JSON.stringify(before)).not.toContain(TURN_SECRET);

    const joined = ackSchema('join').parse(
      await socket.emitWithAck('join', { v: PROTOCOL_VERSION, room: 'ice-member', name: 'Member' }),
    );
    if (!joined.ok) expect.fail(`join failed: ${joined.error.code}`);
    const after = ackSchema('ice').parse(await socket.emitWithAck('ice', {}));
    if (!after.ok) expect.fail(`ice failed: ${after.error.code}`);
    expect(after.iceServers.find((s) => s.username)?.username).toMatch(new RegExp(`:${joined.self.id}$`));
    expect(turn?.username).not.toMatch(new RegExp(`:${joined.self.id}$`));
  });

  it('refuses an `ice` request with a payload it does not know', async () => {
    const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const ack = ackSchema('ice').parse(await socket.emitWithAck('ice', { peerId: 'someone-else' }));
    expect(ack.ok ? 'ok' : ack.error.code).toBe('BAD_REQUEST');
  });

  it('never sends the TURN secret', async () => {
    const { raw } = await joinWithHost(server.url, 'chat.example.org', sockets);
    expect(raw).not.toContain(TURN_SECRET);
  });
});

describe('ICE settings', () => {
  it('a server without them hands out nothing and allows every path', async () => {
    const server = await startTestServer();
    const sockets: Socket[] = [];
    try {
      const { ack } = await joinWithHost(server.url, undefined, sockets);
      expect(ack.iceServers).toEqual([]);
      expect(ack.iceTransportPolicy).toBe('all');
    } finally {
      for (const socket of sockets) socket.close();
      await server.close();
    }
  });

  it('stops answering STUN when closed, and names the setting when its port is taken', async () => {
    const { server, stunPort } = await startWithStun();
    await expect(startTestServer({ stunPort })).rejects.toThrow('--stun-port (PARLEY_STUN_PORT)');
    await server.close();
    await server.close();
    // The port is free again: a second server can take it.
    const again = await startTestServer({ stunPort });
    expect(await stunBinding(stunPort)).toBe('success-response');
    await again.close();
  });

  it.each([
    [{ turnUrls: ['http://turn.example.org'], turnSecret: TURN_SECRET }, '--turn-urls (PARLEY_TURN_URLS)'],
    [{ turnUrls: TURN_URLS }, '--turn-secret (PARLEY_TURN_SECRET)'],
    [{ icePolicy: 'relay' as const }, '--ice-policy (PARLEY_ICE_POLICY)'],
    [{ turnTtl: 10 }, '--turn-ttl (PARLEY_TURN_TTL)'],
  ])('refuses %j, naming %s', (overrides, name) => {
    expect(() => configFrom(overrides)).toThrow(ConfigError);
    expect(() => configFrom(overrides)).toThrow(name);
  });
});
