import type { IceServer } from '../protocol/index.js';
import { problemOfCandidateError } from './problem.js';

/**
 * What the connectivity check concludes, most useful first:
 * - `direct`: this browser has addresses of its own (host or server-reflexive candidates), so it can be
 *   reached without a relay, at least by whoever's network lets it.
 * - `relay-only`: a relay works, and it is the only way: the server asks for relayed calls
 *   (`iceTransportPolicy: 'relay'`), or the browser found no address of its own but got a relay.
 * - `relay-unreachable`: the relay is needed but did not answer in time.
 * - `relay-refused`: the relay is needed but refused the credentials (401/403).
 * - `offline`: the browser found no network path at all.
 */
export type ConnectivityVerdict = 'direct' | 'relay-only' | 'relay-unreachable' | 'relay-refused' | 'offline';

/** How the relay (TURN) fared, whether or not it is needed: `none` when none is configured. */
export type RelayStatus = 'works' | 'refused' | 'unreachable' | 'none';

export interface ConnectivityResult {
  verdict: ConnectivityVerdict;
  relay: RelayStatus;
}

/** What gathering turned up. */
export interface GatheringObservation {
  policy: RTCIceTransportPolicy;
  /** Whether any TURN server was offered at all. */
  relayConfigured: boolean;
  /** Candidates seen, by type (`host`, `srflx`, `prflx`, `relay`). */
  types: ReadonlySet<string>;
  /** A TURN server answered 401 or 403. */
  refused: boolean;
}

/**
 * Long enough for a relay across the world to answer (gathering normally completes within 200 ms here);
 * short enough that a relay that never answers is reported while the person is still on the lobby. A TURN
 * server that does not answer holds Chromium's gathering open for much longer than this.
 */
export const CONNECTIVITY_TIMEOUT_MS = 5_000;

export interface ConnectivityCheckOptions {
  iceServers: IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Default {@link CONNECTIVITY_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Stops the check early (the page left the lobby, or a newer check started); it then resolves undefined. */
  signal?: AbortSignal;
}

/**
 * Gathers ICE candidates on a throwaway connection with the call's ICE configuration and says what kind of
 * connection this browser can make. Nothing is sent to anyone: the offer is never signalled. Resolves when
 * gathering completes or nothing more could change the answer ({@link isSettled}), when `timeoutMs` has
 * passed, or (with `undefined`) when aborted; it closes the connection in every case.
 *
 * @example
 * const result = await checkConnectivity({ iceServers, iceTransportPolicy, RTCPeerConnection });
 * if (result?.verdict === 'relay-refused') showWarning();
 */
export async function checkConnectivity(
  options: ConnectivityCheckOptions,
): Promise<ConnectivityResult | undefined> {
  const { signal } = options;
  if (signal?.aborted) return undefined;
  const types = new Set<string>();
  let refused = false;
  const observation = (): GatheringObservation => ({
    policy: options.iceTransportPolicy,
    relayConfigured: options.iceServers.some(isTurnServer),
    types,
    refused,
  });
  let pc: RTCPeerConnection | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = () => {};
  try {
    const connection = new options.RTCPeerConnection({
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy,
    });
    pc = connection;
    /** true once gathering is over or the time is up; false when aborted. */
    const finished = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), options.timeoutMs ?? CONNECTIVITY_TIMEOUT_MS);
      onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      connection.addEventListener('icecandidate', ({ candidate }) => {
        // A null candidate marks the end of gathering.
        if (!candidate) return resolve(true);
        const type = candidateType(candidate);
        if (type) types.add(type);
        if (isSettled(observation())) resolve(true);
      });
      connection.addEventListener('icegatheringstatechange', () => {
        if (connection.iceGatheringState === 'complete') resolve(true);
      });
      connection.addEventListener('icecandidateerror', (event) => {
        if (problemOfCandidateError(event) !== 'relay-refused') return;
        refused = true;
        if (isSettled(observation())) resolve(true);
      });
    });
    // A data channel gives the offer something to gather for, without asking for any device.
    connection.createDataChannel('connectivity-check');
    await connection.setLocalDescription();
    if (!(await finished)) return undefined;
  } catch {
    // The browser refused the configuration (a malformed URL, say): what was gathered, if anything, stands.
    if (signal?.aborted) return undefined;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    pc?.close();
  }
  return judgeConnectivity(observation());
}

/** The verdict from what gathering turned up; pure, so every combination can be tested. */
export function judgeConnectivity(observed: GatheringObservation): ConnectivityResult {
  const relayWorks = observed.types.has('relay');
  const relay: RelayStatus = relayWorks
    ? 'works'
    : observed.refused
      ? 'refused'
      : observed.relayConfigured
        ? 'unreachable'
        : 'none';
  // With `relay`, the browser never reports other candidates, and could not use them anyway.
  const direct =
    observed.policy === 'all' && ['host', 'srflx', 'prflx'].some((type) => observed.types.has(type));
  if (direct) return { verdict: 'direct', relay };
  if (relayWorks) return { verdict: 'relay-only', relay };
  if (observed.refused) return { verdict: 'relay-refused', relay };
  // No address of our own and no relay: with `all` that means no network interface to speak of.
  if (observed.policy === 'all') return { verdict: 'offline', relay };
  return { verdict: 'relay-unreachable', relay };
}

/**
 * Whether more gathering could still change the answer: once the path is known and the relay has answered
 * (or none is configured), there is no need to wait. A STUN server that never answers would otherwise hold
 * gathering open until the timeout. A refusal is an answer too: every TURN URL gets the same credentials,
 * minted from the one secret, so a second relay URL would refuse them as well.
 */
export function isSettled(observed: GatheringObservation): boolean {
  const { verdict, relay } = judgeConnectivity(observed);
  const relayAnswered = relay === 'works' || relay === 'refused';
  if (observed.policy === 'relay') return relayAnswered;
  return verdict === 'direct' && (relayAnswered || relay === 'none');
}

function isTurnServer(server: IceServer): boolean {
  const urls = typeof server.urls === 'string' ? [server.urls] : server.urls;
  return urls.some((url) => url.startsWith('turn:') || url.startsWith('turns:'));
}

/** The candidate's type: the `type` attribute, or from the candidate line where a browser lacks it. */
function candidateType(candidate: RTCIceCandidate): string | undefined {
  if (candidate.type) return candidate.type;
  return / typ (\w+)/.exec(candidate.candidate)?.[1];
}
