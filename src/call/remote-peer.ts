import { MediaStateMessage, type PeerInfo } from '../protocol/index.js';
import type { PeerChannel } from './peer-channel.js';
import { LinkMonitor } from './link-monitor.js';
import type { LinkStats } from './link-stats.js';
import type { MediaSample, readMediaStats } from './media-stats.js';
import type { PeerSession } from './peer-session.js';
import type { PeerPhase } from './phase.js';
import type { PeerProblem } from './problem.js';

/**
 * How long a peer the server no longer lists (after a server restart, or its `peer-left` with reason
 * `disconnected`) is kept while our connection to it is not up. A peer still connected to us peer to peer is
 * kept for as long as that lasts: the call goes on without the server.
 */
export const ABSENT_GRACE_MS = 15_000;

/** How many stats readings are kept for the Call details' graphs: a minute's worth, one every 2 s. */
export const STATS_HISTORY = 30;

/** What the UI needs to draw one remote participant. */
export interface RemotePeerView {
  id: PeerInfo['id'];
  name: string;
  phase: PeerPhase;
  /** Why the connection is not coming up, when known (a refused relay, a timeout). */
  problem: PeerProblem | undefined;
  stream: MediaStream;
  /** The peer's shared screen, while they share one. */
  screen: MediaStream | undefined;
  /** What the peer says about its own microphone and camera; both assumed on until told otherwise. */
  media: { audio: boolean; video: boolean };
  /** The person has raised their hand (and not lowered it since). */
  hand: boolean;
  /** The path media takes and how well it carries, read every couple of seconds while connected. */
  link: LinkStats | undefined;
  /**
   * The pair's verification code ("482 913 077 245 316"), once connected: the same on the other person's
   * screen unless someone is in the middle. Undefined until then.
   */
  verificationCode: string | undefined;
  /**
   * The code is not the one first shown in this call. Our certificate and theirs are kept for the whole call,
   * rebuilt connections included, so a change means a new certificate on the way: compare again.
   */
  verificationChanged: boolean;
}

export interface RemotePeerOptions {
  info: PeerInfo;
  session: PeerSession;
  /** Default {@link ABSENT_GRACE_MS}. */
  absentGraceMs?: number | undefined;
  /** Something shown about this peer changed. */
  onChange: () => void;
  /** The peer was absent for too long: the owner removes it. */
  onGone: () => void;
  /** Called on each arrival in `connected`, before the view is emitted. */
  onConnected: () => void;
  /** The media stats reader, once loaded (see `QualityController.readMediaStats`). */
  readMedia?: () => typeof readMediaStats | undefined;
  onError: (error: unknown) => void;
}

/**
 * Whether this phase means the connection is being built from nothing: the first time, or a rebuild by
 * either side (a new RTCPeerConnection, so new certificates). An ICE restart keeps the connection.
 */
function startsAfresh(phase: PeerPhase): boolean {
  if (phase.kind === 'new' || phase.kind === 'connecting') return true;
  return phase.kind === 'recovering' && (phase.reason === 'rebuilt' || phase.reason === 'remote');
}

/**
 * One remote person in the room: the connection to them and what we know about them (name, media state,
 * link stats, verification code, whether the server still lists them).
 */
export class RemotePeer {
  readonly info: PeerInfo;
  readonly session: PeerSession;
  media = { audio: true, video: true };
  hand = false;
  #link: LinkStats | undefined;
  readonly #linkMonitor: LinkMonitor;
  /** The last minute of stats readings, oldest first, across repairs and rebuilds. */
  readonly #history: MediaSample[] = [];
  /** Bytes this person's connections carried each way in this call, every connection of it together. */
  readonly carried = { sent: 0, received: 0 };
  /** The server no longer lists this peer; set while we wait to see whether it comes back. */
  #absent = false;
  /** Runs out the absence grace after an absent peer's connection stopped being up. */
  #absentTimer: ReturnType<typeof setTimeout> | undefined;
  #verificationCode: string | undefined;
  /** The first code computed for this peer in this call. */
  #firstVerificationCode: string | undefined;
  #closed = false;
  readonly #options: RemotePeerOptions;

