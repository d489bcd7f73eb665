import type { MachineLoad, MediaSample, RemotePeerView, VideoFlow } from '../call/index.js';

/** What the report is made from: the call as the page sees it now. */
export interface DiagnosticsInput {
  peers: readonly Pick<RemotePeerView, 'id' | 'name' | 'phase' | 'link' | 'media'>[];
  history: (peerId: string) => readonly MediaSample[];
  /** Our video upload in force, bits per second. */
  budgetBps: number | undefined;
  /** How far the copies are lowered for the CPU; undefined before the adaptation runs, or with it off. */
  machineLoad?: MachineLoad | undefined;
  saver: boolean;
  dataUsed: { bytes: number; bytesPerSecond: number };
  userAgent: string;
  now: Date;
}

/**
 * A plain-text report of the call for a bug ticket (Call details → Copy diagnostics): the browser, and for
 * each person the connection's path, round trip, loss, jitter and what video goes each way, now and over
 * the last minute. Names are shown as people typed them, but **no address**: nothing here reads candidates'
 * addresses, and anything that still looks like an IPv4 or IPv6 address (a name someone typed, a browser's
 * odd user agent) is masked before the report leaves the page.
 */
export function diagnosticsReport(input: DiagnosticsInput): string {
  const lines = [
    'Parley call diagnostics',
    `time: ${input.now.toISOString()}`,
    `browser: ${input.userAgent}`,
    `people: ${input.peers.length + 1}`,
    `upload budget: ${input.budgetBps === undefined ? 'unknown' : `${Math.round(input.budgetBps / 1000)} kbit/s`}`,
    `data saver: ${input.saver ? 'on' : 'off'}`,
    `cpu: ${machineLine(input.machineLoad)}`,
    `data used: ${(input.dataUsed.bytes / 1e6).toFixed(1)} MB, now ${Math.round((input.dataUsed.bytesPerSecond * 8) / 1000)} kbit/s`,
  ];
  input.peers.forEach((peer, index) => {
    const { link } = peer;
    const history = input.history(peer.id);
    const last = history.at(-1);
    const path = link?.path;
    lines.push(
      '',
      `person ${index + 1}: ${JSON.stringify(peer.name)}`,
      `  phase: ${peer.phase.kind}`,
      `  microphone: ${peer.media.audio ? 'on' : 'off'}, camera: ${peer.media.video ? 'on' : 'off'}`,
      `  path: ${path === undefined ? 'unknown' : `${path.relayed ? 'relayed' : 'direct'} ${path.protocol}${path.relayed && path.relayProtocol ? ` (relay over ${path.relayProtocol})` : ''}`}`,
      `  round trip: ${figure(link?.rttMs, 'ms')}, loss: ${figure(link?.lossPercent, '%', 1)}, jitter: ${figure(last?.jitterMs, 'ms', 1)}`,
      `  sending: ${flow(last?.sent)}`,
      `  receiving: ${flow(last?.received)}`,
      `  last minute (${history.length} readings): ${spread(history, 'sent')}; ${spread(history, 'received')}; cpu-limited ${history.filter((sample) => sample.cpuLimited).length}`,
    );
  });
  return maskAddresses(lines.join('\n'));
}

function machineLine(load: MachineLoad | undefined): string {
  if (!load) return 'unknown';
  return `copies lowered ${load.level} of ${load.maxLevel} levels, machine pressure ${load.pressure ?? 'unknown'}`;
}

function figure(value: number | undefined, unit: string, digits = 0): string {
  return value === undefined ? 'unknown' : `${value.toFixed(digits)} ${unit}`;
}

function flow(video: VideoFlow | undefined): string {
  if (!video) return 'no video';
  const size = video.width && video.height ? `${video.width}x${video.height}` : 'size unknown';
  const rate = video.frameRate === undefined ? 'fps unknown' : `${Math.round(video.frameRate)} fps`;
  return `${video.codec ?? 'codec unknown'} ${size} ${rate} ${Math.round(video.bitrate / 1000)} kbit/s`;
}

/** The least, middle and most bitrate one way over the readings, kbit/s. */
function spread(history: readonly MediaSample[], way: 'sent' | 'received'): string {
  const rates = history
    .map((sample) => sample[way]?.bitrate)
    .filter((rate): rate is number => rate !== undefined)
    .sort((a, b) => a - b);
  if (rates.length === 0) return `${way} none`;
  const kbps = (rate: number) => Math.round(rate / 1000);
  return `${way} min/median/max ${kbps(rates[0]!)}/${kbps(rates[Math.floor(rates.length / 2)]!)}/${kbps(rates.at(-1)!)} kbit/s`;
}

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
/** Groups of hex digits with colons, as IPv6 is written (full, or shortened with ::). */
const IPV6 =
  /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b|\b[0-9a-f]{1,4}::(?:[0-9a-f]{1,4}:?)*\b|::(?:[0-9a-f]{1,4}:?)+/gi;

/** Masks whatever looks like an IP address. */
export function maskAddresses(text: string): string {
  return text.replace(IPV4, '[address]').replace(IPV6, '[address]');
}
