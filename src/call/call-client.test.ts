import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, installFakeMediaStream } from '../../test/support/fake-rtc.js';
import type { PeerInfo } from '../protocol/index.js';
import { CallClient, type CallClientState } from './call-client.js';
import { CallError } from './errors.js';
import { fakeSignaling, joinAck } from '../../test/support/fake-signaling.js';
import type { NetworkEnvironment, NetworkEventName } from './network-watch.js';

const SELF: PeerInfo = { id: 'self-peer-0001', name: 'Me' };
const BOB: PeerInfo = { id: 'bob-peer-00001', name: 'Bob' };

/** A device network the test changes by hand. */
function fakeNetwork() {
  const listeners = new Map<NetworkEventName, Set<() => void>>();
  const network = {
    online: true,
    link: 'wifi' as string | undefined,
    on(event: NetworkEventName, listener: () => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  } satisfies NetworkEnvironment;
  const fire = (event: NetworkEventName) => {
    for (const listener of listeners.get(event) ?? []) listener();
  };
  return { network, fire };
}

function client() {
  const server = fakeSignaling(SELF);
  const { network, fire } = fakeNetwork();
  const call = new CallClient({
    signaling: server.transport,
    RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
    network,
  });
  const states: CallClientState['kind'][] = [];
  const reachable: boolean[] = [];
  call.on('state', (state) => states.push(state.kind));
  call.on('reachable', (value) => reachable.push(value));
  return { server, network, fire, call, states, reachable };
}

const resumes = (joins: unknown[]) => joins.filter((join) => (join as { resume?: unknown }).resume).length;

describe('CallClient', () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installFakeMediaStream()));
  afterAll(() => uninstall());
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('joins, follows the peers, and leaves', async () => {
    const { server, call, states } = client();
    server.answerJoinWith([BOB]);
    const joined = call.join('kitchen', 'Me');
    await vi.advanceTimersByTimeAsync(0);
    await joined;
    expect(call.state).toMatchObject({ kind: 'in-call', room: 'kitchen', maxPeers: 4, locked: false });
    expect(call.state.kind === 'in-call' && call.state.peers.map((p) => p.id)).toEqual([BOB.id]);
    await call.leave();
    expect(states).toEqual(['joining', 'in-call', 'idle']);
    expect(server.requests.at(-1)?.event).toBe('leave');
  });

  it('ends a refused join in idle with the server’s code', async () => {
    const { server, call } = client();
    server.answerJoins(() => ({ ok: false, error: { code: 'ROOM_FULL', message: 'This room is full.' } }));
    await call.join('kitchen', 'Me');
    expect(call.state).toEqual({ kind: 'idle', error: new CallError('ROOM_FULL', 'This room is full.') });
    expect(call.session).toBeNull();
  });

  it('reports a local failure under a local code, not the server’s INTERNAL', async () => {
    const { server, call } = client();
    server.answerJoins(() => ({ ok: false, error: { code: 'NOT_CONNECTED', message: 'Not connected.' } }));
    await call.join('kitchen', 'Me');
    expect(call.state.kind === 'idle' && call.state.error?.code).toBe('NOT_CONNECTED');
  });

  it('pauses repairs when signaling drops, and takes its place back when it returns', async () => {
    const { server, call, reachable } = client();
    await call.join('kitchen', 'Me');
    server.status('disconnected');
    server.status('connected');
    await vi.advanceTimersByTimeAsync(0);
    expect(reachable).toEqual([false, true]);
    expect(server.joins.at(-1)).toMatchObject({ resume: { peerId: SELF.id, token: 't'.repeat(43) } });
    expect(call.state.kind).toBe('in-call');
  });

  it('tries a resume that got no answer again while connected, and stops once it succeeds', async () => {
    const { server, call } = client();
    await call.join('kitchen', 'Me');
    server.answerJoins(() => ({ ok: false, error: { code: 'TIMEOUT', message: 'No answer.' } }));
    server.status('disconnected');
    server.status('connected');
    await vi.advanceTimersByTimeAsync(0);
    expect(resumes(server.joins)).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(resumes(server.joins)).toBe(2);
    server.answerJoins(() => joinAck(SELF, []));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(resumes(server.joins)).toBe(3);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(resumes(server.joins)).toBe(3);
  });

  it('does not retry a resume once the connection dropped again', async () => {
    const { server, call } = client();
    await call.join('kitchen', 'Me');
    server.answerJoins(() => ({ ok: false, error: { code: 'TIMEOUT', message: 'No answer.' } }));
    server.status('connected');
    await vi.advanceTimersByTimeAsync(0);
    server.status('disconnected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(resumes(server.joins)).toBe(1);
  });

  it('rejoins afresh when the server refuses the resume with RESUME_REJECTED', async () => {
    const { server, call } = client();
    await call.join('kitchen', 'Me');
    let first = true;
    server.answerJoins(() => {
      if (!first) return joinAck(SELF, []);
      first = false;
      return { ok: false, error: { code: 'RESUME_REJECTED', message: 'No.' } };
    });
    server.status('connected');
    await vi.advanceTimersByTimeAsync(0);
    expect(server.joins.at(-1)).toEqual({ v: 1, room: 'kitchen', name: 'Me' });
  });

  it('restarts ICE when the device comes online or changes its kind of link, not on estimates', async () => {
    const { server, call, fire, network } = client();
    server.answerJoinWith([BOB]);
    const joined = call.join('kitchen', 'Me');
    await vi.advanceTimersByTimeAsync(0);
    await joined;
    const session = call.session!;
    const changed = vi.spyOn(session, 'networkChanged');
    fire('link');
    expect(changed).toHaveBeenCalledTimes(0);
    network.link = 'cellular';
    fire('link');
    fire('online');
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('stops listening once closed', async () => {
    const { server, call, fire } = client();
    await call.join('kitchen', 'Me');
    const session = call.session!;
    const changed = vi.spyOn(session, 'networkChanged');
    call.close();
    fire('online');
    server.status('connected');
    await vi.advanceTimersByTimeAsync(0);
    expect(changed).not.toHaveBeenCalled();
    expect(resumes(server.joins)).toBe(0);
  });
});
