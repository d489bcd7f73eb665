import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { metricValue } from '../support/metrics.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { Clients, drop, join, requestJoin, requestLeave } from './clients.js';

const PASSWORD = 'correct horse battery staple';

/** The value of one `parley_rejected_events_total` series on /metrics (0 when it is not there yet). */
async function rejections(server: TestServer, code: string): Promise<number> {
  return (await metricValue(server.url, 'parley_rejected_events_total', { code })) ?? 0;
}

describe('password-protected rooms', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);

  afterEach(async () => {
    clients.closeAll();
    await server?.close();
  });

  it('admits with the right password, and says when one is needed or wrong, counting wrong ones', async () => {
    server = await startTestServer({ maxPeers: 3 });
    const [ann, bob, eve] = [await clients.open(), await clients.open(), await clients.open()];
    const opened = await join(ann.socket, 'locked', 'Ann', undefined, PASSWORD);
    expect(opened).toMatchObject({ created: true, protected: true });

    expect(await requestJoin(eve.socket, { room: 'locked', name: 'Eve' })).toEqual({
      ok: false,
      error: { code: 'PASSWORD_REQUIRED', message: 'This room needs a password.' },
    });
    const before = await rejections(server, 'WRONG_PASSWORD');
    for (const guess of ['correct horse', 'Correct horse battery staple', `${PASSWORD} `]) {
      expect(await requestJoin(eve.socket, { room: 'locked', name: 'Eve', password: guess })).toEqual({
        ok: false,
        error: { code: 'WRONG_PASSWORD', message: 'That password is not right. Try again.' },
      });
    }
    expect(await rejections(server, 'WRONG_PASSWORD')).toBe(before + 3);
    expect(eve.inbox.events).toEqual([]);
    expect(ann.inbox.events).toEqual([]);

    const joined = await join(bob.socket, 'locked', 'Bob', undefined, PASSWORD);
    expect(joined).toMatchObject({ created: false, protected: true, peers: [opened.self] });
    await ann.inbox.waitFor((r) => r.event === 'peer-joined');
  });

  it('keeps a room open that someone opened without a password: a later password is ignored', async () => {
    server = await startTestServer({ maxPeers: 3 });
    const [ann, bob, cat] = [await clients.open(), await clients.open(), await clients.open()];
    expect(await join(ann.socket, 'open', 'Ann')).toMatchObject({ created: true, protected: false });
    expect(await join(bob.socket, 'open', 'Bob', undefined, PASSWORD)).toMatchObject({ protected: false });
    expect(await join(cat.socket, 'open', 'Cat')).toMatchObject({ protected: false });
  });

  it('forgets the password when the room empties', async () => {
    server = await startTestServer();
    const [ann, bob] = [await clients.open(), await clients.open()];
    await join(ann.socket, 'fleeting', 'Ann', undefined, PASSWORD);
    expect(await requestLeave(ann.socket)).toEqual({ ok: true });
    expect(await join(bob.socket, 'fleeting', 'Bob')).toMatchObject({ created: true, protected: false });
  });

  it('lets two people who open a room at once in only with the password of whoever was first', async () => {
    server = await startTestServer({ maxPeers: 4 });
    const people = [await clients.open(), await clients.open(), await clients.open(), await clients.open()];
    const passwords = ['first-choice', 'second-choice', 'first-choice', 'second-choice'];
    const answers = await Promise.all(
      people.map(({ socket }, i) =>
        requestJoin(socket, { room: 'race', name: `P${i}`, password: passwords[i]! }),
      ),
    );
    const opener = answers.findIndex((a) => a.ok && a.created);
    expect(opener).toBeGreaterThanOrEqual(0);
    answers.forEach((answer, i) => {
      // Whoever brought the opener's password is in; the others are told it is wrong.
      if (passwords[i] === passwords[opener]) expect(answer).toMatchObject({ ok: true, protected: true });
      else expect(answer).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    });
  });

  it('refuses every guess once the limit trips, the right one too, for that room only, until the window ends', async () => {
    server = await startTestServer({ maxPeers: 3 }, { passwordGuessLimit: { guesses: 3, windowSeconds: 2 } });
    const [ann, eve, bob] = [await clients.open(), await clients.open(), await clients.open()];
    const dan = await clients.open();
    await join(ann.socket, 'guarded', 'Ann', undefined, PASSWORD);
    await join(dan.socket, 'other', 'Dan', undefined, 'other password');

    for (let i = 0; i < 3; i += 1) {
      expect(
        await requestJoin(eve.socket, { room: 'guarded', name: 'Eve', password: `guess ${i}` }),
      ).toMatchObject({
        ok: false,
        error: { code: 'WRONG_PASSWORD' },
      });
    }
    const trippedAt = performance.now();
    const limited = await requestJoin(bob.socket, { room: 'guarded', name: 'Bob', password: PASSWORD });
    expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    expect(limited.ok ? '' : limited.error.message).toMatch(/wrong passwords.*wait/i);
    expect(await rejections(server, 'RATE_LIMITED')).toBe(1);

    // Another room, from the same address, is not affected.
    expect(await requestJoin(eve.socket, { room: 'other', name: 'Eve', password: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSWORD' },
    });
    expect(await join(eve.socket, 'other', 'Eve', undefined, 'other password')).toMatchObject({
      protected: true,
    });

    // Once the window has passed, the right password works again. Refused checks cost no hash, so asking
    // every 200 ms until then is cheap.
    await expect
      .poll(() => requestJoin(bob.socket, { room: 'guarded', name: 'Bob', password: PASSWORD }), {
        interval: 200,
        timeout: 6_000,
      })
      .toMatchObject({ ok: true, protected: true });
    expect(performance.now() - trippedAt).toBeGreaterThan(500);
  }, 15_000);

  it('lets a dropped member resume with its token alone, while a stranger still needs the password', async () => {
    server = await startTestServer({ resumeWindowMs: 60_000 });
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'resumable', 'Ann', undefined, PASSWORD);
    await join(bob.socket, 'resumable', 'Bob', undefined, PASSWORD);
    await drop(ann.socket);
    const ann2 = await clients.open();
    const back = await join(ann2.socket, 'resumable', 'Ann', { peerId: a.self.id, token: a.token });
    expect(back).toMatchObject({ self: a.self, created: false, protected: true });
    expect(bob.inbox.events).toEqual([]);
  });

  it('keeps a room locked across a restart: members resuming lock it again, strangers need the password', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-password-restart-'));
    try {
      server = await startTestServer({ dataDir });
      const [ann, bob] = [await clients.open(), await clients.open()];
      const a = await join(ann.socket, 'kept', 'Ann', undefined, PASSWORD);
      const b = await join(bob.socket, 'kept', 'Bob', undefined, PASSWORD);
      clients.closeAll();
      await server.close();

      // The new server knows no rooms; Ann's page resumes first (its token carries the room's lock).
      server = await startTestServer({ dataDir });
      const [ann2, eve, bob2] = [await clients.open(), await clients.open(), await clients.open()];
      const back = await join(ann2.socket, 'kept', 'Ann', { peerId: a.self.id, token: a.token }, PASSWORD);
      expect(back).toMatchObject({ self: a.self, created: true, protected: true });
      expect(await requestJoin(eve.socket, { room: 'kept', name: 'Eve' })).toMatchObject({
        ok: false,
        error: { code: 'PASSWORD_REQUIRED' },
      });
      const resume = { peerId: b.self.id, token: b.token };
      // Bob's token is proof enough: he needs no password, and none is checked (nor counted).
      expect(await join(bob2.socket, 'kept', 'Bob', resume)).toMatchObject({
        self: b.self,
        protected: true,
        peers: [a.self],
      });
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('never writes the password to the log, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const secret = 'zebra-umbrella-4711';
    server = await startTestServer({}, { logger: pino({ level: 'trace' }, sink) });
    const [ann, bob, eve] = [await clients.open(), await clients.open(), await clients.open()];
    await join(ann.socket, 'quiet', 'Ann', undefined, secret);
    await requestJoin(eve.socket, { room: 'quiet', name: 'Eve', password: `${secret}!` });
    await requestJoin(eve.socket, { room: 'quiet', name: 'Eve', password: 'x'.repeat(500) });
    await join(bob.socket, 'quiet', 'Bob', undefined, secret);
    expect(lines.join('\n')).toContain('peer joined');
    expect(lines.join('\n')).not.toContain('zebra');
  });
});
