import { readLinkStats, type LinkPath } from '../call/index.js';
import { NodePeer } from './node-peer.js';
import { SyntheticMedia } from './synthetic-media.js';

export interface ProbeOptions {
  /** The Parley to test, `https://host:8443`. */
  url: string;
  /** Accept a certificate that does not verify (self-signed). */
  insecure?: boolean;
  /** The whole probe, from the first connection to the verdict. */
  timeoutMs: number;
}

/** Milliseconds from the start of the probe to the end of each stage. */
export interface ProbeStages {
  /** Connected to the signaling server (socket.io over WebSocket). */
  signalingMs: number;
  /** The server started an echo peer for us. */
  echoPeerMs: number;
  /** We are in its room, with ICE servers. */
  joinMs: number;
  iceConnectedMs: number;
  /** A data-channel message went out and came back. */
  dataChannelMs: number;
  /** The first of our video frames came back. */
  firstFrameMs: number;
}

export interface ProbeSuccess {
  ok: true;
  url: string;
  /** From the start to the first echoed frame: what setting up a call with video costs. */
  setupMs: number;
  stages: ProbeStages;
  /** `direct` or `relay`, and the transport. */
  path: 'direct' | 'relay';
  protocol: 'udp' | 'tcp';
  /** Round trip of a data-channel message through the echo peer, median of a few. */
  rttMs: number;
  /** Frames and audio packets sent and echoed back during the probe. */
  framesSent: number;
  framesBack: number;
  audioSent: number;
  audioBack: number;
}

export type ProbeStage = keyof ProbeStages | 'media';

/** A probe that failed: where, and why in one line. */
export class ProbeFailure extends Error {
  constructor(
    readonly stage: ProbeStage,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }
}

/** Pings through the data channel after it first works, for the round trip. */
const PINGS = 5;

/**
 * Makes a test call against a running Parley, as a person's browser would: signaling, an echo peer from the
 * server (Test call), ICE with the server's ICE servers, then a data-channel message and synthetic video and
 * audio that must come back. Resolves with the timings and the path, or rejects with a {@link ProbeFailure}
 * naming the stage that did not complete within `timeoutMs`.
 */
export async function runProbe(options: ProbeOptions): Promise<ProbeSuccess> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const media = new SyntheticMedia();
  const peer = new NodePeer({
    url: options.url,
    ...(options.insecure && { insecure: true }),
    media,
    reconnection: false,
  });
  let stage: ProbeStage = 'signalingMs';
  const cleanups: (() => void)[] = [];
  const deadline = new Promise<never>((_, reject) => {
    const timer = setTimeout(
      () =>
        reject(new ProbeFailure(stage, `timed out after ${options.timeoutMs / 1000} s ${waitingFor(stage)}`)),
      options.timeoutMs,
    );
    timer.unref();
  });
  const step = <T>(next: ProbeStage, work: Promise<T>): Promise<T> => {
    stage = next;
    return Promise.race([work, deadline]);
  };
  try {
    await step(
      'signalingMs',
      new Promise<void>((resolve, reject) => {
        if (peer.socket.connected) resolve();
        peer.socket.once('connect', () => resolve());
        // Without reconnection socket.io gives up after one failed attempt: that failure is the answer.
        peer.socket.once('connect_error', (error) =>
          reject(new ProbeFailure('signalingMs', `cannot reach ${options.url}: ${connectProblem(error)}`)),
        );
      }),
    );
    const signalingMs = since();

    const ack = await step('echoPeerMs', peer.signaling.request('test-call', {}));
    if (!ack.ok)
      throw new ProbeFailure('echoPeerMs', `no echo peer: ${ack.error.message} (${ack.error.code})`);
    const { room, password } = ack;
    const echoPeerMs = since();

    await step('joinMs', peer.join(room, 'Parley probe', password)).catch((error: unknown) => {
      if (error instanceof ProbeFailure) throw error;
      throw new ProbeFailure('joinMs', `could not join the echo peer's room: ${describe(error)}`);
    });
    const joinMs = since();

    const pc = await step('iceConnectedMs', connectedPeer(peer, cleanups));
    const iceConnectedMs = since();

    await step('dataChannelMs', echoOf(peer, `probe ${Math.random().toString(36).slice(2)}`));
    const dataChannelMs = since();

    await step('firstFrameMs', media.firstFrameBack());
    const firstFrameMs = since();

    stage = 'media';
    const rtts: number[] = [];
    for (let i = 0; i < PINGS; i++) {
      const sent = performance.now();
      await step('media', echoOf(peer, `ping ${i} ${Math.random().toString(36).slice(2)}`));
      rtts.push(performance.now() - sent);
    }
    if (media.counts.audioBack === 0) throw new ProbeFailure('media', 'video came back but no audio did');
    const { link } = readLinkStats(await pc.getStats());
    const path = describePath(link.path);
    return {
      ok: true,
      url: options.url,
      setupMs: firstFrameMs,
      stages: { signalingMs, echoPeerMs, joinMs, iceConnectedMs, dataChannelMs, firstFrameMs },
      ...path,
      rttMs: Math.round(median(rtts)),
      ...media.counts,
    };
  } catch (error) {
    if (error instanceof ProbeFailure) throw error;
    throw new ProbeFailure(stage, describe(error));
  } finally {
    for (const cleanup of cleanups) cleanup();
    await peer.close().catch(() => {});
  }
}

