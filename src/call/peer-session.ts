import type { PeerInfo, Signal } from '../protocol/index.js';
import { Emitter } from './emitter.js';
import { attachLocalMedia, openDataChannel } from './local-side.js';
import type { IceConfiguration, PeerSessionOptions } from './peer-session-options.js';
import { Negotiator } from './negotiator.js';
import type { PeerPhase, RecoveryReason } from './phase.js';
import { type PeerProblem, problemOfCandidateError } from './problem.js';
import { RepairScheduler } from './repair-scheduler.js';
import { ScreenReceiver, ScreenSender } from './screen-share.js';
import { bytesReceived } from './stats.js';

/** Messages waiting for the data channel to open; beyond this, the oldest are dropped. */
const OUTBOX_LIMIT = 200;
/**
 * How long a connection may take before the person is told it is not coming. A refused relay leaves the
 * connection in `new` for ever without an error of its own; healthy calls connect in well under a second.
 */
export const CONNECT_TIMEOUT_MS = 15_000;

export type { IceConfiguration, PeerSessionOptions };

export type PeerSessionEvents = {
  phase: PeerPhase;
  /** Why the connection is not coming up, or undefined once that no longer holds. */
  problem: PeerProblem | undefined;
  /** The remote stream gained a track. */
  track: MediaStreamTrack;
  /** The other side started or stopped sharing its screen, or its screen gained a track. */
  screen: void;
  /** A data-channel frame from the peer, unread: the room's router parses it (see `PeerChannel`). */
  frame: unknown;
  /** The peer opened a data channel of its own on the connection in use (a file's, say). */
  datachannel: RTCDataChannel;
  error: unknown;
};

/**
 * One generation of the connection to the peer: an RTCPeerConnection with its negotiation, chat channel and
 * remote stream. A rebuild replaces all of it at once.
 */
interface Connection {
  readonly generation: number;
  readonly pc: RTCPeerConnection;
  readonly negotiator: Negotiator;
  /** Tracks from the remote peer, gathered into one stream we own (remote stream ids are not trusted). */
  readonly stream: MediaStream;
  channel: RTCDataChannel | undefined;
  localSideReady: boolean;
  /** Our last offer did not reach the other side (it was away from the server): it is made again. */
  offerUndelivered: boolean;
  /** Our screen on this connection, and the other side's. */
  readonly screenSender: ScreenSender;
  readonly screenReceiver: ScreenReceiver;
}

/**
 * The call with one remote peer: its phase, its chat, and the connection that carries them, which is
 * repaired (ICE restart) or rebuilt (a new RTCPeerConnection) when it breaks. See {@link RepairScheduler}
 * for when each happens.
 *
 * Rebuilding needs both sides to agree which RTCPeerConnection a signal belongs to: every signal carries its
 * connection generation. A signal of a higher generation means the other side has started over, so this side
 * replaces its connection too and answers; one of a lower generation belongs to a connection both sides have
 * left (late candidates, an offer lost and delivered after an outage) and is dropped unread.
 */
export class PeerSession extends Emitter<PeerSessionEvents> {
  #remote: PeerInfo;
  #polite: boolean;
  readonly #options: PeerSessionOptions;
  #ice: IceConfiguration;
  #conn: Connection;
  readonly #repair: RepairScheduler;
  #phase: PeerPhase = { kind: 'new' };
  #problem: PeerProblem | undefined;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #connectTimeoutMs: number;
  readonly #outbox: string[] = [];
  /** Our shared screen, sent on every connection to this peer, rebuilt ones included. */
  #screen: MediaStream | null = null;
  /** Our camera and microphone; a device switch replaces it (see {@link setLocalStream}). */
  #localStream: MediaStream | null;
  /** Settles when our first offer or answer has gone out, or when that can no longer happen. */
  readonly firstDescriptionSent: Promise<void>;
  #settleFirstDescription: () => void = () => {};

