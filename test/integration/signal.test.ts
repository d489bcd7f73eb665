import { afterEach, describe, expect, it } from 'vitest';
import type { Signal } from '../../src/protocol/index.js';
import { serverForEachTest } from '../support/server.js';
import { Clients, join, sendSignal } from './clients.js';

describe('signal relay', () => {
  const each = serverForEachTest({ maxPeers: 3 });
  const clients = new Clients(() => each.server.url);
  afterEach(() => clients.closeAll());

  it('delivers a description and a candidate to the named peer, stamped with the sender', async () => {
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'relay', 'Ann');
    const b = await join(bob.socket, 'relay', 'Bob');

    const candidate: Signal = {
      kind: 'candidate',
      candidate: {
        candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host',
        sdpMid: '0',
        sdpMLineIndex: 0,
      },
    };
    expect(await bob.socket.emitWithAck('signal', { to: a.self.id, signal: candidate })).toEqual({
      ok: true,
    });
    const got = await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(got.payload).toEqual({ from: b.self.id, signal: candidate });

    await sendSignal(ann.socket, b.self.id, 'v=0 answer');
    const back = await bob.inbox.waitFor((r) => r.event === 'signal');
    expect(back.payload).toEqual({
      from: a.self.id,
      signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0 answer' } },
    });
  });

  it('sends to the named peer only, never to the rest of the room', async () => {
    const [ann, bob, cat] = [await clients.open(), await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'three', 'Ann');
    const b = await join(bob.socket, 'three', 'Bob');
    await join(cat.socket, 'three', 'Cat');
    await sendSignal(cat.socket, a.self.id, 'for ann');
    await sendSignal(ann.socket, b.self.id, 'marker for bob');
    await bob.inbox.waitFor((r) => r.event === 'signal');
    expect(bob.inbox.events.filter((r) => r.event === 'signal')).toHaveLength(1);
    expect(cat.inbox.events.filter((r) => r.event === 'signal')).toEqual([]);
  });

  it('keeps rooms apart: a peer of room B never receives room A’s signals', async () => {
    const [ann, bob, cat, dan] = [
      await clients.open(),
      await clients.open(),
      await clients.open(),
      await clients.open(),
    ];
    await join(ann.socket, 'room-a', 'Ann');
    const b = await join(bob.socket, 'room-a', 'Bob');
    const c = await join(cat.socket, 'room-b', 'Cat');
    await join(dan.socket, 'room-b', 'Dan');

    await sendSignal(ann.socket, b.self.id, 'room a business');
    // Ann's ack came after anything the server sent on her behalf, so a stray copy to Cat would already be
    // on its way to Cat ahead of Dan's marker.
    await sendSignal(dan.socket, c.self.id, 'marker');
    const marker = await cat.inbox.waitFor((r) => r.event === 'signal');
    expect(marker.payload.signal).toEqual({
      kind: 'description',
      description: { type: 'offer', sdp: 'marker' },
    });
    expect(cat.inbox.events.filter((r) => r.event === 'signal')).toHaveLength(1);
    expect(cat.inbox.events.some((r) => r.event === 'peer-joined' && r.payload.peer.name !== 'Dan')).toBe(
      false,
    );
  });

  it('answers UNKNOWN_PEER for a peer of another room, for oneself and for a made-up id', async () => {
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'mine', 'Ann');
    const b = await join(bob.socket, 'theirs', 'Bob');
    for (const to of [b.self.id, a.self.id, 'nobody-at-all']) {
      expect(await sendSignal(ann.socket, to)).toEqual({
        ok: false,
        error: { code: 'UNKNOWN_PEER', message: 'That person is not in your room.' },
      });
    }
    expect(bob.inbox.events).toEqual([]);
  });

  it('answers NOT_IN_ROOM to a socket that never joined, and relays nothing', async () => {
    const [ann, eve] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'closed', 'Ann');
    expect(await sendSignal(eve.socket, a.self.id)).toEqual({
      ok: false,
      error: { code: 'NOT_IN_ROOM', message: 'Join a room first.' },
    });
    expect(ann.inbox.events).toEqual([]);
  });

  it('refuses a signal that claims its own sender: `from` is the server’s to write', async () => {
    const [ann, bob] = [await clients.open(), await clients.openRaw()];
    const a = await join(ann.socket, 'spoof', 'Ann');
    await join(bob, 'spoof', 'Bob');
    expect(
      await bob.emitWithAck('signal', {
        to: a.self.id,
        from: 'somebody-else',
        signal: { kind: 'description', description: { type: 'offer', sdp: 'v=0' } },
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: 'Unrecognized key: "from"' } });
    expect(ann.inbox.events.filter((r) => r.event === 'signal')).toEqual([]);
  });
});
