import {
  parsePeerMessage,
  type IceServer,
  type PeerInfo,
  type PeerMessage,
  type Signal,
} from '../protocol/index.js';
import { Emitter } from './emitter.js';
import { Negotiator } from './negotiator.js';
import type { PeerPhase } from './phase.js';
import { type PeerProblem, problemOfCandidateError } from './problem.js';

/** Messages waiting for the data channel to open; beyond this, the oldest are dropped. */
const OUTBOX_LIMIT = 200;
/** The chat channel is pre-negotiated on both sides with this id, so neither side has to create it first. */
const CHAT_CHANNEL_ID = 0;
/**
 * How long a connection may take before the person is told it is not coming. A refused relay leaves the
 * connection in `new` for ever without an error of its own; healthy calls connect in well under a second.
 */
export const CONNECT_TIMEOUT_MS = 15_000;

export interface PeerSessionEvents {
  phase: PeerPhase;
  /** Why the connection is not coming up, or undefined once that no longer holds. */
  problem: PeerProblem | undefined;
  /** The remote stream gained a track. */
  track: MediaStreamTrack;
  message: PeerMessage;
  error: unknown;
  [key: string]: unknown;
}

export interface PeerSessionOptions {
  remote: PeerInfo;
  polite: boolean;
  /**
   * `offerer`: attach local media now, so the first offer goes out at once (the newcomer does this).
   * `answerer`: wait for the remote offer and attach media to its transceivers, so that no second offer
   * (and no glare) is needed (existing members do this).
   */
  role: 'offerer' | 'answerer';
  localStream: MediaStream | null;
  iceServers: IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  RTCPeerConnection: typeof RTCPeerConnection;
  sendSignal: (signal: Signal) => void;
  /** Default {@link CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
}

/** One RTCPeerConnection to one remote peer, with its chat channel and its phase. */
export class PeerSession extends Emitter<PeerSessionEvents> {
  readonly remote: PeerInfo;
  readonly pc: RTCPeerConnection;
  /** Tracks from the remote peer, gathered into one stream we own (remote stream ids are not trusted). */
  readonly remoteStream: MediaStream;
  #phase: PeerPhase = { kind: 'new' };
  #problem: PeerProblem | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #connectTimeoutMs: number;
  readonly #negotiator: Negotiator;
  #channel: RTCDataChannel | undefined;
  readonly #outbox: string[] = [];
  #localSideReady = false;
  readonly #localStream: MediaStream | null;
  /** Settles when our first offer or answer has gone out, or when that can no longer happen. */
  readonly firstDescriptionSent: Promise<void>;
  #settleFirstDescription: () => void = () => {};

