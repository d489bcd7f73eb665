import { afterEach, describe, expect, it, vi } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection as PlainWerift, type RTCPeerConnectionConfig } from 'werift';
import { WeriftPeerConnection } from './werift-peer-connection.js';

/** Loopback only: these connections never leave the machine. */
const LOOPBACK: RTCPeerConnectionConfig = { iceAdditionalHostAddresses: ['127.0.0.1'], iceUseIpv6: false };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((pc) => pc.close()));
});

function make(): WeriftPeerConnection {
  const pc = new WeriftPeerConnection(LOOPBACK);
  open.push(pc);
  return pc;
}

/** Counts an event as `src/call/` listens to it. */
function count(pc: WeriftPeerConnection, type: string): { n: number } {
  const counter = { n: 0 };
  pc.addEventListener(type, () => counter.n++);
  return counter;
}

/** Resolves after the event loop has turned a few times: long enough for werift's setImmediate events. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('WeriftPeerConnection', () => {
  it('fires one negotiationneeded for a camera, a microphone and a data channel added together', async () => {
    const pc = make();
    const needed = count(pc, 'negotiationneeded');
    pc.addTrack(new MediaStreamTrack({ kind: 'audio' }));
    pc.addTrack(new MediaStreamTrack({ kind: 'video' }));
    pc.createDataChannel('chat', { negotiated: true, id: 0 });
    await settle();
    expect(needed.n).toBe(1);
  });

  it('(plain werift fires several, which is why the adapter exists)', async () => {
    const pc = new PlainWerift(LOOPBACK);
    open.push(pc);
    let needed = 0;
    pc.addEventListener('negotiationneeded', () => needed++);
    pc.addTrack(new MediaStreamTrack({ kind: 'audio' }));
    pc.addTrack(new MediaStreamTrack({ kind: 'video' }));
    await settle();
    expect(needed).toBeGreaterThan(1);
  });

  it('holds candidates until setLocalDescription has resolved, so the description goes first', async () => {
    const pc = make();
    pc.createDataChannel('chat');
    const order: string[] = [];
    pc.addEventListener('icecandidate', ({ candidate }: { candidate?: unknown }) => {
      if (candidate) order.push('candidate');
    });
    await pc.setLocalDescription();
    order.push('description sent');
    await vi.waitFor(() => expect(order).toContain('candidate'));
    expect(order[0]).toBe('description sent');
  });

  it('answers a remote offer without an offer of its own, and asks for nothing more after answering', async () => {
    const offerer = make();
    offerer.addTrack(new MediaStreamTrack({ kind: 'audio' }));
    offerer.addTrack(new MediaStreamTrack({ kind: 'video' }));
    offerer.createDataChannel('chat', { negotiated: true, id: 0 });
    await offerer.setLocalDescription();
    const answerer = make();
    const needed = count(answerer, 'negotiationneeded');
    await answerer.setRemoteDescription(offerer.localDescription!);
    // What Parley's answerer does now: attach its media to the transceivers the offer made, then answer.
    answerer.addTrack(new MediaStreamTrack({ kind: 'audio' }));
    answerer.addTrack(new MediaStreamTrack({ kind: 'video' }));
    answerer.createDataChannel('chat', { negotiated: true, id: 0 });
    await answerer.setLocalDescription();
    expect(answerer.localDescription?.type).toBe('answer');
    await settle();
    expect(needed.n).toBe(0);
  });

  it('fires negotiationneeded for restartIce after a rollback (plain werift swallows it)', async () => {
    const pc = make();
    pc.createDataChannel('chat', { negotiated: true, id: 0 });
    const needed = count(pc, 'negotiationneeded');
    await settle();
    expect(needed.n).toBe(1);
    await pc.setLocalDescription();
    expect(pc.signalingState).toBe('have-local-offer');
    // Perfect negotiation's ICE restart with an offer outstanding (src/call/negotiator.ts).
    await pc.setLocalDescription({ type: 'rollback' });
    pc.restartIce();
    await settle();
    expect(needed.n).toBe(2);
  });

  it('reports each remote track once, however often the connection is renegotiated', async () => {
    const sender = make();
    const receiver = make();
    const tracks = count(receiver, 'track');
    const exchange = async () => {
      await sender.setLocalDescription();
      await receiver.setRemoteDescription(sender.localDescription!);
      await receiver.setLocalDescription();
      await sender.setRemoteDescription(receiver.localDescription!);
    };
    sender.addTrack(new MediaStreamTrack({ kind: 'video' }));
    await exchange();
    expect(tracks.n).toBe(1);
    sender.createDataChannel('later');
    await exchange();
    await exchange();
    await settle();
    expect(tracks.n).toBe(1);
  });
});
