import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type GatheringObservation,
  checkConnectivity,
  isSettled,
  judgeConnectivity,
} from './connectivity-check.js';

describe('judgeConnectivity', () => {
  const observe = (overrides: Partial<GatheringObservation>): GatheringObservation => ({
    policy: 'all',
    relayConfigured: true,
    types: new Set(),
    refused: false,
    ...overrides,
  });

  it('says direct when the browser has an address of its own, and how the relay fared beside it', () => {
    expect(judgeConnectivity(observe({ types: new Set(['host']) }))).toEqual({
      verdict: 'direct',
      relay: 'unreachable',
    });
    expect(judgeConnectivity(observe({ types: new Set(['host', 'srflx', 'relay']) }))).toEqual({
      verdict: 'direct',
      relay: 'works',
    });
    expect(judgeConnectivity(observe({ types: new Set(['srflx']), refused: true }))).toEqual({
      verdict: 'direct',
      relay: 'refused',
    });
    expect(judgeConnectivity(observe({ types: new Set(['host']), relayConfigured: false }))).toEqual({
      verdict: 'direct',
      relay: 'none',
    });
  });

  it('says only a relay will work under the relay policy, or when a relay is all there is', () => {
    expect(judgeConnectivity(observe({ policy: 'relay', types: new Set(['relay']) })).verdict).toBe(
      'relay-only',
    );
    expect(judgeConnectivity(observe({ types: new Set(['relay']) })).verdict).toBe('relay-only');
  });

  it('tells a refusing relay from a silent one when a relay is needed', () => {
    expect(judgeConnectivity(observe({ policy: 'relay', refused: true }))).toEqual({
      verdict: 'relay-refused',
      relay: 'refused',
    });
    expect(judgeConnectivity(observe({ policy: 'relay' }))).toEqual({
      verdict: 'relay-unreachable',
      relay: 'unreachable',
    });
    expect(judgeConnectivity(observe({ policy: 'relay', relayConfigured: false }))).toEqual({
      verdict: 'relay-unreachable',
      relay: 'none',
    });
  });

  it('says offline when nothing at all was gathered under the `all` policy', () => {
    expect(judgeConnectivity(observe({})).verdict).toBe('offline');
    expect(judgeConnectivity(observe({ relayConfigured: false })).verdict).toBe('offline');
  });
});

describe('isSettled', () => {
  const observe = (overrides: Partial<GatheringObservation>): GatheringObservation => ({
    policy: 'all',
    relayConfigured: false,
    types: new Set(),
    refused: false,
    ...overrides,
  });

  it('is settled once the path is known and the relay has answered, yes or no', () => {
    expect(isSettled(observe({ relayConfigured: true, types: new Set(['host']), refused: true }))).toBe(true);
    expect(isSettled(observe({ policy: 'relay', relayConfigured: true, refused: true }))).toBe(true);
    expect(isSettled(observe({ types: new Set(['host']) }))).toBe(true);
    expect(isSettled(observe({ relayConfigured: true, types: new Set(['host', 'relay']) }))).toBe(true);
    expect(isSettled(observe({ policy: 'relay', relayConfigured: true, types: new Set(['relay']) }))).toBe(
      true,
    );
  });

  it('waits while a configured relay is silent, or nothing at all has turned up', () => {
    expect(isSettled(observe({ relayConfigured: true, types: new Set(['host']) }))).toBe(false);
    expect(isSettled(observe({ policy: 'relay', relayConfigured: true }))).toBe(false);
    expect(isSettled(observe({}))).toBe(false);
  });
});

/**
 * Stands in for RTCPeerConnection: plays a script of gathering events once the offer is set, and records
 * what the check did to it.
 */
type Step = { candidate: string } | { error: { errorCode: number; url: string } } | { complete: true };

