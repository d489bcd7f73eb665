import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, installFakeMediaStream } from '../../test/support/fake-rtc.js';
import type { JoinResult, PeerInfo, ServerEventName, ServerEventPayload } from '../protocol/index.js';
import { ABSENT_GRACE_MS, RoomSession } from './room-session.js';
import type { SignalingTransport } from './transport.js';

const SELF: PeerInfo = { id: 'self-peer-0001', name: 'Me' };
const BOB: PeerInfo = { id: 'bob-peer-00001', name: 'Bob' };
const CAROL: PeerInfo = { id: 'carol-peer-001', name: 'Carol' };

function joinAck(peers: PeerInfo[]): { ok: true } & JoinResult {
  return {
    ok: true,
    self: SELF,
    token: 't'.repeat(43),
    room: 'kitchen',
    created: peers.length === 0,
    protected: false,
    peers,
    maxPeers: 4,
    iceServers: [],
    iceTransportPolicy: 'all',
  };
}

/** A server that answers joins with what the test says, and lets the test push events. */
function fakeTransport() {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const joins: unknown[] = [];
  let nextJoin = joinAck([]);
  const transport: SignalingTransport = {
    request: (event: string, payload: unknown) => {
      if (event === 'join') {
        joins.push(payload);
        return Promise.resolve(nextJoin);
      }
      return Promise.resolve({ ok: true });
    },
    on: (event, listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener as (payload: unknown) => void]);
      return () => {};
    },
  };
  return {
    transport,
    joins,
    answerJoinWith: (peers: PeerInfo[]) => (nextJoin = joinAck(peers)),
    push<E extends ServerEventName>(event: E, payload: ServerEventPayload<E>) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
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
    const server = fakeTransport();
    const room = new RoomSession({
      transport: server.transport,
      RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
      localStream: null,
    });
    await room.join('kitchen', 'Me');
    server.push('peer-joined', { peer: BOB });
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
