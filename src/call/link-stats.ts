import * as z from 'zod/mini';

/**
 * How media reaches us from one peer, read from `RTCPeerConnection.getStats()`
 * ([W3C webrtc-stats](https://w3c.github.io/webrtc-stats/)): the path (direct or through a TURN relay, and
 * over which transport) and how well it carries (round-trip time, packet loss, and a verdict on both).
 */
export interface LinkStats {
  /** Undefined until ICE has selected a candidate pair. */
  path: LinkPath | undefined;
  /** Round-trip time in milliseconds, when the browser has measured one. */
  rttMs: number | undefined;
  /** Share of inbound RTP packets lost since the previous reading (0-100), when any were expected. */
  lossPercent: number | undefined;
  /** Undefined while neither round-trip time nor loss is known. */
  quality: LinkQuality | undefined;
}

export type LinkQuality = 'good' | 'fair' | 'poor';

export type LinkPath =
  /** Straight between the two browsers (host, server-reflexive or peer-reflexive candidates). */
  | { relayed: false; protocol: 'udp' | 'tcp' }
  /**
   * Through a TURN relay, ours or the peer's. `relayProtocol` is how we reach our own relay (`udp`, `tcp`,
   * `tls`); it is undefined when only the peer is relayed (we then send UDP to its relay).
   */
  | { relayed: true; protocol: 'udp' | 'tcp'; relayProtocol: 'udp' | 'tcp' | 'tls' | undefined };

/** Packet counters of each inbound RTP stream at one reading, kept to measure loss over the next interval. */
export type RtpCounters = ReadonlyMap<string, { received: number; lost: number }>;

/** What this module needs of an RTCStatsReport: it is a maplike, so a plain Map of objects will do too. */
export interface StatsReportLike {
  forEach(callback: (value: unknown, key: string) => void): void;
}

/**
 * Thresholds for the verdict. ITU-T G.114 keeps one-way delay under 150 ms for conversation that feels
 * natural (a 300 ms round trip) and calls 400 ms one way (800 ms round trip) the limit for planning at all.
 * Opus and the video codecs conceal a couple of percent of loss with FEC and retransmission; around ten
 * percent, audio breaks up and video freezes.
 */
const GOOD = { rttMs: 300, lossPercent: 2 };
const FAIR = { rttMs: 800, lossPercent: 10 };

// Only the fields read below; everything else a browser adds is ignored. Timestamps and counters are
// finite numbers (z.number() refuses NaN and Infinity), so one odd value cannot poison the arithmetic.
const Transport = z.object({
  type: z.literal('transport'),
  selectedCandidatePairId: z.optional(z.string()),
});
const CandidatePair = z.object({
  type: z.literal('candidate-pair'),
  localCandidateId: z.string(),
  remoteCandidateId: z.string(),
  /** Firefox's mark for the pair in use (before it had `transport.selectedCandidatePairId`). */
  selected: z.optional(z.boolean()),
  currentRoundTripTime: z.optional(z.number()),
  totalRoundTripTime: z.optional(z.number()),
  responsesReceived: z.optional(z.number()),
});
const Candidate = z.object({
  type: z.enum(['local-candidate', 'remote-candidate']),
  candidateType: z.optional(z.string()),
  protocol: z.optional(z.string()),
  relayProtocol: z.optional(z.nullable(z.string())),
});
const InboundRtp = z.object({
  type: z.literal('inbound-rtp'),
  packetsReceived: z.optional(z.number()),
  packetsLost: z.optional(z.number()),
});
const RemoteInboundRtp = z.object({
  type: z.literal('remote-inbound-rtp'),
  roundTripTime: z.optional(z.number()),
});
type CandidatePair = z.infer<typeof CandidatePair>;

/**
 * Reads one getStats() report. Pass the counters the previous reading returned to get the loss over the
 * interval between the two; without them, loss is counted since the connection began.
 *
 * @example
 * let counters: RtpCounters | undefined;
 * const { link, counters: next } = readLinkStats(await pc.getStats(), counters);
 * counters = next;
 */
export function readLinkStats(
  report: StatsReportLike,
  previous?: RtpCounters,
): { link: LinkStats; counters: RtpCounters } {
  const byId = new Map<string, unknown>();
  report.forEach((value, key) => byId.set(key, value));

  const pair = selectedPair(byId);
  const path = pair && pathOf(byId, pair);
  const rttMs = pair === undefined ? undefined : roundTripMs(byId, pair);
  const counters = rtpCounters(byId);
  const lossPercent = lossSince(previous, counters);
  return { link: { path, rttMs, lossPercent, quality: qualityOf(rttMs, lossPercent) }, counters };
}

