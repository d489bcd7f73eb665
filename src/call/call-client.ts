import { receivedAudioLevel } from './audio-level.js';
import type { ChatLine } from './chat.js';
import type { Reaction } from './reactions.js';
import type { FileSink, TransferView } from './files/file-transfers.js';
import { Emitter } from './emitter.js';
import { CallError } from './errors.js';
import { LobbyIce } from './lobby-ice.js';
import { ALWAYS_ONLINE, type NetworkEnvironment, watchNetworkChanges } from './network-watch.js';
import { followSignaling } from './reconnect-policy.js';
import type { RepairTimings } from './repair-scheduler.js';
import { RoomSession, makeCallCertificates, type RemotePeerView } from './room-session.js';
import type { SignalingConnection } from './transport.js';

/** Where a client's call stands. */
export type CallClientState =
  | { kind: 'idle'; error: CallError | undefined }
  | { kind: 'joining'; room: string }
  | {
      kind: 'in-call';
      room: string;
      maxPeers: number;
      /** The room is locked with a password. */
      locked: boolean;
      peers: RemotePeerView[];
      chat: readonly ChatLine[];
      /** Files sent and received in this call (the chat's file lines name their groups). */
      transfers: readonly TransferView[];
    };

export type CallClientEvents = {
  state: CallClientState;
  /** Whether the signaling server can be reached, each time that changes. */
  reachable: boolean;
  /** Someone in the call reacted (an emoji for a moment on their tile). */
  reaction: { peerId: string; emoji: Reaction };
  /** Something went wrong in the call that does not end it (a peer's garbage, a failed signal). */
  error: unknown;
};

export interface CallClientOptions {
  /** The one transport of the client's socket; the client listens to its status. */
  signaling: SignalingConnection;
  /** The constructor to use: the browser's, or a Node implementation for headless peers. */
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Online/offline and network changes; default {@link ALWAYS_ONLINE}. */
  network?: NetworkEnvironment;
  /** Passed to each call's room session (tests shorten them). */
  absentGraceMs?: number;
  repairTimings?: Partial<RepairTimings>;
  resumeRetryMs?: number;
  /** Whether a file too large for memory can be written to disk as it arrives (File System Access). */
  canSaveToDisk?: boolean;
  /** See `RoomSessionOptions.adaptQuality`. */
  adaptQuality?: boolean;
}

/**
 * A person's calls, one at a time, on one signaling connection: joining and leaving, and keeping the call's
 * place on the server across drops and network changes. No DOM: the page adapts its state to Preact, and a
 * Node peer uses it as it is.
 */
export class CallClient extends Emitter<CallClientEvents> {
  readonly #options: CallClientOptions;
  #state: CallClientState = { kind: 'idle', error: undefined };
  #reachable = true;
  #session: RoomSession | null = null;
  /** The next call's DTLS certificate, made ahead of Join; each call gets a new one. */
  #nextCertificates: Promise<RTCCertificate[] | undefined>;
  /** ICE servers for the join's offer, asked for while the person is still on the pre-join screen. */
  readonly #lobbyIce: LobbyIce;
  /** The next call, its first offer made ahead by {@link prepare}, and the media it carries. */
  #next: { session: RoomSession; localStream: MediaStream | null } | undefined;
  readonly #stop: (() => void)[];
  #closed = false;

  constructor(options: CallClientOptions) {
    super();
    this.#options = options;
    this.#nextCertificates = makeCallCertificates(options.RTCPeerConnection);
    this.#lobbyIce = new LobbyIce(options.signaling);
    this.#lobbyIce.warm();
    this.#stop = [
      // Not answered while the socket is down: asked again once it is up.
      options.signaling.onStatus((status) => {
        if (status === 'connected') this.#lobbyIce.warm();
      }),
      followSignaling({
        signaling: options.signaling,
        current: () => this.#session,
        onReachable: (reachable) => {
          this.#reachable = reachable;
          this.emit('reachable', reachable);
        },
        ...(options.resumeRetryMs !== undefined && { retryMs: options.resumeRetryMs }),
      }),
      watchNetworkChanges(options.network ?? ALWAYS_ONLINE, () => this.#session?.networkChanged()),
    ];
  }

  get state(): CallClientState {
    return this.#state;
  }

  get reachable(): boolean {
    return this.#reachable;
  }

  /** The call in progress, for what the state does not carry (a peer's RTCPeerConnection, its stats). */
  get session(): RoomSession | null {
    return this.#session;
  }

