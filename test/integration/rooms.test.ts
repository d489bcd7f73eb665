import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ResumeToken } from '../../src/protocol/index.js';
import { serverForEachTest } from '../support/server.js';
import { Clients, drop, join, requestJoin, requestLeave, sendSignal } from './clients.js';

describe('rooms', () => {
  const each = serverForEachTest({ maxPeers: 2, resumeWindowMs: 200 });
  const clients = new Clients(() => each.server.url);
  afterEach(() => clients.closeAll());

  it('opens a room for the first person and lists them to the second', async () => {
    const ann = await clients.open();
    const bob = await clients.open();

    const first = await join(ann.socket, 'kitchen', 'Ann');
    expect(first).toMatchObject({
      ok: true,
      self: { name: 'Ann' },
      room: 'kitchen',
      created: true,
      peers: [],
      maxPeers: 2,
      uploadBudgetKbps: 2500,
      iceServers: [],
      iceTransportPolicy: 'all',
    });
    expect(first.self.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(ResumeToken.safeParse(first.token).success).toBe(true);

    const second = await join(bob.socket, 'kitchen', 'Bob');
    expect(second).toMatchObject({ created: false, peers: [first.self] });
    expect(second.self.id).not.toBe(first.self.id);
    expect(second.self.id).not.toBe(bob.socket.id);

    const joined = await ann.inbox.waitFor((r) => r.event === 'peer-joined');
    expect(joined.payload).toEqual({ peer: second.self });
  });

  it('tells the others about a newcomer before the newcomer hears back, so its offer never comes first', async () => {
    const ann = await clients.open();
    const bob = await clients.open();
    await join(ann.socket, 'order', 'Ann');
    const bobJoin = await join(bob.socket, 'order', 'Bob');
    // Bob offers the moment he has his ack, as a real client does.
    expect(await sendSignal(bob.socket, bobJoin.peers[0]?.id ?? '')).toEqual({ ok: true });
    await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(ann.inbox.events.map((r) => r.event)).toEqual(['peer-joined', 'signal']);
  });

  it('refuses a third person with ROOM_FULL and leaves the two undisturbed', async () => {
    const [ann, bob, cat] = [await clients.open(), await clients.open(), await clients.open()];
    await join(ann.socket, 'full', 'Ann');
    const bobJoin = await join(bob.socket, 'full', 'Bob');

    const refused = await requestJoin(cat.socket, { room: 'full', name: 'Cat' });
    expect(refused).toEqual({ ok: false, error: { code: 'ROOM_FULL', message: 'This room is full.' } });

    // Cat holds no place: she cannot relay, and may join another room.
    expect(await sendSignal(cat.socket, bobJoin.self.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_IN_ROOM' },
    });
    expect(await join(cat.socket, 'elsewhere', 'Cat')).toMatchObject({ created: true });
    expect(ann.inbox.events.map((r) => r.event)).toEqual(['peer-joined']);
  });

  it('frees the place on leave and tells the other with reason "left"', async () => {
    const [ann, bob, cat] = [await clients.open(), await clients.open(), await clients.open()];
    await join(ann.socket, 'swap', 'Ann');
    const bobJoin = await join(bob.socket, 'swap', 'Bob');

    expect(await requestLeave(bob.socket)).toEqual({ ok: true });
    const left = await ann.inbox.waitFor((r) => r.event === 'peer-left');
    expect(left.payload).toEqual({ peerId: bobJoin.self.id, reason: 'left' });

    const catJoin = await join(cat.socket, 'swap', 'Cat');
    expect(catJoin.peers.map((p) => p.name)).toEqual(['Ann']);
    // The one who left hears nothing about the room any more.
    expect(bob.inbox.events).toEqual([]);
  });

  it('lets a socket join again after leaving', async () => {
    const ann = await clients.open();
    const first = await join(ann.socket, 'again', 'Ann');
    await requestLeave(ann.socket);
    const second = await join(ann.socket, 'again', 'Ann');
    expect(second.created).toBe(true);
    expect(second.self.id).not.toBe(first.self.id);
  });

  it('forgets an emptied room: the next person opens it afresh', async () => {
    const ann = await clients.open();
    await join(ann.socket, 'empty', 'Ann');
    await requestLeave(ann.socket);
    const bob = await clients.open();
    expect(await join(bob.socket, 'empty', 'Bob')).toMatchObject({ created: true, peers: [] });
  });

  it('treats socket.disconnect() as leaving at once', async () => {
    const ann = await clients.open();
    const bob = await clients.open();
    await join(ann.socket, 'bye', 'Ann');
    const bobJoin = await join(bob.socket, 'bye', 'Bob');
    bob.socket.disconnect();
    const left = await ann.inbox.waitFor((r) => r.event === 'peer-left');
    expect(left.payload).toEqual({ peerId: bobJoin.self.id, reason: 'left' });
  });

  it('tells the others "disconnected" once a dropped peer stays away for the resume window', async () => {
    const ann = await clients.open();
    const bob = await clients.open();
    await join(ann.socket, 'drop', 'Ann');
    const bobJoin = await join(bob.socket, 'drop', 'Bob');
    await drop(bob.socket);
    const left = await ann.inbox.waitFor((r) => r.event === 'peer-left');
    expect(left.payload).toEqual({ peerId: bobJoin.self.id, reason: 'disconnected' });
    // And the place is free again.
    const cat = await clients.open();
    expect(await join(cat.socket, 'drop', 'Cat')).toMatchObject({ created: false, peers: [{ name: 'Ann' }] });
  });

  it('answers ALREADY_IN_ROOM to a second join on the same socket', async () => {
    const ann = await clients.open();
    await join(ann.socket, 'once', 'Ann');
    expect(await requestJoin(ann.socket, { room: 'other', name: 'Ann' })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_IN_ROOM' },
    });
  });

  it('admits only one of two joins sent at once from the same socket', async () => {
    const ann = await clients.open();
    const [a, b] = await Promise.all([
      requestJoin(ann.socket, { room: 'twice', name: 'Ann' }),
      requestJoin(ann.socket, { room: 'twice', name: 'Ann' }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    expect(b).toMatchObject({ error: { code: 'ALREADY_IN_ROOM' } });
  });

  it('answers VERSION_MISMATCH to a client speaking another protocol version', async () => {
    const ann = await clients.open();
    expect(await requestJoin(ann.socket, { v: PROTOCOL_VERSION + 1, room: 'v', name: 'Ann' })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_MISMATCH' },
    });
  });

  it('answers NOT_IN_ROOM to leave without a room', async () => {
    const ann = await clients.open();
    expect(await requestLeave(ann.socket)).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

describe('rooms of more than two (mesh)', () => {
  const each = serverForEachTest({ maxPeers: 3 });
  const clients = new Clients(() => each.server.url);
  afterEach(() => clients.closeAll());

  it('lists everyone already there, in join order, and tells each of them about the newcomer', async () => {
    const [ann, bob, cat, dan] = [
      await clients.open(),
      await clients.open(),
      await clients.open(),
      await clients.open(),
    ];
    const a = await join(ann.socket, 'mesh', 'Ann');
    const b = await join(bob.socket, 'mesh', 'Bob');
    const c = await join(cat.socket, 'mesh', 'Cat');
    expect(c.peers).toEqual([a.self, b.self]);
    expect(c.maxPeers).toBe(3);
    for (const { inbox } of [ann, bob]) {
      expect(
        (await inbox.waitFor((r) => r.event === 'peer-joined' && r.payload.peer.id === c.self.id)).payload,
      ).toEqual({
        peer: c.self,
      });
    }
    expect(await requestJoin(dan.socket, { room: 'mesh', name: 'Dan' })).toMatchObject({
      error: { code: 'ROOM_FULL' },
    });
  });
});
