/**
 * Runs inside a Chromium page: gathers candidates through a TURN server, and connects two relay-only
 * RTCPeerConnections of this page to each other through it (signaling is a direct hand-over in the page),
 * then sends a data channel message each way and reports which candidate pair carried it.
 */
import {
  recordCandidates,
  within,
  type CandidateError,
  type GatherOptions,
  type GatherReport,
  type GatheredCandidate,
} from './stun-harness.js';

export type { CandidateError, GatherOptions, GatherReport, GatheredCandidate };

export interface RelayPairOptions {
  iceServers: RTCIceServer[];
  /** Fail (with a report, not a hang) if the channel has not opened and both messages crossed by then. */
  timeoutMs: number;
}

export interface SelectedPair {
  state: string;
  localType: string | undefined;
  remoteType: string | undefined;
  localAddress: string | undefined;
  remoteAddress: string | undefined;
  /** For a relay candidate, how the browser reaches the TURN server (`udp`, `tcp`, `tls`). */
  relayProtocol: string | undefined;
}

export interface RelayPairReport {
  /** Both messages crossed before the timeout. */
  delivered: boolean;
  received: [string[], string[]];
  connectionStates: [RTCPeerConnectionState, RTCPeerConnectionState];
  selected: [SelectedPair | undefined, SelectedPair | undefined];
  candidates: [GatheredCandidate[], GatheredCandidate[]];
  errors: [CandidateError[], CandidateError[]];
  /** From the first offer to the second message arriving, measured in the page. */
  elapsedMs: number;
}

declare global {
  interface Window {
    turnHarness: {
      gather(options: GatherOptions): Promise<GatherReport>;
      relayPair(options: RelayPairOptions): Promise<RelayPairReport>;
    };
  }
}

async function relayPair({ iceServers, timeoutMs }: RelayPairOptions): Promise<RelayPairReport> {
  const started = performance.now();
  const config: RTCConfiguration = { iceServers, iceTransportPolicy: 'relay' };
  const pcs = [new RTCPeerConnection(config), new RTCPeerConnection(config)] as const;
  try {
    const recorded = pcs.map((pc) => recordCandidates(pc));
    // Trickle each side's candidates straight to the other.
    pcs.forEach((pc, i) => {
      const other = pcs[1 - i];
      pc.addEventListener('icecandidate', (event) => {
        if (event.candidate && other) void other.addIceCandidate(event.candidate);
      });
    });
    // Negotiated (id 0), as Parley's chat channel is, so neither side has to wait for the other's channel.
    const channels = pcs.map((pc) => pc.createDataChannel('chat', { negotiated: true, id: 0 }));
    const received: [string[], string[]] = [[], []];
    const delivered = Promise.all(
      channels.map(
        (channel, i) =>
          new Promise<void>((resolve) => {
            channel.addEventListener('message', (event: MessageEvent<unknown>) => {
              received[i]?.push(String(event.data));
              resolve();
            });
            channel.addEventListener('open', () => channel.send(`hello from ${i} through the relay`));
          }),
      ),
    );

    const [a, b] = pcs;
    await a.setLocalDescription();
    if (a.localDescription) await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription();
    if (b.localDescription) await a.setRemoteDescription(b.localDescription);

    const ok = await within(delivered, timeoutMs);
    const elapsedMs = Math.round(performance.now() - started);
    const selected = await Promise.all(pcs.map(selectedPair));
    return {
      delivered: ok,
      received,
      connectionStates: [a.connectionState, b.connectionState],
      selected: [selected[0], selected[1]],
      candidates: [recorded[0]?.candidates ?? [], recorded[1]?.candidates ?? []],
      errors: [recorded[0]?.errors ?? [], recorded[1]?.errors ?? []],
      elapsedMs,
    };
  } finally {
    for (const pc of pcs) pc.close();
  }
}

/** The transport's selected candidate pair, from getStats (webrtc-stats §7.2, `selectedCandidatePairId`). */
async function selectedPair(pc: RTCPeerConnection): Promise<SelectedPair | undefined> {
  const stats = await pc.getStats();
  const byId = new Map<string, Record<string, unknown>>();
  stats.forEach((entry: Record<string, unknown>) => byId.set(String(entry.id), entry));
  const transport = [...byId.values()].find((entry) => entry.type === 'transport');
  const pair = byId.get(String(transport?.selectedCandidatePairId));
  if (!pair) return undefined;
  const local = byId.get(String(pair.localCandidateId));
  const remote = byId.get(String(pair.remoteCandidateId));
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    state: String(pair.state),
    localType: text(local?.candidateType),
    remoteType: text(remote?.candidateType),
    localAddress: text(local?.address),
    remoteAddress: text(remote?.address),
    relayProtocol: text(local?.relayProtocol),
  };
}

async function gather(options: GatherOptions): Promise<GatherReport> {
  return window.stunHarness.gather(options);
}

window.turnHarness = { gather, relayPair };
