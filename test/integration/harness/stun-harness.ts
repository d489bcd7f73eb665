/**
 * Runs inside a Chromium page: gathers ICE candidates for one RTCPeerConnection with the ICE servers the
 * test hands in, and reports every candidate and every `icecandidateerror`, so a test can tell what a STUN
 * or TURN server really gave the browser.
 */

export interface GatherOptions {
  iceServers: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Give up waiting for `complete` after this long and report what was seen (a clear failure, not a hang). */
  timeoutMs: number;
}

export interface GatheredCandidate {
  type: string | null;
  protocol: string | null;
  address: string | null;
  port: number | null;
  relatedAddress: string | null;
  relatedPort: number | null;
  url: string | null;
}

export interface CandidateError {
  errorCode: number;
  errorText: string;
  url: string;
  address: string | null;
  port: number | null;
}

export interface GatherReport {
  candidates: GatheredCandidate[];
  errors: CandidateError[];
  /** Whether gathering reached `complete` before the timeout. */
  completed: boolean;
  connectionState: RTCPeerConnectionState;
  elapsedMs: number;
}

declare global {
  interface Window {
    stunHarness: { gather(options: GatherOptions): Promise<GatherReport> };
  }
}

/** Listens on an RTCPeerConnection for candidates and candidate errors, from the moment it is called. */
export function recordCandidates(pc: RTCPeerConnection): {
  candidates: GatheredCandidate[];
  errors: CandidateError[];
  complete: Promise<void>;
} {
  const candidates: GatheredCandidate[] = [];
  const errors: CandidateError[] = [];
  const complete = new Promise<void>((resolve) => {
    pc.addEventListener('icecandidate', (event) => {
      // A null candidate marks the end of gathering (webrtc-pc §4.8.2).
      if (!event.candidate) return resolve();
      const c = event.candidate;
      candidates.push({
        type: c.type,
        protocol: c.protocol,
        address: c.address,
        port: c.port,
        relatedAddress: c.relatedAddress,
        relatedPort: c.relatedPort,
        url: (event as RTCPeerConnectionIceEvent & { url?: string | null }).url ?? null,
      });
    });
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
  pc.addEventListener('icecandidateerror', (e) => {
    errors.push({
      errorCode: e.errorCode,
      errorText: e.errorText,
      url: e.url,
      address: e.address,
      port: e.port,
    });
  });
  return { candidates, errors, complete };
}

/** Resolves with `true` when `promise` settles first, `false` when `ms` pass first. */
export function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function gather(options: GatherOptions): Promise<GatherReport> {
  const started = performance.now();
  const pc = new RTCPeerConnection({
    iceServers: options.iceServers,
    iceTransportPolicy: options.iceTransportPolicy ?? 'all',
  });
  try {
    const recorded = recordCandidates(pc);
    // A data channel gives the offer an m-line, so there is something to gather candidates for.
    pc.createDataChannel('probe');
    await pc.setLocalDescription();
    const completed = await within(recorded.complete, options.timeoutMs);
    return {
      candidates: recorded.candidates,
      errors: recorded.errors,
      completed,
      connectionState: pc.connectionState,
      elapsedMs: Math.round(performance.now() - started),
    };
  } finally {
    pc.close();
  }
}

window.stunHarness = { gather };
