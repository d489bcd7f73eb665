/**
 * Attacks from a review of Parley at the edge, each as it was carried out, each answered now. Every test
 * here failed before its fix.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { type IncomingMessage, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createLogger } from '../../src/server/logger.js';
import { testServers } from '../support/server.js';
import { ackSchema } from '../../src/protocol/index.js';
import {
  type Client,
  connect,
  disconnected,
  drop,
  join,
  requestJoin,
  requestLeave,
  sendSignal,
} from './clients.js';

/** Log lines written by a server, as parsed JSON objects. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { logLevel: 'info', logFile: undefined },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines };
}

describe('attacks at the edge', () => {
  const start = testServers();
  const sockets: { close(): void }[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  it('opens no long-polling session for a request without Origin (an <img> on any web page)', async () => {
    const { url } = await start({ allowedOrigins: ['self'] });
    const response = await fetch(`${url}/socket.io/?EIO=4&transport=polling`);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('"sid"');
  });

  it('serves /metrics to this machine only when no token is set, and takes the Bearer scheme in any case', async () => {
    const open = await start();
    expect((await fetch(`${open.url}/metrics`)).status).toBe(200);
    // What a reverse proxy on this machine passes on comes from loopback too.
    const proxied = await fetch(`${open.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(proxied.status).toBe(403);
    expect(await proxied.text()).toContain('PARLEY_METRICS_TOKEN');

    const token = 'a-metrics-token-of-enough-length';
    const locked = await start({ metricsToken: token });
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await fetch(`${locked.url}/metrics`, {
        headers: { authorization: `${scheme} ${token}`, 'x-forwarded-for': '203.0.113.9' },
      });
      expect(response.status, scheme).toBe(200);
    }
    expect((await fetch(`${locked.url}/metrics`)).status).toBe(401);
  });

  it('answers a room link that does not decode with 400, and logs no stack trace', async () => {
    const { logger, lines } = capturedLogger();
    const { url } = await start({}, { logger });
    for (let i = 0; i < 20; i += 1) expect((await fetch(`${url}/r/aa%ZZ`)).status).toBe(400);
    const errors = lines.filter((line) => Number(line.level) >= 40);
    // Throttled like the refusals: one line for the twenty.
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors)).not.toContain('URIError');
    expect(JSON.stringify(errors)).not.toContain('stack');
  });

  it('logs a refused Origin with its control characters escaped', async () => {
    const { logger, lines } = capturedLogger();
    const { port } = await start({}, { logger });
    // HTTP parsers refuse C0 controls in a header, but pass bytes above 0x7f: as Latin-1, 0x9b is the
    // C1 "control sequence introducer", which a terminal acts on like ESC [.
    const origin = Buffer.concat([
      Buffer.from('https://evil.example/'),
      Buffer.from([0x9b]),
      Buffer.from('2J'),
    ]);
    const request = Buffer.concat([
      Buffer.from(
        `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: localhost:${port}\r\n` +
          'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: ',
      ),
      origin,
      Buffer.from('\r\n\r\n'),
    ]);
    const socket = createConnection(port, '127.0.0.1');
    socket.end(request);
    // Read the refusal to its end; its words are checked elsewhere.
    await new Promise((resolve) => socket.on('close', resolve).resume());
    const refusal = lines.find((line) => line.refusal === 'origin');
    expect(refusal?.origin).toBe('https://evil.example/\\x9b2J');
  });

  it('drops a flood of unknown events past the allowance and disconnects the flooder; others are untouched', async () => {
    const { url } = await start();
    const [flooder, carol, dave] = await Promise.all([1, 2, 3].map(() => connect(url)));
    if (!flooder || !carol || !dave) throw new Error('three clients expected');
    sockets.push(flooder.socket, carol.socket, dave.socket);
    await join(carol.socket, 'quiet', 'Carol');
    const daveJoin = await join(dave.socket, 'quiet', 'Dave');

    const gone = disconnected(flooder.socket);
    const raw = flooder.socket as unknown as { emit(event: string, ...args: unknown[]): void };
    for (let i = 0; i < 5_000; i += 1) raw.emit(i % 2 ? 'no-such-event' : 'leave', {});
    expect(await gone).toBe('io server disconnect');

    expect(await sendSignal(carol.socket, daveJoin.self.id, 'v=0 still here')).toEqual({ ok: true });
    await dave.inbox.waitFor((r) => r.event === 'signal');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('lets a page in a call send what it needs without coming near the allowance', async () => {
    const { url } = await start();
    const [ann, bob] = await Promise.all([connect(url), connect(url)]);
    if (!ann || !bob) throw new Error('two clients expected');
    sockets.push(ann.socket, bob.socket);
    await join(ann.socket, 'busy', 'Ann');
    const bobJoin = await join(bob.socket, 'busy', 'Bob');
    // An offer and 60 candidates at the start, the most a real call sends in a burst.
    const client: Client = ann.socket;
    for (let i = 0; i < 61; i += 1) expect(await sendSignal(client, bobJoin.self.id)).toEqual({ ok: true });
    expect(ann.socket.connected).toBe(true);
  });

  it('closes idle TCP connections over the per-address cap at once, and still serves other addresses', async () => {
    const { port } = await start({ maxTcpConnectionsPerIp: 20 });
    const idle = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const socket = createConnection(port, '127.0.0.1');
        sockets.push({ close: () => socket.destroy() });
        await once(socket, 'connect');
        return socket;
      }),
    );
    let closed = 0;
    for (const socket of idle) socket.once('close', () => (closed += 1));
    await expect.poll(() => closed, { timeout: 5_000 }).toBe(20);

    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/healthz', localAddress: '127.0.0.2' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('keeps serving the page while one address opens sixty locked rooms at once', async () => {
    const { url } = await start();
    const clients = await Promise.all(Array.from({ length: 60 }, () => connect(url)));
    sockets.push(...clients.map((client) => client.socket));
    let pending = clients.length;
    const joins = clients.map(({ socket }, i) =>
      requestJoin(socket, { room: `locked-${i}`, name: 'Mallory', password: `password ${i}` }).finally(
        () => (pending -= 1),
      ),
    );
    // Each of those joins hashes a password; the page must not wait behind them.
    const page = await fetch(`${url}/r/locked-0`);
    const stillHashing = pending;
    expect(page.status).toBe(200);
    expect(stillHashing).toBeGreaterThanOrEqual(10);

    const answers = await Promise.all(joins);
    const admitted = answers.filter((answer) => answer.ok).length;
    const refused = answers.flatMap((answer) => (answer.ok ? [] : [answer.error]));
    expect(admitted).toBeLessThanOrEqual(20);
    expect(refused.length).toBe(60 - admitted);
    for (const error of refused) {
      expect(error.code).toBe('RATE_LIMITED');
      expect(error.retryAfterMs).toBeGreaterThan(0);
    }
  });

  it('leaves no ghost when one resume token is presented for two rooms at once', async () => {
    const { url } = await start({ maxPeers: 2 });
    const first = await connect(url);
    sockets.push(first.socket);
    const mallory = await join(first.socket, 'start', 'Mallory');
    const token = { peerId: mallory.self.id, token: mallory.token };
    first.socket.close();

    for (let round = 0; round < 4; round += 1) {
      const [one, two] = await Promise.all([connect(url), connect(url)]);
      sockets.push(one.socket, two.socket);
      const [locked, open] = [`locked-${round}`, `open-${round}`];
      const rooms = [locked, open];
      // One of them opens a locked room: hashing its password leaves a gap the other can slip into.
      const answers = await Promise.all([
        requestJoin(one.socket, { room: locked, name: 'Mallory', resume: token, password: 'pw' }),
        requestJoin(two.socket, { room: open, name: 'Mallory', resume: token }),
      ]);
      // Whoever looks into each room sees Mallory in one of them at most, and only while a socket holds
      // that place; the other room takes two newcomers.
      let listed = 0;
      for (const room of rooms) {
        const [amy, ben] = await Promise.all([connect(url), connect(url)]);
        sockets.push(amy.socket, ben.socket);
        const amyJoin = await requestJoin(amy.socket, { room, name: 'Amy', password: 'pw' });
        expect(amyJoin.ok, `${room}: ${JSON.stringify(answers)}`).toBe(true);
        if (!amyJoin.ok) continue;
        const mallorysPlace = amyJoin.peers.some((peer) => peer.id === mallory.self.id);
        if (mallorysPlace) {
          listed += 1;
          // A live socket holds that place: it hears of Amy.
          const heard = () =>
            [...one.inbox.events, ...two.inbox.events].some(
              (r) => r.event === 'peer-joined' && r.payload.peer.id === amyJoin.self.id,
            );
          await expect.poll(heard).toBe(true);
        } else
          expect(await requestJoin(ben.socket, { room, name: 'Ben', password: 'pw' })).toMatchObject({
            ok: true,
          });
        amy.socket.close();
        ben.socket.close();
      }
      expect(listed).toBeLessThanOrEqual(1);
      one.socket.close();
      two.socket.close();
    }
  });

  it('hands out no pile of day-long TURN credentials: one per peer, short ones for the lobby, limited per address', async () => {
    const { url } = await start({
      turnUrls: ['turn:turn.example.org:3478'],
      turnSecret: 'a-turn-secret-0123456789',
    });
    const turnUser = (ack: unknown) => {
      const parsed = ackSchema('ice').parse(ack);
      return parsed.ok ? parsed.iceServers.find((server) => server.username)?.username : parsed.error.code;
    };
    const expiresIn = (username: string | undefined) => Number(username?.split(':')[0]) - Date.now() / 1000;

    // Asked again and again before joining, one connection gets the same short-lived credential.
    const lobby = await connect(url);
    sockets.push(lobby.socket);
    const asked = new Set<string | undefined>();
    for (let i = 0; i < 20; i += 1) asked.add(turnUser(await lobby.socket.emitWithAck('ice', {})));
    expect(asked.size).toBe(1);
    const [lobbyUser] = asked;
    expect(expiresIn(lobbyUser)).toBeLessThanOrEqual(300);

    // New connections from the same address get new ones, up to the lobby's limit per address.
    const answers: (string | undefined)[] = [];
    for (let i = 0; i < 40; i += 1) {
      const other = await connect(url);
      answers.push(turnUser(await other.socket.emitWithAck('ice', {})));
      other.socket.close();
    }
    expect(answers.filter((answer) => answer === 'RATE_LIMITED')).toHaveLength(11);

    // In a room, a peer keeps the credential its join gave it, valid for the whole call.
    const member = await connect(url);
    sockets.push(member.socket);
    const joined = await join(member.socket, 'turn-room', 'Tess');
    const joinUser = joined.iceServers.find((server) => server.username)?.username;
    expect(joinUser).toMatch(new RegExp(`:${joined.self.id}$`));
    expect(expiresIn(joinUser)).toBeGreaterThan(80_000);
    for (let i = 0; i < 10; i += 1)
      expect(turnUser(await member.socket.emitWithAck('ice', {}))).toBe(joinUser);
  });

  it('refuses display names that show nothing, break lines, or spill over other lines', async () => {
    const { url } = await start();
    const client = await connect(url);
    sockets.push(client.socket);
    const cases: [name: string, message: string][] = [
      ['\u200b\u3164', 'Name contains invisible characters.'],
      ['\u0301\u0301', 'Name has nothing visible in it.'],
      ['Ann\u2028Admin: all is well', 'Name contains unprintable characters.'],
      [`Z${'\u0336\u0353'.repeat(10)}algo`, 'Name stacks too many accents on one letter.'],
      ['Ann\ud800', 'Name contains a broken character.'],
    ];
    for (const [name, message] of cases) {
      expect(await requestJoin(client.socket, { room: 'names', name }), JSON.stringify(name)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', message: `name: ${message}` },
      });
    }
    expect(await requestJoin(client.socket, { room: 'names', name: 'Nguyễn 👩‍👩‍👧' })).toMatchObject({
      ok: true,
    });
  });

  it('warns at start when X-Forwarded-For is believed from anyone who connects (true, a hop count)', async () => {
    for (const [trustProxy, warned] of [
      ['true', true],
      ['2', true],
      ['loopback, 10.0.0.0/8', false],
    ] as const) {
      const { logger, lines } = capturedLogger();
      await start({ trustProxy }, { logger });
      const warning = lines.find((line) => String(line.msg).includes('forge X-Forwarded-For'));
      expect(warning !== undefined, trustProxy).toBe(warned);
      if (warning) expect(Number(warning.level)).toBe(40);
    }
  });

  it("gives socket.io's own responses the page's security headers", async () => {
    const { url } = await start();
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      origin: url,
    });
    sockets.push({ close: () => socket.terminate() });
    const [response] = (await once(socket, 'upgrade')) as [IncomingMessage];
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-origin',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
  });

  it('refuses a resume token in another room than the one it was given for', async () => {
    const { url } = await start();
    const [ann, mallory] = [await connect(url), await connect(url)];
    sockets.push(ann.socket, mallory.socket);
    const a = await join(ann.socket, 'lobby', 'Ann');
    ann.socket.close();
    expect(
      await requestJoin(mallory.socket, {
        room: 'elsewhere',
        name: 'Ann',
        resume: { peerId: a.self.id, token: a.token },
      }),
    ).toMatchObject({ ok: false, error: { code: 'RESUME_REJECTED' } });
  });

  it('refuses a resume token once its peer has left, including every earlier token of that peer', async () => {
    const { url } = await start();
    const [ann, bob, mallory] = [await connect(url), await connect(url), await connect(url)];
    sockets.push(ann.socket, bob.socket, mallory.socket);
    const first = await join(ann.socket, 'after-leave', 'Ann');
    await join(bob.socket, 'after-leave', 'Bob');
    // A resume after a drop gives a second token; both must die with the leave.
    await drop(ann.socket);
    const ann2 = await connect(url);
    sockets.push(ann2.socket);
    const second = await join(ann2.socket, 'after-leave', 'Ann', {
      peerId: first.self.id,
      token: first.token,
    });
    expect(await requestLeave(ann2.socket)).toEqual({ ok: true });
    for (const token of [first.token, second.token]) {
      expect(
        await requestJoin(mallory.socket, {
          room: 'after-leave',
          name: 'Ann',
          resume: { peerId: first.self.id, token },
        }),
      ).toMatchObject({ ok: false, error: { code: 'RESUME_REJECTED' } });
    }
    // Bob heard Ann leave, and never heard her come back.
    await bob.inbox.waitFor((r) => r.event === 'peer-left');
    expect(bob.inbox.events.filter((r) => r.event === 'peer-joined')).toEqual([]);
  });

  it("still refuses a left peer's token after a restart in memory mode", async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-revoked-'));
    try {
      const before = await start({ dataDir });
      const ann = await connect(before.url);
      const a = await join(ann.socket, 'restart-leave', 'Ann');
      expect(await requestLeave(ann.socket)).toEqual({ ok: true });
      ann.socket.close();
      await before.close();

      const after = await start({ dataDir });
      const mallory = await connect(after.url);
      sockets.push(mallory.socket);
      expect(
        await requestJoin(mallory.socket, {
          room: 'restart-leave',
          name: 'Ann',
          resume: { peerId: a.self.id, token: a.token },
        }),
      ).toMatchObject({ ok: false, error: { code: 'RESUME_REJECTED' } });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("keeps a locked room's lock across a restart (memory mode), whoever of its members resumes first", async () => {
    const PASSWORD = 'the room password';
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-relock-'));
    try {
      // One wrong guess allowed: a resume counted as a guess would show at once.
      const limit = { passwordGuessLimit: { guesses: 1, windowSeconds: 600 } };
      const before = await start({ dataDir, maxPeers: 4 }, limit);
      const [ann, bob, mallory] = [
        await connect(before.url),
        await connect(before.url),
        await connect(before.url),
      ];
      const a = await join(ann.socket, 'kept', 'Ann', undefined, PASSWORD);
      const b = await join(bob.socket, 'kept', 'Bob', undefined, PASSWORD);
      const m = await join(mallory.socket, 'kept', 'Mallory', undefined, PASSWORD);
      for (const client of [ann, bob, mallory]) client.socket.close();
      await before.close();

      const after = await start({ dataDir, maxPeers: 4 }, limit);
      const [ann2, bob2, mallory2, eve] = [
        await connect(after.url),
        await connect(after.url),
        await connect(after.url),
        await connect(after.url),
      ];
      sockets.push(ann2.socket, bob2.socket, mallory2.socket, eve.socket);
      // Mallory resumes first, without a password: the room is locked again with its old lock, not opened.
      const mResume = { peerId: m.self.id, token: m.token };
      expect(await join(mallory2.socket, 'kept', 'Mallory', mResume)).toMatchObject({
        created: true,
        protected: true,
      });
      expect(await requestJoin(eve.socket, { room: 'kept', name: 'Eve' })).toMatchObject({
        ok: false,
        error: { code: 'PASSWORD_REQUIRED' },
      });
      // Ann's page resumes with the password it joined with; Bob's with another one (it changed nothing).
      const aResume = { peerId: a.self.id, token: a.token };
      expect(await join(ann2.socket, 'kept', 'Ann', aResume, PASSWORD)).toMatchObject({ protected: true });
      const bResume = { peerId: b.self.id, token: b.token };
      expect(await join(bob2.socket, 'kept', 'Bob', bResume, 'not it')).toMatchObject({ protected: true });
      // None of that was counted as a wrong guess: Eve, from the same address, still has her one guess.
      expect(await requestJoin(eve.socket, { room: 'kept', name: 'Eve', password: 'guess' })).toMatchObject({
        ok: false,
        error: { code: 'WRONG_PASSWORD' },
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a resume, clearly, into a room opened anew with another lock after a restart', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-reopened-'));
    try {
      const before = await start({ dataDir });
      const ann = await connect(before.url);
      const a = await join(ann.socket, 'taken', 'Ann', undefined, 'ann-password');
      ann.socket.close();
      await before.close();

      const after = await start({ dataDir });
      const [eve, ann2] = [await connect(after.url), await connect(after.url)];
      sockets.push(eve.socket, ann2.socket);
      // A stranger opens the room first, with a password of her own (or none).
      expect(await join(eve.socket, 'taken', 'Eve', undefined, 'eve-password')).toMatchObject({
        created: true,
      });
      expect(
        await requestJoin(ann2.socket, {
          room: 'taken',
          name: 'Ann',
          resume: { peerId: a.self.id, token: a.token },
          password: 'ann-password',
        }),
      ).toMatchObject({ ok: false, error: { code: 'RESUME_REJECTED' } });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
