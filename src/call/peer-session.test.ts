import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, installFakeMediaStream } from '../../test/support/fake-rtc.js';
import type { Signal } from '../protocol/index.js';
import { PeerSession, type PeerSessionOptions } from './peer-session.js';
import { DEFAULT_REPAIR_TIMINGS } from './repair-scheduler.js';

const { attemptBoundMs } = DEFAULT_REPAIR_TIMINGS;
const FRESH_ICE = { iceServers: [{ urls: ['turn:relay.test:3478'] }], iceTransportPolicy: 'all' as const };

function track(kind: 'audio' | 'video'): MediaStreamTrack {
  return { kind, enabled: true } as MediaStreamTrack;
}

/** A session on fake WebRTC, with everything it sends recorded. */
function session(overrides: Partial<PeerSessionOptions> = {}) {
  const sent: Signal[] = [];
  const localStream = { getTracks: () => [track('audio'), track('video')] } as unknown as MediaStream;
  let online = true;
  const fetchIce = vi.fn(() => Promise.resolve(FRESH_ICE));
  const peer = new PeerSession({
    remote: { id: 'remote-peer-1', name: 'Remote' },
    polite: false,
    role: 'offerer',
    localStream,
    iceServers: [],
    iceTransportPolicy: 'all',
    RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
    sendSignal: (signal) => void sent.push(signal),
    fetchIce,
    canSignal: () => online,
    ...overrides,
  });
  const descriptions = () => sent.filter((s) => s.kind === 'description');
  return {
    peer,
    sent,
    descriptions,
    fetchIce,
    setOnline: (value: boolean) => (online = value),
    pc: () => peer.pc as unknown as FakePeerConnection,
  };
}

const offer = (generation?: number): Signal => ({
  kind: 'description',
  description: { type: 'offer', sdp: 'remote offer' },
  ...(generation === undefined ? {} : { generation }),
});
const answer = (generation: number): Signal => ({
  kind: 'description',
  description: { type: 'answer', sdp: 'remote answer' },
  generation,
});
const candidate = (generation: number): Signal => ({
  kind: 'candidate',
  candidate: { candidate: `candidate:${generation} 1 udp 1 192.0.2.1 9 typ host`, sdpMid: '0' },
  generation,
});