function fakePeerConnection(script: Step[]) {
  const made: FakePeerConnection[] = [];
  class FakePeerConnection extends EventTarget {
    iceGatheringState: RTCIceGatheringState = 'new';
    closed = false;
    channels: string[] = [];
    constructor(readonly config: RTCConfiguration) {
      super();
      made.push(this);
    }
    createDataChannel(label: string) {
      this.channels.push(label);
    }
    setLocalDescription() {
      this.iceGatheringState = 'gathering';
      queueMicrotask(() => {
        for (const step of script) {
          if (this.closed) return;
          if ('candidate' in step) {
            const candidate = { candidate: step.candidate, type: null };
            this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate }));
          } else if ('error' in step) {
            this.dispatchEvent(Object.assign(new Event('icecandidateerror'), step.error));
          } else {
            this.iceGatheringState = 'complete';
            this.dispatchEvent(new Event('icegatheringstatechange'));
          }
        }
      });
      return Promise.resolve();
    }
    close() {
      this.closed = true;
    }
  }
  return { RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection, made };
}

const TURN = { urls: 'turn:127.0.0.1:3478', username: '1:x', credential: 'c' };

describe('checkConnectivity', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gathers on a throwaway connection with a data channel, judges, and closes it', async () => {
    const fake = fakePeerConnection([
      { candidate: 'candidate:1 1 udp 2122194687 192.0.2.2 51005 typ host generation 0' },
      { candidate: 'candidate:2 1 udp 58597375 127.0.0.1 14624 typ relay raddr 192.0.2.2 rport 41165' },
      { complete: true },
    ]);
    const result = await checkConnectivity({
      iceServers: [TURN],
      iceTransportPolicy: 'all',
      RTCPeerConnection: fake.RTCPeerConnection,
    });
    expect(result).toEqual({ verdict: 'direct', relay: 'works' });
    expect(fake.made).toHaveLength(1);
    expect(fake.made[0]?.config).toEqual({ iceServers: [TURN], iceTransportPolicy: 'all' });
    expect(fake.made[0]?.channels).toHaveLength(1);
    expect(fake.made[0]?.closed).toBe(true);
  });

  it('answers without waiting for gathering to end once nothing more could change the answer', async () => {
    // A STUN server that never answers holds gathering open; the host candidate already settles it.
    const fake = fakePeerConnection([{ candidate: 'candidate:1 1 udp 2122194687 192.0.2.2 51005 typ host' }]);
    const result = await checkConnectivity({
      iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
      iceTransportPolicy: 'all',
      RTCPeerConnection: fake.RTCPeerConnection,
    });
    expect(result).toEqual({ verdict: 'direct', relay: 'none' });
    expect(fake.made[0]?.closed).toBe(true);
  });

  it('reports a refusal heard through icecandidateerror', async () => {
    const fake = fakePeerConnection([
      { error: { errorCode: 401, url: 'turn:127.0.0.1:3478?transport=udp' } },
      { complete: true },
    ]);
    const result = await checkConnectivity({
      iceServers: [TURN],
      iceTransportPolicy: 'relay',
      RTCPeerConnection: fake.RTCPeerConnection,
    });
    expect(result).toEqual({ verdict: 'relay-refused', relay: 'refused' });
  });

  it('gives up waiting at the timeout and calls a silent relay unreachable', async () => {
    // Gathering never completes, as with a TURN URL where nothing listens.
    const fake = fakePeerConnection([]);
    const pending = checkConnectivity({
      iceServers: [TURN],
      iceTransportPolicy: 'relay',
      RTCPeerConnection: fake.RTCPeerConnection,
      timeoutMs: 3_000,
    });
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fake.made[0]?.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await pending).toEqual({ verdict: 'relay-unreachable', relay: 'unreachable' });
    expect(fake.made[0]?.closed).toBe(true);
  });

  it('resolves undefined and closes the connection when aborted', async () => {
    const fake = fakePeerConnection([]);
    const abort = new AbortController();
    const pending = checkConnectivity({
      iceServers: [],
      iceTransportPolicy: 'all',
      RTCPeerConnection: fake.RTCPeerConnection,
      signal: abort.signal,
    });
    await vi.advanceTimersByTimeAsync(10);
    abort.abort();
    expect(await pending).toBeUndefined();
    expect(fake.made[0]?.closed).toBe(true);
  });

  it('judges what it has when the browser refuses the configuration', async () => {
    const Refusing = function () {
      throw new DOMException('bad URL', 'SyntaxError');
    } as unknown as typeof RTCPeerConnection;
    const result = await checkConnectivity({
      iceServers: [TURN],
      iceTransportPolicy: 'relay',
      RTCPeerConnection: Refusing,
    });
    expect(result).toEqual({ verdict: 'relay-unreachable', relay: 'unreachable' });
  });
});
