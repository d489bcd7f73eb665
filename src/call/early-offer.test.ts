import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, installFakeMediaStream } from '../../test/support/fake-rtc.js';
import { fakeSignaling } from '../../test/support/fake-signaling.js';
import type { JoinRequest, JoinResult, PeerInfo, SignalRequest } from '../protocol/index.js';
import { CONNECT_TIMEOUT_MS } from './peer-session.js';
import { RoomSession } from './room-session.js';
import type { SignalingTransport } from './transport.js';

const SELF: PeerInfo = { id: 'self-peer-0001', name: 'Me' };
const BOB: PeerInfo = { id: 'bob-peer-00001', name: 'Bob' };
const ZOE: PeerInfo = { id: 'zoe-peer-00001', name: 'Zoe' };
const ICE = { iceServers: [{ urls: 'stun:lobby.example:3478' }], iceTransportPolicy: 'all' as const };
const JOIN_ICE = [{ urls: 'turn:relay.example:3478', username: 'joined', credential: 'secret' }];

/** A server that acknowledges joins as the test says and records what is sent. */
function fakeServer(
  answer: (request: JoinRequest) => ({ ok: true } & JoinResult) | { ok: false; error: never },
) {
  const server = fakeSignaling(SELF);
  server.answerJoins((payload) => answer(payload as JoinRequest));
  return {
    ...server,
    joins: server.joins as JoinRequest[],
    get signals(): SignalRequest[] {
      return server.requests.filter((r) => r.event === 'signal').map((r) => r.payload as SignalRequest);
    },
  };
}

function result(peers: PeerInfo[], offeredTo?: string): { ok: true } & JoinResult {
  return {
    ok: true,
    self: SELF,
    token: 't'.repeat(43),
    room: 'kitchen',
    created: peers.length === 0,
    protected: false,
    peers,
    ...(offeredTo !== undefined && { offeredTo }),
    maxPeers: 4,
    uploadBudgetKbps: 2500,
    iceServers: JOIN_ICE,
    iceTransportPolicy: 'all',
  };
}

function session(transport: SignalingTransport, earlyIce = true) {
  return new RoomSession({
    transport,
    RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
    localStream: null,
    ...(earlyIce && { earlyIce: () => Promise.resolve(ICE) }),
  });
}

function candidate(pc: FakePeerConnection, n: number): void {
  const init = {
    candidate: `candidate:${n} 1 udp 1 127.0.0.1 ${5000 + n} typ host`,
    sdpMid: '0',
    sdpMLineIndex: 0,
  };
  pc.dispatchEvent(
    Object.assign(new Event('icecandidate'), { candidate: { ...init, usernameFragment: 'u' } }),
  );
}

