import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ackSchema } from '../../src/protocol/index.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { Clients, drop, join, requestJoin } from './clients.js';

const OFFER = { type: 'offer', sdp: 'v=0 the newcomer offers' } as const;

describe('the offer that travels with a join', () => {
  let server: TestServer;
  const clients = new Clients(() => server.url);

  beforeEach(async () => {
    server = await startTestServer({ maxPeers: 3 });
  });
  afterEach(async () => {
    clients.closeAll();
    await server.close();
  });

  it('reaches one member as a signal from the newcomer, right after the newcomer is announced', async () => {
    const [ann, bob] = [await clients.open(), await clients.open()];
    const a = await join(ann.socket, 'offers', 'Ann');
    const b = await requestJoin(bob.socket, { room: 'offers', name: 'Bob', offer: OFFER });
    if (!b.ok) expect.fail(b.error.message);
    expect(b.offeredTo).toBe(a.self.id);
    const signal = await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(signal.payload).toEqual({ from: b.self.id, signal: { kind: 'description', description: OFFER } });
    // Announced first, so the member knows whom the offer is from.
    expect(ann.inbox.events.map((r) => r.event)).toEqual(['peer-joined', 'signal']);
  });

  it('goes to one member only in a mesh room; the newcomer offers to the rest itself', async () => {
    const [ann, bob, cat] = [await clients.open(), await clients.open(), await clients.open()];
    await join(ann.socket, 'mesh', 'Ann');
    await join(bob.socket, 'mesh', 'Bob');
    const c = await requestJoin(cat.socket, { room: 'mesh', name: 'Cat', offer: OFFER });
    if (!c.ok) expect.fail(c.error.message);
    const takers = [ann, bob].filter((client) => client.inbox.events.some((r) => r.event === 'signal'));
    expect(takers).toHaveLength(1);
    expect(c.peers.map((p) => p.id)).toContain(c.offeredTo);
  });

  it('is dropped when nobody is there to take it, and the ack says nobody did', async () => {
    const ann = await clients.open();
    const a = await requestJoin(ann.socket, { room: 'empty', name: 'Ann', offer: OFFER });
    if (!a.ok) expect.fail(a.error.message);
    expect(a.created).toBe(true);
    expect(a).not.toHaveProperty('offeredTo');
  });

  it('is not relayed on a resume: the others see nothing happen then', async () => {
    const [ann, bob] = [await clients.open(), await clients.open()];
    await join(ann.socket, 'resumed', 'Ann');
    const b = await join(bob.socket, 'resumed', 'Bob');
    await drop(bob.socket);
    const again = await clients.open();
    const back = await requestJoin(again.socket, {
      room: 'resumed',
      name: 'Bob',
      resume: { peerId: b.self.id, token: b.token },
      offer: OFFER,
    });
    if (!back.ok) expect.fail(back.error.message);
    expect(back).not.toHaveProperty('offeredTo');
    // Ann's next event is the marker below, not an offer from Bob.
    await requestJoin((await clients.open()).socket, { room: 'resumed', name: 'Cat' });
    await ann.inbox.waitFor((r) => r.event === 'peer-joined' && r.payload.peer.name === 'Cat');
    expect(ann.inbox.events.filter((r) => r.event === 'signal')).toEqual([]);
  });

  it('refuses the whole join when the offer is not an offer, or is too large, and relays nothing', async () => {
    const [ann, bob] = [await clients.open(), await clients.open()];
    await join(ann.socket, 'checked', 'Ann');
    for (const offer of [
      { type: 'answer', sdp: 'v=0' },
      { type: 'offer', sdp: 'x'.repeat(64 * 1024 + 1) },
      { type: 'offer', sdp: 'v=0', extra: true },
      'v=0',
    ]) {
      const raw: unknown = await bob.socket.emitWithAck('join', {
        v: PROTOCOL_VERSION,
        room: 'checked',
        name: 'Bob',
        offer,
      } as never);
      const ack = ackSchema('join').parse(raw);
      expect(ack.ok ? 'joined' : ack.error.code).toBe('BAD_REQUEST');
    }
    // The server still answers, and Ann heard nothing of the refused joins.
    const b = await join(bob.socket, 'checked', 'Bob');
    expect(b.peers).toHaveLength(1);
    await ann.inbox.waitFor((r) => r.event === 'peer-joined');
    expect(ann.inbox.events.filter((r) => r.event === 'signal')).toEqual([]);
  });
});