function waitingFor(stage: ProbeStage): string {
  switch (stage) {
    case 'signalingMs':
      return 'connecting to the signaling server';
    case 'echoPeerMs':
      return 'for the server to start an echo peer';
    case 'joinMs':
      return "joining the echo peer's room";
    case 'iceConnectedMs':
      return 'for ICE to connect to the echo peer (is UDP or the TURN relay blocked?)';
    case 'dataChannelMs':
      return 'for a data-channel message to come back';
    case 'firstFrameMs':
      return 'for video to come back';
    case 'media':
      return 'for media to keep coming back';
    default:
      return stage satisfies never;
  }
}

/**
 * Resolves with the connection to the echo peer once ICE and DTLS have connected. Polled: the connection
 * may be replaced by a repair, and its state is the one to read. The poll ends with the probe (`cleanups`).
 */
function connectedPeer(peer: NodePeer, cleanups: (() => void)[]) {
  return new Promise<NonNullable<ReturnType<NodePeer['peerConnection']>>>((resolve) => {
    const timer = setInterval(() => {
      const state = peer.state;
      if (state.kind !== 'in-call') return;
      for (const view of state.peers) {
        const pc = peer.peerConnection(view.id);
        if (pc?.connectionState !== 'connected') continue;
        clearInterval(timer);
        resolve(pc);
        return;
      }
    }, 20);
    cleanups.push(() => clearInterval(timer));
  });
}

/** Sends `text` as a chat line and resolves when the echo peer has sent it back. */
function echoOf(peer: NodePeer, text: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = peer.onChat((line) => {
      if (line.text !== text) return;
      stop();
      resolve();
    });
    peer.sendChat(text);
  });
}

function describePath(path: LinkPath | undefined): Pick<ProbeSuccess, 'path' | 'protocol'> {
  if (!path) return { path: 'direct', protocol: 'udp' };
  return {
    path: path.relayed ? 'relay' : 'direct',
    protocol: path.relayed
      ? path.relayProtocol === 'udp' || path.relayProtocol === undefined
        ? 'udp'
        : 'tcp'
      : path.protocol,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Why socket.io could not connect, in words: its `connect_error` says only "websocket error"; the cause
 * (refused, a certificate that does not verify, a name that does not resolve) is in `description`.
 */
function connectProblem(error: Error): string {
  const description: unknown = 'description' in error ? error.description : undefined;
  const cause =
    description instanceof Error
      ? description
      : typeof description === 'object' && description !== null && 'error' in description
        ? description.error
        : undefined;
  return cause instanceof Error ? describe(cause) : describe(error);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${code}${error.message}${cause}`;
  }
  return String(error);
}
