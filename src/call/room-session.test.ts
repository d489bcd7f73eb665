import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, fakeFingerprint, installFakeMediaStream } from '../../test/support/fake-rtc.js';
import type { PeerInfo } from '../protocol/index.js';
import { CallError } from './errors.js';
import { ABSENT_GRACE_MS, RoomSession } from './room-session.js';
import { fakeSignaling } from '../../test/support/fake-signaling.js';

const SELF: PeerInfo = { id: 'self-peer-0001', name: 'Me' };
const BOB: PeerInfo = { id: 'bob-peer-00001', name: 'Bob' };
const CAROL: PeerInfo = { id: 'carol-peer-001', name: 'Carol' };

/** A server that answers joins with what the test says, and lets the test push events. */
const fakeTransport = () => fakeSignaling(SELF);

/** We are in the kitchen on fake WebRTC, and Bob has just joined (his connection is not up yet). */
async function joinedByBob() {
  const server = fakeTransport();
  const room = new RoomSession({
    transport: server.transport,
    RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
    localStream: null,
  });
  await room.join('kitchen', 'Me');
  server.push('peer-joined', { peer: BOB });
  return { server, room };
}

/** The fake connection to one peer, as the room session holds it now. */
function connectionTo(room: RoomSession, id: string): FakePeerConnection | undefined {
  return room.peerConnection(id) as FakePeerConnection | undefined;
}

describe('RoomSession: the peer list after signaling outages', () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installFakeMediaStream()));
  afterAll(() => uninstall());
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  async function inCallWithBob() {
    const { server, room } = await joinedByBob();
    const pc = connectionTo(room, BOB.id);
    pc?.setConnectionState('connected');
    return { server, room, pc: pc! };
  }

  it('keeps someone the server lost while the connection to them is up', async () => {
    const { server, room } = await inCallWithBob();
    server.push('peer-left', { peerId: BOB.id, reason: 'disconnected' });
    await vi.advanceTimersByTimeAsync(ABSENT_GRACE_MS * 2);
    expect(room.peers().map((p) => p.id)).toEqual([BOB.id]);
  });

  it('removes someone the server lost once the connection to them has been down for the grace time', async () => {
    const { server, room, pc } = await inCallWithBob();
    server.push('peer-left', { peerId: BOB.id, reason: 'disconnected' });
    pc.setConnectionState('disconnected');
    await vi.advanceTimersByTimeAsync(ABSENT_GRACE_MS - 1);
    expect(room.peers()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(room.peers()).toEqual([]);
  });

  it('says once that a peer sent something not understood, however much more of it comes', async () => {
    const { server, room, pc } = await inCallWithBob();
    const errors: unknown[] = [];
    room.on('error', (error) => errors.push(error));
    // Bob's offer makes our side open its end of the chat channel.
    server.push('signal', {
      from: BOB.id,
      signal: { kind: 'description', description: { type: 'offer', sdp: 'bob' } },
    });
    await vi.advanceTimersByTimeAsync(0);
    const channel = pc.channel!;
    channel.open();
    for (let i = 0; i < 50; i++) channel.dispatchEvent(new MessageEvent('message', { data: `garbage ${i}` }));
    expect(errors).toEqual([
      new CallError('BAD_REQUEST', 'A message from Bob was not understood and was dropped.'),
    ]);
  });

  it('removes someone who said goodbye at once, connected or not', async () => {
    const { server, room } = await inCallWithBob();
    server.push('peer-left', { peerId: BOB.id, reason: 'left' });
    expect(room.peers()).toEqual([]);
  });

  it('after a server restart: resumes under the same id, keeps a connected peer, offers to a new one', async () => {
    const { server, room, pc } = await inCallWithBob();
    room.signalingLost();
    // The restarted server knows nobody but Carol, who came back first.
    server.answerJoinWith([CAROL]);
    expect(await room.resume()).toBe('resumed');
    expect(server.joins.at(-1)).toMatchObject({ resume: { peerId: SELF.id } });
    expect(
      room
        .peers()
        .map((p) => p.id)
        .sort(),
    ).toEqual([BOB.id, CAROL.id].sort());
    // Bob comes back too: the same connection is kept, no second tile.
    server.push('peer-joined', { peer: BOB });
    expect(room.peers()).toHaveLength(2);
    expect(connectionTo(room, BOB.id)).toBe(pc);
    // Bob's connection breaks later: he is present, so he is repaired, not removed.
    pc.setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(ABSENT_GRACE_MS * 2);
    expect(room.peers().map((p) => p.id)).toContain(BOB.id);
  });

  it('after a server restart: removes after the grace time someone who never comes back and is not connected', async () => {
    const { server, room, pc } = await inCallWithBob();
    room.signalingLost();
    pc.setConnectionState('failed');
    server.answerJoinWith([]);
    await room.resume();
    await vi.advanceTimersByTimeAsync(ABSENT_GRACE_MS);
    expect(room.peers()).toEqual([]);
  });

  it('makes no repair while signaling is down', async () => {
    const { room, pc } = await inCallWithBob();
    room.signalingLost();
    const made = FakePeerConnection.made.length;
    pc.setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(FakePeerConnection.made.length).toBe(made);
    expect(pc.restarts).toBe(0);
  });
});