  constructor(options: PeerSessionOptions) {
    super();
    this.remote = options.remote;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.#localStream = options.localStream;
    this.pc = new options.RTCPeerConnection({
      iceServers: options.iceServers,
      iceTransportPolicy: options.iceTransportPolicy,
    });
    this.remoteStream = new MediaStream();
    this.firstDescriptionSent = new Promise((resolve) => (this.#settleFirstDescription = resolve));
    this.#negotiator = new Negotiator({
      pc: this.pc,
      polite: options.polite,
      send: options.sendSignal,
      onRemoteOffer: () => this.#prepareLocalSide(),
      onDescriptionSent: () => this.#settleFirstDescription(),
      onError: (error) => {
        this.#settleFirstDescription();
        this.emit('error', error);
      },
    });

    this.pc.addEventListener('track', ({ track }) => {
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      this.emit('track', track);
    });
    this.pc.addEventListener('connectionstatechange', () => this.#onConnectionState());
    this.pc.addEventListener('icecandidateerror', (event) => {
      const problem = problemOfCandidateError(event);
      if (problem && this.#phase.kind !== 'connected') this.#setProblem(problem);
    });
    this.#startConnectTimer();

    // The answering side waits for the remote offer: attaching media or creating the first data channel
    // now would mark negotiation as needed and send a second, colliding offer.
    if (options.role === 'offerer') this.#prepareLocalSide();
  }

  get phase(): PeerPhase {
    return this.#phase;
  }

  /** Why the connection is not coming up, if we know; undefined while all is well. */
  get problem(): PeerProblem | undefined {
    return this.#problem;
  }

  /** Applies a signal from this peer. */
  handleSignal(signal: Signal): Promise<void> {
    return this.#negotiator.handle(signal);
  }

  /** Sends a message over the data channel, or keeps it until the channel opens. */
  send(message: PeerMessage): void {
    if (this.#phase.kind === 'closed') return;
    const frame = JSON.stringify(message);
    if (this.#channel?.readyState === 'open') {
      this.#channel.send(frame);
      return;
    }
    this.#outbox.push(frame);
    if (this.#outbox.length > OUTBOX_LIMIT) this.#outbox.shift();
  }

  /** Closes the connection. Safe to call more than once. */
  close(reason: 'left' | 'local' | 'failed' = 'local'): void {
    if (this.#phase.kind === 'closed') return;
    this.#negotiator.close();
    this.pc.close();
    this.#settleFirstDescription();
    clearTimeout(this.#connectTimer);
    this.#setPhase({ kind: 'closed', reason });
    this.removeAllListeners();
  }

  /** Attaches local media and opens the chat channel; runs once, before our first offer or answer. */
  #prepareLocalSide(): void {
    if (this.#localSideReady) return;
    this.#localSideReady = true;
    const stream = this.#localStream;
    for (const kind of ['audio', 'video'] as const) {
      const track = stream?.getTracks().find((t) => t.kind === kind);
      if (track && stream) {
        // addTrack reuses a transceiver that a remote offer created for this kind, so the answer carries our
        // media without another round of negotiation.
        this.pc.addTrack(track, stream);
      } else if (this.pc.getTransceivers().every((t) => t.receiver.track.kind !== kind)) {
        // Without a camera or microphone we still want to receive the other side's.
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
    }
    this.#channel = this.#createChannel();
  }

  #createChannel(): RTCDataChannel {
    const channel = this.pc.createDataChannel('chat', {
      negotiated: true,
      id: CHAT_CHANNEL_ID,
      ordered: true,
    });
    channel.addEventListener('open', () => {
      for (const frame of this.#outbox.splice(0)) channel.send(frame);
    });
    channel.addEventListener('message', ({ data }) => {
      const message = parsePeerMessage(data);
      if (message) this.emit('message', message);
    });
    return channel;
  }

  #onConnectionState(): void {
    switch (this.pc.connectionState) {
      case 'new':
        return;
      case 'connecting':
        if (this.#phase.kind === 'new') this.#setPhase({ kind: 'connecting' });
        return;
      case 'connected':
        this.#setPhase({ kind: 'connected' });
        return;
      case 'disconnected':
        // Often a blip that ICE heals by itself within seconds.
        this.#setPhase({ kind: 'recovering', reason: 'disconnected' });
        return;
      case 'failed':
        // ICE gave up on every pair: gather afresh and renegotiate through the usual path.
        this.#setPhase({ kind: 'recovering', reason: 'failed' });
        this.pc.restartIce();
        return;
      case 'closed':
        return;
      default:
        this.pc.connectionState satisfies never;
    }
  }

  #setPhase(phase: PeerPhase): void {
    if (this.#phase.kind === phase.kind && phase.kind !== 'recovering') return;
    this.#phase = phase;
    if (phase.kind === 'connected') {
      clearTimeout(this.#connectTimer);
      this.#connectTimer = undefined;
      this.#setProblem(undefined);
    } else if (phase.kind === 'recovering') {
      this.#startConnectTimer();
    }
    this.emit('phase', phase);
  }

  /** Until the connection is up (again), and then not at all: the timer only ever reports a wait. */
  #startConnectTimer(): void {
    if (this.#connectTimer !== undefined) return;
    this.#connectTimer = setTimeout(() => {
      this.#connectTimer = undefined;
      const { kind } = this.#phase;
      // A refused relay is the more useful thing to say, so it is not overwritten.
      if (kind !== 'connected' && kind !== 'closed' && this.#problem === undefined)
        this.#setProblem('unreachable');
    }, this.#connectTimeoutMs);
  }

  /** The one place the problem changes. */
  #setProblem(problem: PeerProblem | undefined): void {
    if (this.#problem === problem) return;
    this.#problem = problem;
    this.emit('problem', problem);
  }
}
