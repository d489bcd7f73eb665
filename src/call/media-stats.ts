import * as z from 'zod/mini';
import type { StatsReportLike } from './link-stats.js';

/**
 * What media does on one connection over the last interval, read from `RTCPeerConnection.getStats()`
 * ([W3C webrtc-stats](https://w3c.github.io/webrtc-stats/)): the video we send and receive (codec, size,
 * frame rate, bitrate), jitter, and the bytes the connection carried in all (media, chat, files), for
 * the Call details dialog, the data a call uses, and the quality adaptation's watch on the CPU.
 */
export interface MediaSample {
  /** When it was read, in milliseconds on the report's clock. */
  at: number;
  sent: VideoFlow | undefined;
  received: VideoFlow | undefined;
  /** Inbound video's jitter, milliseconds (audio's where no video arrives). */
  jitterMs: number | undefined;
  /** An encoder of ours on this connection says the CPU holds it back (`qualityLimitationReason`). */
  cpuLimited: boolean;
  /** An encoder of ours on this connection says the bandwidth estimate holds it back. */
  bandwidthLimited: boolean;
  /** Bytes the connection carried each way since the previous reading. */
  bytesSent: number;
  bytesReceived: number;
  /** Seconds since the previous reading; 0 for the first. */
  seconds: number;
}

/** The largest video stream one way: the camera, or a shared screen when it is larger. */
export interface VideoFlow {
  codec: string | undefined;
  width: number | undefined;
  height: number | undefined;
  frameRate: number | undefined;
  /** All video that way together, bits per second. */
  bitrate: number;
}

/** Counters of one reading, kept to measure the next interval. */
export interface MediaCounters {
  at: number;
  bytes: ReadonlyMap<string, number>;
  transportSent: number;
  transportReceived: number;
}

const finite = z.number();
const Rtp = z.object({
  type: z.enum(['inbound-rtp', 'outbound-rtp']),
  kind: z.optional(z.string()),
  timestamp: z.optional(finite),
  codecId: z.optional(z.string()),
  bytesReceived: z.optional(finite),
  bytesSent: z.optional(finite),
  frameWidth: z.optional(finite),
  frameHeight: z.optional(finite),
  framesPerSecond: z.optional(finite),
  jitter: z.optional(finite),
  qualityLimitationReason: z.optional(z.string()),
});
type Rtp = z.infer<typeof Rtp>;
const Codec = z.object({ type: z.literal('codec'), mimeType: z.string() });
const Bytes = z.object({
  type: z.enum(['transport', 'candidate-pair']),
  timestamp: z.optional(finite),
  bytesSent: z.optional(finite),
  bytesReceived: z.optional(finite),
  nominated: z.optional(z.boolean()),
  selected: z.optional(z.boolean()),
});

/**
 * Reads one getStats() report; pass the counters the previous reading returned to get rates over the interval
 * between the two (without them, the first reading's rates are zero).
 */
export function readMediaStats(
  report: StatsReportLike,
  previous?: MediaCounters,
): { sample: MediaSample; counters: MediaCounters } {
  const byId = new Map<string, unknown>();
  report.forEach((value, key) => byId.set(key, value));
  let at = 0;
  const rtp: [string, Rtp][] = [];
  let transports: { sent: number; received: number } | undefined;
  const pairs = { sent: 0, received: 0 };
  for (const [id, value] of byId) {
    const stream = Rtp.safeParse(value);
    if (stream.success) {
      rtp.push([id, stream.data]);
      at = Math.max(at, stream.data.timestamp ?? 0);
      continue;
    }
    const bytes = Bytes.safeParse(value);
    if (!bytes.success) continue;
    at = Math.max(at, bytes.data.timestamp ?? 0);
    const sent = bytes.data.bytesSent ?? 0;
    const received = bytes.data.bytesReceived ?? 0;
    if (bytes.data.type === 'transport') {
      transports = { sent: (transports?.sent ?? 0) + sent, received: (transports?.received ?? 0) + received };
    } else {
      // Firefox has no byte counts on its transport: the pairs' add up to the same.
      pairs.sent += sent;
      pairs.received += received;
    }
  }
  // Firefox reports zeros on its transport entry rather than leaving the counts out.
  const totals = transports && transports.sent + transports.received > 0 ? transports : pairs;
  const seconds = previous && at > previous.at ? (at - previous.at) / 1000 : 0;
  const counters = new Map<string, number>();
  const flows = { sent: [] as [Rtp, number][], received: [] as [Rtp, number][] };
  let jitter: { video?: number; audio?: number } = {};
  for (const [id, stream] of rtp) {
    const inbound = stream.type === 'inbound-rtp';
    const bytes = (inbound ? stream.bytesReceived : stream.bytesSent) ?? 0;
    counters.set(id, bytes);
    if (inbound && stream.jitter !== undefined && stream.jitter >= 0) {
      const kind = stream.kind === 'video' ? 'video' : 'audio';
      jitter = { ...jitter, [kind]: Math.max(jitter[kind] ?? 0, stream.jitter) };
    }
    if (stream.kind !== 'video') continue;
    const before = previous?.bytes.get(id);
    // A counter that went back is a new stream (a rebuilt connection): what it counts is all new.
    const delta = before === undefined || bytes < before ? (previous ? bytes : 0) : bytes - before;
    flows[inbound ? 'received' : 'sent'].push([stream, seconds > 0 ? (delta * 8) / seconds : 0]);
  }
  const jitterSeconds = jitter.video ?? jitter.audio;
  const limitedBy = (reason: string) =>
    rtp.some(([, stream]) => stream.type === 'outbound-rtp' && stream.qualityLimitationReason === reason);
  const sample: MediaSample = {
    at,
    sent: flowOf(flows.sent, byId),
    received: flowOf(flows.received, byId),
    jitterMs: jitterSeconds === undefined ? undefined : jitterSeconds * 1000,
    cpuLimited: limitedBy('cpu'),
    bandwidthLimited: limitedBy('bandwidth'),
    bytesSent: previous ? Math.max(0, totals.sent - previous.transportSent) : 0,
    bytesReceived: previous ? Math.max(0, totals.received - previous.transportReceived) : 0,
    seconds,
  };
  return {
    sample,
    counters: { at, bytes: counters, transportSent: totals.sent, transportReceived: totals.received },
  };
}

/** The largest stream's codec, size and frame rate; the bitrate of them all. */
function flowOf(flows: readonly [Rtp, number][], byId: ReadonlyMap<string, unknown>): VideoFlow | undefined {
  if (flows.length === 0) return undefined;
  const area = ({ frameWidth, frameHeight }: Rtp) => (frameWidth ?? 0) * (frameHeight ?? 0);
  const [largest] = flows.reduce((best, flow) => (area(flow[0]) > area(best[0]) ? flow : best));
  const codec = Codec.safeParse(largest.codecId === undefined ? undefined : byId.get(largest.codecId));
  return {
    // "video/VP8" is shown as VP8.
    codec: codec.success ? codec.data.mimeType.replace(/^video\//i, '') : undefined,
    width: largest.frameWidth,
    height: largest.frameHeight,
    frameRate: largest.framesPerSecond,
    bitrate: flows.reduce((sum, [, bitrate]) => sum + bitrate, 0),
  };
}