describe('RoomSession: the first offer travels with the join', () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installFakeMediaStream()));
  afterAll(() => uninstall());

  it('sends the offer with the join, and makes its connection the one to the member who took it', async () => {
    let early: FakePeerConnection | undefined;
    let madeWith: RTCConfiguration | undefined;
    const server = fakeServer(() => {
      early = FakePeerConnection.made.at(-1);
      madeWith = early?.configuration;
      // Gathered while the join travels: held until the ack names who they are for.
      candidate(early!, 1);
      return result([BOB], BOB.id);
    });
    const room = session(server.transport);
    await room.join('kitchen', 'Me');

    const sent = server.joins[0]?.offer;
    expect(sent?.type).toBe('offer');
    expect(sent?.sdp).toBe(early?.localDescription?.sdp);
    expect(madeWith?.iceServers).toEqual(ICE.iceServers);
    // The same connection, not a second one, and no second offer: only the held candidate goes out.
    expect(room.peerConnection(BOB.id)).toBe(early);
    expect(server.signals.map(({ to, signal }) => [to, signal.kind, signal.generation])).toEqual([
      [BOB.id, 'candidate', 0],
    ]);
    // Repairs from now on use the join's TURN credential.
    expect(early?.configuration.iceServers).toEqual(JOIN_ICE);
    // Bob's answer completes the exchange the join began.
    server.push('signal', {
      from: BOB.id,
      signal: { kind: 'description', description: { type: 'answer', sdp: 'bob' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(early?.remoteDescription).toEqual({ type: 'answer', sdp: 'bob' });
    room.close();
  });

  it('takes the polite side from the two ids once they are known, as the member does', async () => {
    // Zoe's id sorts after ours: we are the polite one, so her colliding offer wins over ours.
    const server = fakeServer(() => result([ZOE], ZOE.id));
    const room = session(server.transport);
    await room.join('kitchen', 'Me');
    const pc = room.peerConnection(ZOE.id) as unknown as FakePeerConnection;
    expect(pc.signalingState).toBe('have-local-offer');
    server.push('signal', {
      from: ZOE.id,
      signal: { kind: 'description', description: { type: 'offer', sdp: 'zoe' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pc.remoteDescription?.sdp).toBe('zoe');
    expect(server.signals[0]?.signal).toMatchObject({
      kind: 'description',
      description: { type: 'answer' },
    });
    room.close();
  });

  it('offers to the other members as before, after the ack', async () => {
    const server = fakeServer(() => result([BOB, ZOE], BOB.id));
    const room = session(server.transport);
    await room.join('kitchen', 'Me');
    const offers = server.signals.filter((s) => s.signal.kind === 'description');
    expect(offers.map((s) => s.to)).toEqual([ZOE.id]);
    expect(room.peers().map((p) => p.id)).toEqual([BOB.id, ZOE.id]);
    room.close();
  });

  it('closes the early connection when nobody took the offer (the room was empty)', async () => {
    const made = FakePeerConnection.made.length;
    const server = fakeServer(() => result([]));
    const room = session(server.transport);
    await room.join('kitchen', 'Me');
    expect(server.joins[0]?.offer).toBeDefined();
    const early = FakePeerConnection.made[made];
    expect(early?.signalingState).toBe('closed');
    expect(room.peers()).toEqual([]);
    room.close();
  });

  it('closes the early connection when the join is refused', async () => {
    const made = FakePeerConnection.made.length;
    const server = fakeServer(() => ({ ok: false, error: { code: 'ROOM_FULL', message: 'full' } }) as never);
    const room = session(server.transport);
    await expect(room.join('kitchen', 'Me')).rejects.toThrow('full');
    expect(FakePeerConnection.made[made]?.signalingState).toBe('closed');
  });

  it('uses the offer made ahead on the pre-join screen, so the join makes no connection of its own', async () => {
    const server = fakeServer(() => result([BOB], BOB.id));
    const room = session(server.transport);
    const before = FakePeerConnection.made.length;
    room.prepare();
    await vi.waitFor(() => expect(FakePeerConnection.made[before]?.localDescription?.type).toBe('offer'));
    const prepared = FakePeerConnection.made[before];
    const made = FakePeerConnection.made.length;
    await room.join('kitchen', 'Me');
    expect(FakePeerConnection.made).toHaveLength(made);
    expect(server.joins[0]?.offer?.sdp).toBe(prepared?.localDescription?.sdp);
    expect(room.peerConnection(BOB.id)).toBe(prepared);
    room.close();
  });

  it('does not count the time spent on the pre-join screen as a wait for the connection', async () => {
    vi.useFakeTimers();
    try {
      const server = fakeServer(() => result([BOB], BOB.id));
      const room = session(server.transport);
      room.prepare();
      // A minute on the pre-join screen, far past the connect timeout.
      await vi.advanceTimersByTimeAsync(60_000);
      await room.join('kitchen', 'Me');
      expect(room.peers().map((peer) => peer.problem)).toEqual([undefined]);
      await vi.advanceTimersByTimeAsync(CONNECT_TIMEOUT_MS);
      expect(room.peers().map((peer) => peer.problem)).toEqual(['unreachable']);
      room.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes a prepared offer that no join took', async () => {
    const room = session(fakeServer(() => result([])).transport);
    const before = FakePeerConnection.made.length;
    room.prepare();
    await vi.waitFor(() => expect(FakePeerConnection.made[before]?.localDescription?.type).toBe('offer'));
    const prepared = FakePeerConnection.made[before];
    room.close();
    await vi.waitFor(() => expect(prepared?.signalingState).toBe('closed'));
  });

  it('joins without an offer when the pre-join screen has no ICE servers, and offers after the ack', async () => {
    const server = fakeServer(() => result([BOB]));
    const room = session(server.transport, false);
    await room.join('kitchen', 'Me');
    expect(server.joins[0]).not.toHaveProperty('offer');
    expect(server.signals[0]).toMatchObject({ to: BOB.id, signal: { kind: 'description' } });
    room.close();
  });
});