  constructor(options: PeerSessionOptions) {
    super();
    this.#remote = options.remote;
    this.#polite = options.polite;
    this.#options = options;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.#localStream = options.localStream;
    this.#ice = { iceServers: options.iceServers, iceTransportPolicy: options.iceTransportPolicy };
    this.firstDescriptionSent = new Promise((resolve) => (this.#settleFirstDescription = resolve));
    this.#repair = new RepairScheduler(
      {
        isConnected: () => this.#conn.pc.connectionState === 'connected',
        canRestartIce: () => this.#conn.pc.remoteDescription !== null,
        restartIce: () => void this.#restartIce(),
        rebuild: () => this.#rebuild(),
        bytesReceived: () => bytesReceived(this.#conn.pc),
      },
      options.polite,
      options.repairTimings,
    );
    this.#conn = this.#connect(0, options.role);
    this.#startConnectTimer();
  }

  get remote(): PeerInfo {
    return this.#remote;
  }

  /**
   * Names the peer of a session made before it was known: the newcomer's first connection, whose offer
   * travels with the join. Called once the join is acknowledged, before any signal from that peer can
   * arrive, so perfect negotiation sees the same polite side as the other peer from its first step.
   */
  bind(remote: PeerInfo, polite: boolean): void {
    this.#remote = remote;
    this.#polite = polite;
    this.#conn.negotiator.polite = polite;
    this.#repair.polite = polite;
    // The wait for the connection starts now: time spent on the pre-join screen was not a wait for anyone.
    clearTimeout(this.#connectTimer);
    this.#connectTimer = undefined;
    if (this.#problem === 'unreachable') this.#setProblem(undefined);
    if (this.#phase.kind !== 'connected') this.#startConnectTimer();
  }

  /**
   * ICE servers for what comes next (ICE restarts, rebuilt connections), without touching the gathering under
   * way: the join's credential replacing the one the first offer was made with.
   */
  useIce(ice: IceConfiguration): void {
    this.#ice = ice;
    try {
      this.#conn.pc.setConfiguration({ ...this.#conn.pc.getConfiguration(), ...ice });
    } catch (error) {
      this.emit('error', error);
    }
  }

  /** The RTCPeerConnection in use now; a rebuild replaces it. */
  get pc(): RTCPeerConnection {
    return this.#conn.pc;
  }

  /** The remote media of the connection in use now; a rebuild brings a new stream. */
  get remoteStream(): MediaStream {
    return this.#conn.stream;
  }

  /** The other side's shared screen while it shares one, as a stream of its own. */
  get remoteScreen(): MediaStream | undefined {
    const { screenReceiver } = this.#conn;
    return screenReceiver.sharing ? screenReceiver.stream : undefined;
  }

  /**
   * Sends our screen to this peer (or stops, with `null`), on this connection and any rebuilt one. The
   * camera's transceivers are untouched: the screen is a negotiation of its own.
   */
  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    if (this.#phase.kind === 'closed' || !this.#conn.localSideReady) return;
    const { screenSender } = this.#conn;
    screenSender.apply(stream);
    // Said at once over the data channel when it can be (a stop, or mids already negotiated), so the other
    // side's tile follows even while the server is away; otherwise once the negotiation is done.
    const announcement = screenSender.announcement();
    if (announcement) this.send(announcement);
  }

  /**
   * Another camera or microphone: each track that changed is swapped on the sender that carried the old one
   * (`RTCRtpSender.replaceTrack`), with no renegotiation; a rebuilt connection starts with the new ones.
   * A kind we had no track of before needs a negotiation and is not added here.
   */
  setLocalStream(stream: MediaStream | null): void {
    const old = this.#localStream;
    this.#localStream = stream;
    if (this.#phase.kind === 'closed' || !this.#conn.localSideReady) return;
    for (const kind of ['audio', 'video'] as const) {
      const before = old?.getTracks().find((track) => track.kind === kind);
      const after = stream?.getTracks().find((track) => track.kind === kind) ?? null;
      if (!before || before === after) continue;
      const sender = this.#conn.pc.getSenders().find((each) => each.track === before);
      sender?.replaceTrack(after).catch((error: unknown) => this.emit('error', error));
    }
  }

  /**
   * The sender of our camera's or our screen's picture on the connection in use, once there is one: the
   * quality adaptation sets its encoding (`call/quality/`).
   */
  videoSender(kind: 'camera' | 'screen'): RTCRtpSender | undefined {
    if (this.#phase.kind === 'closed' || !this.#conn.localSideReady) return undefined;
    if (kind === 'screen') return this.#conn.screenSender.videoSender;
    const camera = this.#localStream?.getVideoTracks()[0];
    return camera && this.#conn.pc.getSenders().find((sender) => sender.track === camera);
  }

  /** The other side says which of its transceivers carry its screen (`screen-share`; empty: none). */
  screenAnnounced(mids: readonly string[]): void {
    const conn = this.#conn;
    conn.screenReceiver.announced(mids, conn.pc, conn.stream);
    this.emit('screen', undefined);
  }

  /**
   * Opens a data channel of its own on the connection in use (in-band, so no renegotiation: the call's
   * channel already made the SCTP association); undefined when the connection is not up or not ours yet.
   * A rebuilt connection does not carry it over: its owner opens another.
   */
  openChannel(label: string): RTCDataChannel | undefined {
    if (this.#phase.kind === 'closed' || !this.#conn.localSideReady) return undefined;
    try {
      return this.#conn.pc.createDataChannel(label, { ordered: true });
    } catch (error) {
      this.emit('error', error);
      return undefined;
    }
  }

  /** Which connection to this peer is in use: 0 for the first, one more for each rebuild. */
  get generation(): number {
    return this.#conn.generation;
  }

  get phase(): PeerPhase {
    return this.#phase;
  }

  /** Why the connection is not coming up, if we know; undefined while all is well. */
  get problem(): PeerProblem | undefined {
    return this.#problem;
  }

  /** Applies a signal from this peer, unless it belongs to a connection both sides have left. */
  handleSignal(signal: Signal): Promise<void> {
    if (this.#phase.kind === 'closed') return Promise.resolve();
    const generation = signal.generation ?? 0;
    if (generation < this.#conn.generation) return Promise.resolve();
    if (generation > this.#conn.generation) {
      // The other side gave up on the connection and started a new one: follow it, as the answerer.
      this.#replaceConnection(generation, 'answerer', 'remote');
      this.#repair.followedRebuild();
    }
    return this.#conn.negotiator.handle(signal);
  }

  /** Sends a message over the data channel, or keeps it until the channel opens. */
  send<M extends { kind: string }>(message: M): void {
    if (this.#phase.kind === 'closed') return;
    const frame = JSON.stringify(message);
    const channel = this.#conn.channel;
    if (channel?.readyState === 'open') {
      channel.send(frame);
      return;
    }
    this.#outbox.push(frame);
    if (this.#outbox.length > OUTBOX_LIMIT) this.#outbox.shift();
  }

  /** The device's network changed: restart ICE now rather than wait for ICE to notice the old path is gone. */
  networkChanged(): void {
    // The phase follows what ICE reports: a restart that keeps the connection up shows nothing.
    if (this.#phase.kind !== 'closed') this.#repair.networkChanged();
  }

  /**
   * Signaling is back after an outage. A connection that is up is left alone (media never went through the
   * server); one that is not may have lost its negotiation with the server, so it is repaired now.
   */
  signalingResumed(): void {
    if (this.#phase.kind === 'closed') return;
    if (this.#phase.kind === 'connected') {
      // An offer sent into the outage, or whose answer was lost with it, leaves us waiting for an answer
      // that will not come (the server does not deliver what was meant for us while we were away).
      if (this.#conn.pc.signalingState === 'have-local-offer') this.#reoffer();
      return;
    }
    this.#repair.repairNow();
  }

  /**
   * The other side is back on the server (after its own outage, perhaps after ours). An offer we sent while
   * it was away (a screen shared during the outage, say) never reached it and leaves us waiting for an
   * answer that will not come: offer again. A connection with nothing pending is left alone.
   */
  peerReturned(): void {
    if (this.#phase.kind !== 'connected') return;
    const conn = this.#conn;
    // Only an offer known lost: one in flight would cross its own answer.
    if (conn.pc.signalingState === 'have-local-offer' && conn.offerUndelivered) this.#reoffer();
  }

  #reoffer(): void {
    this.#conn.offerUndelivered = false;
    this.#conn.negotiator.restartIce();
  }

  /** Closes the connection. Safe to call more than once. */
  close(reason: 'left' | 'local' | 'failed' = 'local'): void {
    if (this.#phase.kind === 'closed') return;
    this.#repair.close();
    this.#closeConnection(this.#conn);
    this.#settleFirstDescription();
    clearTimeout(this.#connectTimer);
    this.#setPhase({ kind: 'closed', reason });
    this.removeAllListeners();
  }

  /** Builds one generation of the connection. Its events count only while it is the one in use. */
  #connect(generation: number, role: 'offerer' | 'answerer'): Connection {
    const options = this.#options;
    const pc = new options.RTCPeerConnection({
      ...this.#ice,
      ...(options.certificates && { certificates: options.certificates }),
    });
    const negotiator = new Negotiator({
      pc,
      polite: this.#polite,
      send: (signal) => {
        const sent = options.sendSignal({ ...signal, generation });
        if (signal.kind !== 'description' || signal.description.type !== 'offer') return;
        conn.offerUndelivered = false;
        void sent?.then((delivered) => {
          if (!delivered && conn.pc.localDescription?.sdp === signal.description.sdp)
            conn.offerUndelivered = true;
        });
      },
      onRemoteOffer: () => this.#prepareLocalSide(conn),
      onDescriptionSent: () => this.#settleFirstDescription(),
      onError: (error) => {
        if (conn !== this.#conn) return;
        this.#settleFirstDescription();
        this.emit('error', error);
      },
    });
    const conn: Connection = {
      generation,
      pc,
      negotiator,
      stream: new MediaStream(),
      channel: undefined,
      localSideReady: false,
      offerUndelivered: false,
      screenSender: new ScreenSender(pc),
      screenReceiver: new ScreenReceiver(),
    };
    pc.addEventListener('track', ({ track, transceiver }) => {
      if (conn !== this.#conn) return;
      if (conn.screenReceiver.isScreen(transceiver.mid)) {
        conn.screenReceiver.addTrack(transceiver);
        this.emit('screen', undefined);
      } else if (!conn.stream.getTracks().includes(track)) conn.stream.addTrack(track);
      this.emit('track', track);
    });
    pc.addEventListener('datachannel', ({ channel }) => {
      if (conn === this.#conn) this.emit('datachannel', channel);
      else channel.close();
    });
    pc.addEventListener('signalingstatechange', () => {
      // Negotiated: the screen's mids are known now, and the other side can be told which they are.
      if (conn !== this.#conn || pc.signalingState !== 'stable') return;
      const announcement = conn.screenSender.announcement();
      if (announcement) this.send(announcement);
    });
    pc.addEventListener('connectionstatechange', () => {
      if (conn === this.#conn) this.#onConnectionState(pc.connectionState);
    });
    pc.addEventListener('icecandidateerror', (event) => {
      const problem = problemOfCandidateError(event);
      if (conn === this.#conn && problem && this.#phase.kind !== 'connected') this.#setProblem(problem);
    });
    // The answering side waits for the remote offer: attaching media or creating the first data channel
    // now would mark negotiation as needed and send a second, colliding offer.
    if (role === 'offerer') this.#prepareLocalSide(conn);
    return conn;
  }

  /** Replaces the connection in use with a new one of `generation`; the old one is closed. */
  #replaceConnection(generation: number, role: 'offerer' | 'answerer', reason: RecoveryReason): void {
    this.#closeConnection(this.#conn);
    this.#conn = this.#connect(generation, role);
    // Still coming up for the first time: that is what the person should keep seeing.
    if (this.#phase.kind === 'new' || this.#phase.kind === 'connecting')
      this.#setPhase({ kind: 'connecting' });
    else this.#setPhase({ kind: 'recovering', reason });
  }

  #closeConnection(conn: Connection): void {
    conn.negotiator.close();
    conn.pc.close();
  }

  /** Our side gives up on the connection: a new one, one generation up, which offers at once. */
  #rebuild(): void {
    if (this.#phase.kind === 'closed' || !this.#canSignal()) return;
    this.#replaceConnection(this.#conn.generation + 1, 'offerer', 'rebuilt');
  }

  /** An ICE restart on the connection in use, with fresh ICE servers when the server gives them. */
  async #restartIce(): Promise<void> {
    if (!this.#canSignal()) return;
    const conn = this.#conn;
    const ice = await this.#options.fetchIce?.();
    if (conn !== this.#conn || this.#phase.kind === 'closed') return;
    if (ice) {
      this.#ice = ice;
      try {
        // New TURN credentials and policy; everything else as it was (changing it would throw).
        conn.pc.setConfiguration({ ...conn.pc.getConfiguration(), ...ice });
      } catch (error) {
        this.emit('error', error);
      }
    }
    conn.negotiator.restartIce();
  }

  #canSignal(): boolean {
    return this.#options.canSignal?.() ?? true;
  }

  /** Attaches local media and opens the chat channel; runs once per connection, before its first offer or answer. */
  #prepareLocalSide(conn: Connection): void {
    if (conn.localSideReady) return;
    conn.localSideReady = true;
    attachLocalMedia(conn.pc, this.#localStream);
    if (this.#screen) conn.screenSender.apply(this.#screen);
    conn.channel = openDataChannel(conn.pc, {
      onOpen: (channel) => {
        if (conn === this.#conn) for (const frame of this.#outbox.splice(0)) channel.send(frame);
      },
      onFrame: (frame) => {
        if (conn === this.#conn) this.emit('frame', frame);
      },
    });
  }

  #onConnectionState(state: RTCPeerConnectionState): void {
    switch (state) {
      case 'new':
        return;
      case 'connecting':
        if (this.#phase.kind === 'new') this.#setPhase({ kind: 'connecting' });
        return;
      case 'connected':
        this.#repair.connected();
        this.#setPhase({ kind: 'connected' });
        return;
      case 'disconnected':
        // Often a blip that ICE heals by itself within seconds; the scheduler watches for a stall.
        if (this.#phase.kind === 'connected') this.#setPhase({ kind: 'recovering', reason: 'disconnected' });
        this.#repair.disconnected();
        return;
      case 'failed':
        if (this.#phase.kind !== 'new' && this.#phase.kind !== 'connecting')
          this.#setPhase({ kind: 'recovering', reason: 'failed' });
        this.#repair.failed();
        return;
      case 'closed':
        return;
      default:
        state satisfies never;
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