  constructor(options: RemotePeerOptions) {
    this.#options = options;
    this.info = options.info;
    this.session = options.session;
    const { session } = options;
    this.#linkMonitor = new LinkMonitor({
      getStats: () => session.pc.getStats(),
      ...(options.readMedia && { readMedia: options.readMedia }),
      onReading: (link, sample) => {
        this.#link = link;
        if (sample) {
          this.carried.sent += sample.bytesSent;
          this.carried.received += sample.bytesReceived;
          this.#history.push(sample);
          if (this.#history.length > STATS_HISTORY) this.#history.shift();
        }
        options.onChange();
      },
    });
    // One listener does everything a phase change means, in this order, so the view emitted at the end
    // already has the link cleared or coming and the code reset.
    session.on('phase', (phase) => {
      if (phase.kind === 'connected') {
        this.#linkMonitor.start();
        options.onConnected();
        this.#verify();
      } else {
        this.#linkMonitor.stop();
        this.#link = undefined;
        // A new connection brings new certificates: the old code no longer holds.
        if (startsAfresh(phase)) this.#verificationCode = undefined;
      }
      this.#checkAbsent();
      options.onChange();
    });
    session.on('problem', () => options.onChange());
    session.on('track', () => options.onChange());
    session.on('screen', () => options.onChange());
  }

  view(): RemotePeerView {
    const code = this.#verificationCode;
    return {
      id: this.info.id,
      name: this.info.name,
      phase: this.session.phase,
      problem: this.session.problem,
      stream: this.session.remoteStream,
      screen: this.session.remoteScreen,
      media: this.media,
      hand: this.hand,
      link: this.#link,
      verificationCode: code,
      verificationChanged: code !== undefined && code !== this.#firstVerificationCode,
    };
  }

  /** The last minute of stats readings, oldest first (see {@link STATS_HISTORY}). */
  history(): readonly MediaSample[] {
    return this.#history;
  }

  markAbsent(): void {
    this.#absent = true;
    this.#checkAbsent();
  }

  markPresent(): void {
    this.#absent = false;
    this.#checkAbsent();
  }

  /** Stops everything this peer runs and closes its connection. */
  close(reason: 'left' | 'local'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#linkMonitor.stop();
    clearTimeout(this.#absentTimer);
    this.#absentTimer = undefined;
    this.session.close(reason);
  }

  /**
   * Computes the pair's code from the descriptions the connection applied, on every arrival in
   * `connected`, so a connection rebuilt with other certificates shows its own code.
   */
  #verify(): void {
    const { session } = this;
    const { pc } = session;
    // Loaded when first needed (a connection is up), not with the page: nothing on the first screen uses it.
    import('./verification.js')
      .then(({ verificationCode }) => verificationCode(pc))
      .then(
        (code) => {
          const current = !this.#closed && session.pc === pc && session.phase.kind === 'connected';
          if (!current || code === this.#verificationCode) return;
          this.#verificationCode = code;
          this.#firstVerificationCode ??= code;
          this.#options.onChange();
        },
        (error: unknown) => this.#options.onError(error),
      );
  }

  /** An absent peer is given the grace from the moment its connection is not up; connected, it stays. */
  #checkAbsent(): void {
    if (this.#closed) return;
    const waiting = this.#absent && this.session.phase.kind !== 'connected';
    if (!waiting) {
      clearTimeout(this.#absentTimer);
      this.#absentTimer = undefined;
    } else if (this.#absentTimer === undefined) {
      this.#absentTimer = setTimeout(() => {
        this.#absentTimer = undefined;
        if (!this.#closed) this.#options.onGone();
      }, this.#options.absentGraceMs ?? ABSENT_GRACE_MS);
    }
  }
}

/** Keeps each peer's media state as it tells it (its microphone and camera on or off). */
export function handleMediaState(channel: PeerChannel, onChange: () => void): () => void {
  return channel.handle('media-state', MediaStateMessage, (peer, message) => {
    peer.media = { audio: message.audio, video: message.video };
    onChange();
  });
}
