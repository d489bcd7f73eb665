import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConnectivityCheckOptions, ConnectivityResult } from './connectivity-check.js';
import { ConnectivityRun, type ConnectivityState } from './connectivity-run.js';
import { fakeSignaling } from '../../test/support/fake-signaling.js';
import type { NetworkEventName } from './network-watch.js';

const DIRECT: ConnectivityResult = { verdict: 'direct', relay: 'none' };

function run() {
  const server = fakeSignaling();
  server.answer('ice', () => ({ ok: true, iceServers: [], iceTransportPolicy: 'all' }));
  const listeners = new Map<NetworkEventName, Set<() => void>>();
  const network = {
    online: true,
    link: undefined,
    on(event: NetworkEventName, listener: () => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const fire = (event: NetworkEventName) => {
    for (const listener of listeners.get(event) ?? []) listener();
  };
  const checks: ConnectivityCheckOptions[] = [];
  let finish: (result: ConnectivityResult) => void = () => {};
  const check = (options: ConnectivityCheckOptions) => {
    checks.push(options);
    return new Promise<ConnectivityResult | undefined>((resolve) => {
      finish = resolve;
      options.signal?.addEventListener('abort', () => resolve(undefined));
    });
  };
  const connectivity = new ConnectivityRun({
    signaling: server.transport,
    network,
    RTCPeerConnection: class {} as never,
    check,
  });
  const states: ConnectivityState[] = [];
  connectivity.on('state', (state) => states.push(state));
  return {
    server,
    network,
    fire,
    checks,
    finish: (r: ConnectivityResult) => finish(r),
    connectivity,
    states,
  };
}

describe('ConnectivityRun', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('checks at once with fresh ICE servers, and says what it found', async () => {
    const { connectivity, checks, finish, states } = run();
    connectivity.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toHaveLength(1);
    finish(DIRECT);
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual([{ kind: 'checking' }, { kind: 'done', result: DIRECT }]);
  });

  it('says offline without asking the server, and checks again once back online', async () => {
    const { connectivity, network, fire, checks, states } = run();
    network.online = false;
    connectivity.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual([{ kind: 'offline' }]);
    network.online = true;
    fire('online');
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toHaveLength(1);
    expect(connectivity.state).toEqual({ kind: 'checking' });
  });

  it('aborts a check when a newer one starts; only the newer one reports', async () => {
    const { connectivity, fire, checks } = run();
    connectivity.start();
    await vi.advanceTimersByTimeAsync(0);
    fire('offline');
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toHaveLength(2);
    expect(checks[0]?.signal?.aborted).toBe(true);
    expect(checks[1]?.signal?.aborted).toBe(false);
  });

  it('says so when the server is rate limiting, with its error', async () => {
    const { connectivity, server } = run();
    server.answer('ice', () => ({
      ok: false,
      error: { code: 'RATE_LIMITED', message: 'Try again in 3 s.', retryAfterMs: 3000 },
    }));
    connectivity.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(connectivity.state).toMatchObject({ kind: 'limited', error: { code: 'RATE_LIMITED' } });
  });

  it('says the server is missing at the first failed reconnect, and checks again once it is back', async () => {
    const { connectivity, server, checks } = run();
    server.answer('ice', () => ({ ok: false, error: { code: 'NOT_CONNECTED', message: 'Not connected.' } }));
    connectivity.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(connectivity.state).toEqual({ kind: 'no-server' });
    server.status('disconnected');
    server.status('unreachable');
    expect(connectivity.state).toEqual({ kind: 'no-server' });
    server.answer('ice', () => ({ ok: true, iceServers: [], iceTransportPolicy: 'all' }));
    server.status('connected');
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toHaveLength(1);
  });

  it('reports nothing once stopped', async () => {
    const { connectivity, fire, states, checks } = run();
    connectivity.start();
    await vi.advanceTimersByTimeAsync(0);
    connectivity.stop();
    fire('online');
    await vi.advanceTimersByTimeAsync(0);
    expect(checks).toHaveLength(1);
    expect(checks[0]?.signal?.aborted).toBe(true);
    expect(states).toEqual([{ kind: 'checking' }]);
  });
});
