import { afterEach, describe, expect, it } from 'vitest';
import { ackSchema } from '../../src/protocol/index.js';
import type { EchoPeerHandle, EchoPeerRequest, StartEchoPeer } from '../../src/server/index.js';
import { ECHO_PEER_NAME, startEchoPeer } from '../../src/node-peer/index.js';
import { type Client, connect, join, requestJoin } from './clients.js';
import { scrapeMetrics } from '../support/metrics.js';
import { testServers } from '../support/server.js';

/**
 * Echo peers that only record what was asked and end when told: for the limits, which are the server's
 * business whatever the echo peer does. The real one is used where what it does matters.
 */
function recordingEchoPeers() {
  const started: (EchoPeerRequest & { stopped: boolean })[] = [];
  const start: StartEchoPeer = (request) => {
    const entry = { ...request, stopped: false };
    started.push(entry);
    let end: () => void = () => {};
    const ended = new Promise<void>((resolve) => (end = resolve));
    const handle: EchoPeerHandle = {
      ended,
      stop: () => {
        entry.stopped = true;
        end();
        return Promise.resolve();
      },
    };
    return Promise.resolve(handle);
  };
  return { started, start };
}

async function ask(socket: Client) {
  return ackSchema('test-call').parse(await socket.emitWithAck('test-call', {}));
}

async function running(url: string): Promise<number | undefined> {
  return (await scrapeMetrics(url)).value('parley_test_calls_running');
}

describe('test calls', () => {
  const clients: Client[] = [];
  afterEach(() => {
    for (const socket of clients.splice(0)) socket.close();
  });
  const start = testServers();
  async function client(url: string): Promise<Client> {
    const { socket } = await connect(url);
    clients.push(socket);
    return socket;
  }

  it('are offered by default, and not at all with PARLEY_TEST_CALLS=0 or without echo peers', async () => {
    const echo = recordingEchoPeers();
    const on = await start({}, { startEchoPeer: echo.start });
    const off = await start({ testCalls: 0 }, { startEchoPeer: echo.start });
    const without = await start({});
    for (const [server, enabled] of [
      [on, true],
      [off, false],
      [without, false],
    ] as const) {
      const socket = await client(server.url);
      const status = ackSchema('test-call-status').parse(await socket.emitWithAck('test-call-status', {}));
      expect(status).toEqual({ ok: true, enabled });
    }
    const refused = await ask(await client(off.url));
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(echo.started).toHaveLength(0);
  });

  it('start an echo peer in a private room of its own, which only the asker can enter', async () => {
    const echo = recordingEchoPeers();
    const server = await start({}, { startEchoPeer: echo.start });
    const answer = await ask(await client(server.url));
    if (!answer.ok) expect.fail(answer.error.message);
    expect(answer.room).toMatch(/^test-call-[0-9a-f]{24}$/);
    expect(answer.maxMs).toBe(60_000);
    expect(echo.started).toEqual([
      expect.objectContaining({ room: answer.room, password: answer.password, maxMs: 60_000 }),
    ]);
    // Its room is locked with the password only the asker got (the recorder did not open it: the server
    // does not either, so here the asker opens it and locks it; with a real echo peer it is there first).
    const stranger = await client(server.url);
    await join(await client(server.url), answer.room, 'Tester', undefined, answer.password);
    const refused = await requestJoin(stranger, { room: answer.room, name: 'Stranger' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PASSWORD_REQUIRED' } });
  });

  it('are limited to PARLEY_TEST_CALLS at once, answered in plain words, and counted', async () => {
    const echo = recordingEchoPeers();
    const server = await start({ testCalls: 2 }, { startEchoPeer: echo.start });
    const first = await client(server.url);
    expect(await ask(first)).toMatchObject({ ok: true });
    expect(await ask(await client(server.url))).toMatchObject({ ok: true });
    const third = await ask(await client(server.url));
    expect(third).toEqual({
      ok: false,
      error: { code: 'TEST_CALLS_BUSY', message: 'All test calls are busy. Try again in a minute.' },
    });
    expect(await running(server.url)).toBe(2);
    // The page that asked leaves: its echo peer ends, and the place is free again.
    first.close();
    await expect.poll(() => echo.started[0]?.stopped).toBe(true);
    await expect.poll(() => running(server.url)).toBe(1);
    expect(await ask(await client(server.url))).toMatchObject({ ok: true });
    const metrics = await scrapeMetrics(server.url);
    expect(metrics.value('parley_test_calls_total', { outcome: 'started' })).toBe(3);
    expect(metrics.value('parley_test_calls_total', { outcome: 'busy' })).toBe(1);
  });

  it('are limited per address', async () => {
    const echo = recordingEchoPeers();
    const server = await start(
      { testCalls: 10, rateTestCallIp: { points: 2, seconds: 600 } },
      { startEchoPeer: echo.start },
    );
    const socket = await client(server.url);
    expect(await ask(socket)).toMatchObject({ ok: true });
    expect(await ask(socket)).toMatchObject({ ok: true });
    const limited = await ask(await client(server.url));
    if (limited.ok) expect.fail('a third test call from one address within the window was let through');
    expect(limited.error.code).toBe('RATE_LIMITED');
    expect(limited.error.retryAfterMs).toBeGreaterThan(0);
    // A second request from one socket replaced its first echo peer rather than adding one.
    expect(echo.started.map((entry) => entry.stopped)).toEqual([true, false]);
  });

  it('end after their time with the real echo peer, which leaves its room', async () => {
    const server = await start({}, { startEchoPeer, testCallMaxMs: 5_000 });
    const tester = await client(server.url);
    const answer = await ask(tester);
    if (!answer.ok) expect.fail(answer.error.message);
    expect(answer.maxMs).toBe(5_000);
    const joined = await join(tester, answer.room, 'Tester', undefined, answer.password);
    expect(joined.peers.map((peer) => peer.name)).toEqual([ECHO_PEER_NAME]);
    await expect.poll(() => running(server.url), { timeout: 20_000 }).toBe(0);
  });
});