describe('RoomSession: the verification code', () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installFakeMediaStream()));
  afterAll(() => uninstall());
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  const BOBS_CERTIFICATE = fakeFingerprint(7);
  const fromBob = (type: 'offer' | 'answer', fingerprint: string, generation: number) => ({
    kind: 'description' as const,
    description: { type, sdp: `bob\na=fingerprint:sha-256 ${fingerprint}` },
    generation,
  });

  /** Bob offers a connection of `generation` with `fingerprint`; it connects; resolves with Bob's view. */
  async function connectWithBob(
    room: RoomSession,
    server: ReturnType<typeof fakeTransport>,
    fingerprint: string,
    generation: number,
  ) {
    const before = room.peers()[0]?.verificationCode;
    server.push('signal', { from: BOB.id, signal: fromBob('offer', fingerprint, generation) });
    await vi.advanceTimersByTimeAsync(0);
    // The fake fires negotiationneeded after its answer where a browser would not: Bob answers that too.
    if (connectionTo(room, BOB.id)?.signalingState === 'have-local-offer')
      server.push('signal', { from: BOB.id, signal: fromBob('answer', fingerprint, generation) });
    await vi.advanceTimersByTimeAsync(0);
    connectionTo(room, BOB.id)?.setConnectionState('connected');
    await vi.waitFor(() => {
      const code = room.peers()[0]?.verificationCode;
      if (code === undefined || (generation > 0 && code === before && fingerprint !== BOBS_CERTIFICATE))
        throw new Error('no code yet');
    });
    return room.peers()[0]!;
  }

  it('keeps the code through a rebuilt connection, and flags a change of certificate', async () => {
    const { server, room } = await joinedByBob();

    const first = await connectWithBob(room, server, BOBS_CERTIFICATE, 0);
    expect(first.verificationCode).toMatch(/^\d{3}( \d{3}){4}$/);
    expect(first.verificationChanged).toBe(false);
    const firstConnection = connectionTo(room, BOB.id);

    // Bob rebuilds the connection: both sides keep their certificates, so the code is what was compared.
    const rebuilt = await connectWithBob(room, server, BOBS_CERTIFICATE, 1);
    expect(connectionTo(room, BOB.id)).not.toBe(firstConnection);
    expect(connectionTo(room, BOB.id)?.fingerprint).toBe(firstConnection?.fingerprint);
    expect(rebuilt.verificationCode).toBe(first.verificationCode);
    expect(rebuilt.verificationChanged).toBe(false);

    // Another certificate on Bob's side (someone in the middle of the new connection): a new code, flagged.
    const replaced = await connectWithBob(room, server, fakeFingerprint(8), 2);
    expect(replaced.verificationCode).not.toBe(first.verificationCode);
    expect(replaced.verificationChanged).toBe(true);
  });
});