describe('PeerSession: connection generations', () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installFakeMediaStream()));
  afterAll(() => uninstall());
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('gives a rebuilt connection the same certificate, so the verification code holds', async () => {
    const certificates = [{ expires: 0 } as unknown as RTCCertificate];
    const { peer, pc } = session({ certificates });
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    const first = pc();
    expect(first.configuration.certificates).toBe(certificates);
    first.setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(attemptBoundMs + 1);
    expect(peer.generation).toBe(1);
    expect(pc()).not.toBe(first);
    expect(pc().configuration.certificates).toBe(certificates);
  });

  it('swaps another camera onto the sender of the old one, without a new offer', async () => {
    const microphone = track('audio');
    const camera = track('video');
    const otherCamera = track('video');
    const stream = (...tracks: MediaStreamTrack[]) => ({ getTracks: () => tracks }) as unknown as MediaStream;
    const { peer, pc, descriptions } = session({ localStream: stream(microphone, camera) });
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    const described = descriptions().length;
    peer.setLocalStream(stream(microphone, otherCamera));
    await vi.advanceTimersByTimeAsync(0);
    expect(pc().senders.map((sender) => sender.track)).toEqual([microphone, otherCamera]);
    expect(descriptions()).toHaveLength(described);
  });

  it('stamps every signal with the generation of the connection that made it', async () => {
    const { descriptions } = session();
    await vi.advanceTimersByTimeAsync(0);
    expect(descriptions()).toEqual([expect.objectContaining({ generation: 0 })]);
  });

  it('treats a signal without a generation as generation 0', async () => {
    const { peer, descriptions } = session({ role: 'answerer' });
    await peer.handleSignal(offer());
    expect(peer.generation).toBe(0);
    expect(descriptions()).toHaveLength(1);
    expect(descriptions()[0]).toMatchObject({ description: { type: 'answer' }, generation: 0 });
  });

  it('follows the other side to a newer generation: closes its connection, answers on a new one', async () => {
    const { peer, descriptions, pc } = session({ role: 'answerer' });
    await peer.handleSignal(offer(0));
    const first = pc();
    await peer.handleSignal(offer(2));
    expect(first.connectionState).toBe('closed');
    expect(peer.generation).toBe(2);
    expect(pc()).not.toBe(first);
    expect(pc().remoteDescription?.sdp).toBe('remote offer');
    expect(descriptions().at(-1)).toMatchObject({ description: { type: 'answer' }, generation: 2 });
    expect(peer.phase.kind).toBe('connecting');
  });

  it('drops signals of an older generation unread', async () => {
    const { peer, pc } = session({ role: 'answerer' });
    await peer.handleSignal(offer(3));
    const errors: unknown[] = [];
    peer.on('error', (error) => errors.push(error));
    await peer.handleSignal(candidate(2));
    await peer.handleSignal(offer(1));
    await peer.handleSignal(candidate(3));
    expect(pc().candidates.map((c) => c.candidate)).toEqual([expect.stringContaining('candidate:3')]);
    expect(peer.generation).toBe(3);
    expect(errors).toEqual([]);
  });

  it('restarts ICE with fresh ICE servers when the connection fails, through an offer of the same generation', async () => {
    const { peer, descriptions, pc, fetchIce } = session();
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    pc().setConnectionState('connected');
    pc().setConnectionState('failed');
    expect(peer.phase).toEqual({ kind: 'recovering', reason: 'failed' });
    await vi.advanceTimersByTimeAsync(0);
    expect(fetchIce).toHaveBeenCalledOnce();
    expect(pc().configuration.iceServers).toEqual(FRESH_ICE.iceServers);
    expect(pc().restarts).toBe(1);
    expect(descriptions()).toHaveLength(2);
    expect(descriptions()[1]).toEqual(expect.objectContaining({ generation: 0 }));
  });

  it('rebuilds the connection as the next generation when the restart does not bring it back in time', async () => {
    const { peer, descriptions, pc } = session();
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    const first = pc();
    first.setConnectionState('connected');
    const stream = peer.remoteStream;
    first.setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(attemptBoundMs);
    // A timer set during a fake tick with no delay runs a millisecond later.
    await vi.advanceTimersByTimeAsync(1);
    expect(first.connectionState).toBe('closed');
    expect(peer.generation).toBe(1);
    expect(peer.remoteStream).not.toBe(stream);
    expect(peer.phase).toEqual({ kind: 'recovering', reason: 'rebuilt' });
    expect(descriptions().at(-1)).toMatchObject({ description: { type: 'offer' }, generation: 1 });
    // The answer of the new generation is applied; a late one of the old generation is not.
    await peer.handleSignal(answer(0));
    expect(pc().remoteDescription).toBeNull();
    await peer.handleSignal(answer(1));
    pc().setConnectionState('connected');
    expect(peer.phase.kind).toBe('connected');
  });

  it('rolls back an offer whose answer was lost, so the restart can go out', async () => {
    const { peer, descriptions, pc } = session();
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    pc().setConnectionState('connected');
    peer.networkChanged();
    await vi.advanceTimersByTimeAsync(0);
    expect(pc().signalingState).toBe('have-local-offer');
    // The restart offer was lost with the signaling connection; once it is back, we offer again.
    peer.signalingResumed();
    await vi.advanceTimersByTimeAsync(0);
    expect(pc().restarts).toBe(2);
    expect(descriptions()).toHaveLength(3);
  });

  it('offers again when the peer is back, if its last offer never reached it, and only then', async () => {
    for (const delivered of [false, true]) {
      const sent: Signal[] = [];
      const { peer, pc } = session({
        sendSignal: (signal) => {
          sent.push(signal);
          return Promise.resolve(delivered);
        },
      });
      await vi.advanceTimersByTimeAsync(0);
      await peer.handleSignal(answer(0));
      pc().setConnectionState('connected');
      // A renegotiation (a screen shared, say) while the other side is away from the server.
      peer.networkChanged();
      await vi.advanceTimersByTimeAsync(0);
      const offers = sent.filter((signal) => signal.kind === 'description').length;
      peer.peerReturned();
      await vi.advanceTimersByTimeAsync(0);
      expect(
        sent.filter((signal) => signal.kind === 'description').length - offers,
        `delivered: ${delivered}`,
      ).toBe(delivered ? 0 : 1);
      peer.close();
    }
  });

  it('starts no repair while signals cannot reach the other side, and repairs once they can', async () => {
    const { peer, pc, setOnline } = session();
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    pc().setConnectionState('connected');
    setOnline(false);
    pc().setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(attemptBoundMs * 3);
    expect(pc().restarts).toBe(0);
    expect(peer.generation).toBe(0);
    setOnline(true);
    peer.signalingResumed();
    await vi.advanceTimersByTimeAsync(0);
    expect(pc().restarts).toBe(1);
  });

  it('keeps chat lines sent during a rebuild and delivers them on the new channel', async () => {
    const { peer, pc } = session();
    await vi.advanceTimersByTimeAsync(0);
    await peer.handleSignal(answer(0));
    pc().setConnectionState('failed');
    await vi.advanceTimersByTimeAsync(attemptBoundMs);
    expect(peer.generation).toBe(1);
    peer.send({ kind: 'chat', id: 'm1', text: 'hello again', sentAt: 1 });
    pc().channel?.open();
    expect(pc().channel?.sent).toEqual([expect.stringContaining('hello again')]);
  });

  it('stops repairing once closed', async () => {
    const { peer, pc } = session();
    await vi.advanceTimersByTimeAsync(0);
    pc().setConnectionState('failed');
    peer.close();
    const made = FakePeerConnection.made.length;
    await vi.advanceTimersByTimeAsync(attemptBoundMs * 5);
    expect(FakePeerConnection.made.length).toBe(made);
    expect(peer.phase).toEqual({ kind: 'closed', reason: 'local' });
  });
});
