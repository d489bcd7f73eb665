import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../support/server.js';
import { Clients, disconnected, drop, join, requestJoin, sendSignal } from './clients.js';

describe('resume', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);

  afterEach(async () => {
    clients.closeAll();
    await server.close();
  });

  it('gives a dropped peer its id back within the window, and the others see nothing', async () => {
    // A window long enough that it cannot run out during the test by accident.
    server = await startTestServer({ maxPeers: 3, resumeWindowMs: 1_000 });
    const [ann, bob, cat] = [await clients.open(), await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'resume', 'Ann');
    const b = await join(bob.socket, 'resume', 'Bob');
    const c = await join(cat.socket, 'resume', 'Cat');

    await drop(ann.socket);
    const ann2 = await clients.open();
    const resumed = await join(ann2.socket, 'resume', 'Ann', { peerId: a.self.id, token: a.token });
    expect(resumed.self).toEqual(a.self);
    // A new token each time, good for another lifetime from now.
    expect(resumed.token).not.toBe(a.token);
    expect(resumed.created).toBe(false);
    expect(resumed.peers).toEqual([b.self, c.self]);

    // The new socket is reachable under the old id.
    expect(await sendSignal(bob.socket, a.self.id, 'after resume')).toEqual({ ok: true });
    const relayed = await ann2.inbox.waitFor((r) => r.event === 'signal');
    expect(relayed.payload.from).toBe(b.self.id);

    // Cat now drops for good. Her timer starts after Ann's would have (Ann dropped before she resumed),
    // and timers of one length fire in the order they were set: had Ann's departure not been called off,
    // Bob would hear of it before he hears of Cat's.
    await drop(cat.socket);
    await bob.inbox.waitFor((r) => r.event === 'peer-left');
    expect(bob.inbox.events.filter((r) => r.event !== 'peer-joined')).toEqual([
      { event: 'peer-left', payload: { peerId: c.self.id, reason: 'disconnected' } },
    ]);
  }, 10_000);

  it('takes the place from a socket that still holds it and disconnects that socket', async () => {
    server = await startTestServer({ resumeWindowMs: 60_000 });
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'takeover', 'Ann');
    await join(bob.socket, 'takeover', 'Bob');

    const oldSocketGone = disconnected(ann.socket);
    const ann2 = await clients.open();
    const resumed = await join(ann2.socket, 'takeover', 'Ann', { peerId: a.self.id, token: a.token });
    expect(resumed.self).toEqual(a.self);
    expect(await oldSocketGone).toBe('io server disconnect');

    // Bob's signal reaches the new socket only; and Bob heard of no departure or arrival.
    await sendSignal(bob.socket, a.self.id, 'marker');
    await ann2.inbox.waitFor((r) => r.event === 'signal');
    expect(ann.inbox.events.map((r) => r.event)).toEqual(['peer-joined']);
    expect(bob.inbox.events).toEqual([]);
  });

  it('refuses a forged token with RESUME_REJECTED, after which a fresh join works', async () => {
    server = await startTestServer();
    const [ann, eve] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'forged', 'Ann');
    const forged = a.token.slice(0, -2) + (a.token.endsWith('AA') ? 'BB' : 'AA');
    expect(
      await requestJoin(eve.socket, {
        room: 'forged',
        name: 'Eve',
        resume: { peerId: a.self.id, token: forged },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'RESUME_REJECTED',
        message: 'The resume token is not valid (or has expired). Join without it.',
      },
    });
    // Another peer's genuine token does not work for this id either.
    const other = await clients.open();
    const o = await join(other.socket, 'elsewhere', 'Other');
    expect(
      await requestJoin(eve.socket, {
        room: 'forged',
        name: 'Eve',
        resume: { peerId: a.self.id, token: o.token },
      }),
    ).toMatchObject({
      error: { code: 'RESUME_REJECTED' },
    });
    expect(await join(eve.socket, 'forged', 'Eve')).toMatchObject({ created: false, peers: [a.self] });
  });

  it('rejoins under the same id, announced, once the window has run out', async () => {
    server = await startTestServer({ resumeWindowMs: 100 });
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'late', 'Ann');
    await join(bob.socket, 'late', 'Bob');
    await drop(ann.socket);
    await bob.inbox.waitFor((r) => r.event === 'peer-left');

    const ann2 = await clients.open();
    const back = await join(ann2.socket, 'late', 'Ann', { peerId: a.self.id, token: a.token });
    expect(back.self).toEqual(a.self);
    const announced = await bob.inbox.waitFor((r) => r.event === 'peer-joined');
    expect(announced.payload).toEqual({ peer: a.self });
  });

  it('gives the same id back after the server restarts with the same data dir', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-restart-'));
    try {
      server = await startTestServer({ dataDir });
      const ann = await clients.open();
      const a = await join(ann.socket, 'restart', 'Ann');
      const annGone = disconnected(ann.socket);
      await server.close();
      await annGone;

      // Nothing of the room survives the restart but the secret that signed Ann's token.
      server = await startTestServer({ dataDir });
      const [bob, ann2] = [await clients.open(), await clients.open()];
      await join(bob.socket, 'restart', 'Bob');
      const back = await join(ann2.socket, 'restart', 'Ann', { peerId: a.self.id, token: a.token });
      expect(back.self).toEqual(a.self);
      expect(back.token).not.toBe(a.token);
      expect((await bob.inbox.waitFor((r) => r.event === 'peer-joined')).payload).toEqual({ peer: a.self });
    } finally {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a resume into another room than the token's; the peer keeps its place", async () => {
    server = await startTestServer({ resumeWindowMs: 60_000 });
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'first', 'Ann');
    await join(bob.socket, 'first', 'Bob');
    await drop(ann.socket);

    const ann2 = await clients.open();
    const resume = { peerId: a.self.id, token: a.token };
    expect(await requestJoin(ann2.socket, { room: 'second', name: 'Ann', resume })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_REJECTED' },
    });
    // The refusal called off nothing: the place in the first room is still there to take back.
    expect(await join(ann2.socket, 'first', 'Ann', resume)).toMatchObject({ self: a.self, created: false });
    expect(bob.inbox.events).toEqual([]);
  });
});