/** good, fair or poor from whichever of the two measures is known; undefined when neither is. */
export function qualityOf(
  rttMs: number | undefined,
  lossPercent: number | undefined,
): LinkQuality | undefined {
  if (rttMs === undefined && lossPercent === undefined) return undefined;
  const rtt = rttMs ?? 0;
  const loss = lossPercent ?? 0;
  if (rtt < GOOD.rttMs && loss < GOOD.lossPercent) return 'good';
  if (rtt < FAIR.rttMs && loss < FAIR.lossPercent) return 'fair';
  return 'poor';
}

/**
 * The pair ICE is using: Chromium (and current Firefox) name it on the transport; Firefox marked it
 * `selected: true` on the pair itself before that, and still does.
 */
function selectedPair(byId: ReadonlyMap<string, unknown>): CandidatePair | undefined {
  for (const value of byId.values()) {
    const transport = Transport.safeParse(value);
    if (!transport.success || transport.data.selectedCandidatePairId === undefined) continue;
    const pair = CandidatePair.safeParse(byId.get(transport.data.selectedCandidatePairId));
    if (pair.success) return pair.data;
  }
  for (const value of byId.values()) {
    const pair = CandidatePair.safeParse(value);
    if (pair.success && pair.data.selected === true) return pair.data;
  }
  return undefined;
}

function pathOf(byId: ReadonlyMap<string, unknown>, pair: CandidatePair): LinkPath | undefined {
  const local = Candidate.safeParse(byId.get(pair.localCandidateId));
  const remote = Candidate.safeParse(byId.get(pair.remoteCandidateId));
  if (!local.success) return undefined;
  const protocol = local.data.protocol === 'tcp' ? 'tcp' : 'udp';
  const localRelay = local.data.candidateType === 'relay';
  const remoteRelay = remote.success && remote.data.candidateType === 'relay';
  if (!localRelay && !remoteRelay) return { relayed: false, protocol };
  // Chromium leaves relayProtocol out of a UDP relay candidate's `icecandidate` event, but fills it in here.
  const relayProtocol = localRelay ? transportName(local.data.relayProtocol) : undefined;
  return { relayed: true, protocol, relayProtocol };
}

function transportName(value: string | null | undefined): 'udp' | 'tcp' | 'tls' | undefined {
  return value === 'udp' || value === 'tcp' || value === 'tls' ? value : undefined;
}

/**
 * The pair's current round trip (ICE consent checks) where the browser measures it: Chromium does; Firefox
 * reports 0 there. Then RTCP's view (remote-inbound-rtp, both browsers, once media has flowed), then the
 * pair's average over all its checks.
 */
function roundTripMs(byId: ReadonlyMap<string, unknown>, pair: CandidatePair): number | undefined {
  const current = pair.currentRoundTripTime;
  if (current !== undefined && current > 0) return current * 1000;
  let rtcp: number | undefined;
  for (const value of byId.values()) {
    const remote = RemoteInboundRtp.safeParse(value);
    const seconds = remote.success ? remote.data.roundTripTime : undefined;
    if (seconds !== undefined && seconds >= 0) rtcp = Math.max(rtcp ?? 0, seconds);
  }
  if (rtcp !== undefined) return rtcp * 1000;
  const { totalRoundTripTime: total, responsesReceived: responses } = pair;
  if (total !== undefined && responses !== undefined && total > 0 && responses > 0)
    return (total / responses) * 1000;
  // A bare 0 is what Firefox reports before it has measured anything: not a round trip to show.
  return undefined;
}

function rtpCounters(byId: ReadonlyMap<string, unknown>): RtpCounters {
  const counters = new Map<string, { received: number; lost: number }>();
  for (const [id, value] of byId) {
    const rtp = InboundRtp.safeParse(value);
    if (!rtp.success || rtp.data.packetsReceived === undefined) continue;
    counters.set(id, { received: rtp.data.packetsReceived, lost: rtp.data.packetsLost ?? 0 });
  }
  return counters;
}

/**
 * Lost ÷ expected over the interval, all inbound streams together. `packetsLost` may go down (RFC 3550
 * counts duplicates against it), so a stream's change in losses never counts below zero.
 */
function lossSince(previous: RtpCounters | undefined, now: RtpCounters): number | undefined {
  let lost = 0;
  let received = 0;
  for (const [id, current] of now) {
    const before = previous?.get(id) ?? { received: 0, lost: 0 };
    lost += Math.max(0, current.lost - before.lost);
    received += Math.max(0, current.received - before.received);
  }
  const expected = lost + received;
  return expected === 0 ? undefined : (lost / expected) * 100;
}