  /**
   * Joins `room` as `name` with `localStream` (captured beforehand, so Join costs no getUserMedia). Does
   * nothing while a call is joining or in progress. A failure ends in `idle` with its {@link CallError}.
   */
  async join(room: string, name: string, password?: string, localStream: MediaStream | null = null) {
    if (this.#session || this.#closed) return;
    this.#setState({ kind: 'joining', room });
    const next = this.#next;
    this.#next = undefined;
    if (next && next.localStream !== localStream) next.session.close();
    const session = next?.localStream === localStream ? next.session : this.#newSession(localStream);
    this.#session = session;
    session.on('error', (error) => this.emit('error', error));
    try {
      const result = await session.join(room, name, password);
      if (this.#session !== session) return;
      this.#setState({
        kind: 'in-call',
        room: result.room,
        maxPeers: result.maxPeers,
        locked: result.protected,
        peers: session.peers(),
        chat: [],
        transfers: [],
      });
      session.on('peers', (peers) => this.#update({ peers }));
      // After a resume or a rejoin the room may be locked otherwise than when we came in (a restart).
      session.on('room', (state) => this.#update({ locked: state.protected }));
      session.on('chat', () => this.#update({ chat: session.chat.lines }));
      session.on('files', () => this.#update({ transfers: session.transfers() }));
      session.on('reaction', (reaction) => this.emit('reaction', reaction));
    } catch (error) {
      session.close();
      if (this.#session !== session) return;
      this.#session = null;
      this.#setState({ kind: 'idle', error: CallError.from(error) });
    }
  }

  /**
   * Makes the next call's first connection and offer now, on the pre-join screen, so that Join sends at once
   * (see {@link RoomSession.prepare}). Call it again when the local media changes; a join with other media
   * than the prepared one makes its own.
   */
  prepare(localStream: MediaStream | null): void {
    if (this.#closed || this.#session) return;
    if (this.#next?.localStream === localStream) return;
    this.#next?.session.close();
    const session = this.#newSession(localStream);
    session.prepare();
    this.#next = { session, localStream };
  }

  #newSession(localStream: MediaStream | null): RoomSession {
    const options = this.#options;
    const session = new RoomSession({
      transport: options.signaling,
      RTCPeerConnection: options.RTCPeerConnection,
      localStream,
      certificates: this.#nextCertificates,
      earlyIce: () => this.#lobbyIce.current(),
      ...(options.absentGraceMs !== undefined && { absentGraceMs: options.absentGraceMs }),
      ...(options.repairTimings && { repairTimings: options.repairTimings }),
      ...(options.canSaveToDisk && { canSaveToDisk: true }),
      ...(options.adaptQuality === false && { adaptQuality: false }),
    });
    this.#nextCertificates = makeCallCertificates(options.RTCPeerConnection);
    return session;
  }

  /** Leaves the call in progress, if any. */
  async leave(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    if (this.#state.kind !== 'idle' || this.#state.error) this.#setState({ kind: 'idle', error: undefined });
    await session?.leave();
  }

  sendChat(text: string): void {
    const session = this.#session;
    if (!session) return;
    session.sendChat(text);
    this.#update({ chat: session.chat.lines });
  }

  /** Sends a file to everyone in the call, or to one person; it shows in the chat. */
  async sendFile(file: Blob & { name?: string }, to?: string): Promise<void> {
    await this.#session?.sendFile(file, to);
  }

  /** Takes a file offered to us into `sink` (a place on disk the person chose). */
  async acceptFile(key: string, sink: FileSink): Promise<void> {
    const session = this.#session;
    if (session) (await session.files()).accept(key, sink);
    else sink.abort();
  }

  async declineFile(key: string): Promise<void> {
    (await this.#session?.files())?.decline(key);
  }

  async cancelFile(key: string): Promise<void> {
    (await this.#session?.files())?.cancel(key);
  }

  sendReaction(emoji: Reaction): void {
    this.#session?.sendReaction(emoji);
  }

  setHand(raised: boolean): void {
    this.#session?.setHand(raised);
  }

  setMedia(media: { audio: boolean; video: boolean }): void {
    this.#session?.setLocalMedia(media);
  }

  /** How loud each remote person's microphone is now (0 to 1), for showing who speaks; empty out of a call. */
  audioLevels(): Map<string, number> {
    const levels = new Map<string, number>();
    const session = this.#session;
    if (!session) return levels;
    for (const { id } of session.peers()) {
      const pc = session.peerConnection(id);
      if (pc) levels.set(id, receivedAudioLevel(pc));
    }
    return levels;
  }

  /** Stops watching signaling and the network, and closes the call without telling the server. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#stop.splice(0)) stop();
    this.#next?.session.close();
    this.#next = undefined;
    this.#session?.close();
    this.#session = null;
    this.removeAllListeners();
  }

  #update(change: Partial<Extract<CallClientState, { kind: 'in-call' }>>): void {
    if (this.#state.kind === 'in-call') this.#setState({ ...this.#state, ...change });
  }

  #setState(state: CallClientState): void {
    this.#state = state;
    this.emit('state', state);
  }
}
