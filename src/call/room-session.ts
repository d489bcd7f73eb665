import {
  PROTOCOL_VERSION,
  type JoinResult,
  type PeerId,
  type ChatMessage,
  type MediaStateMessage,
  type ReactionMessage,
  type HandMessage,
  type PeerInfo,
  type Signal,
} from '../protocol/index.js';
import { ChatHistory, handleChat, ownChatLine, type ChatLine } from './chat.js';
import { makeCallCertificates } from './certificates.js';
import { EarlyOffer, type SessionSetup } from './early-offer.js';
import { Emitter } from './emitter.js';
import { RoomSignaling } from './room-signaling.js';
import { CallError } from './errors.js';
import { PeerChannel } from './peer-channel.js';
import { PeerSession, type IceConfiguration } from './peer-session.js';
import { ABSENT_GRACE_MS, RemotePeer, handleMediaState, type RemotePeerView } from './remote-peer.js';
import { handleScreenShare } from './screen-share.js';
import { handleFiles } from './file-routing.js';
import { handleChatHistory, historyToShare } from './chat-history-share.js';
import { handleReactions, type Reaction } from './reactions.js';
import { QualityController } from './quality/quality-controller.js';
import type { FileTransfers, TransferView } from './files/file-transfers.js';
import type { RepairTimings } from './repair-scheduler.js';
import type { MediaSample } from './media-stats.js';
import type { SignalingTransport } from './transport.js';

export { ABSENT_GRACE_MS, makeCallCertificates, type RemotePeerView };

export type RoomSessionEvents = {
  /** The set of remote peers, or something about one of them, changed. */
  peers: RemotePeerView[];
  chat: ChatLine;
  /** Someone sent a reaction (an emoji shown on their tile for a moment). */
  reaction: { peerId: PeerId; emoji: Reaction };
  /** A file transfer started, moved on or ended (at most a few times a second while bytes move). */
  files: void;
  /** What the server said about the room on the last join or resume: whether it is locked. */
  room: { protected: boolean };
  /** A {@link CallError} for what the server or a peer said; WebRTC's own exceptions as they were thrown. */
  error: unknown;
};

export interface RoomSessionOptions {
  transport: SignalingTransport;
  /** The constructor to use: the browser's, or a Node implementation for headless peers. */
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Camera and microphone, captured before joining so Join costs no getUserMedia. May be absent. */
  localStream: MediaStream | null;
  /**
   * Our DTLS certificate for this call, made ahead of time with {@link makeCallCertificates} (the first one
   * in a page took 1.5 ms in Chromium 156), so that nothing on the way to the first offer waits for it.
   * Default: made while the join request travels.
   */
  certificates?: Promise<RTCCertificate[] | undefined> | undefined;
  /**
   * ICE servers to make the first offer with before joining (those of the pre-join screen, see
   * `LobbyIce`), so that it travels with the join. Undefined, or returning undefined: the newcomer
   * offers after the join's answer, one signaling round trip later.
   */
  earlyIce?: () => Promise<IceConfiguration | undefined>;
  /** Default {@link ABSENT_GRACE_MS}. */
  absentGraceMs?: number;
  repairTimings?: Partial<RepairTimings>;
  /** Whether a file too large for memory can be written to disk as it arrives (File System Access). */
  canSaveToDisk?: boolean;
  /**
   * Whether to adapt what we send to what others show (see `quality/`). Default true; off, the browser's own
   * behaviour, for a benchmark to compare against.
   */
  adaptQuality?: boolean;
}

/** How long after joining the chat so far is taken from a peer (the first one to send it). */
const HISTORY_WINDOW_MS = 30_000;

/** How often, at most, the page hears of file progress: a transfer changes with every 64 KiB chunk. */
const FILE_PROGRESS_MS = 250;

/** What {@link RoomSession.resume} achieved. */
export type ResumeOutcome = 'resumed' | 'rejoined' | 'not-in-room' | 'failed';

/**
 * One person's presence in one room: a peer session per remote person (a mesh), fed by signaling.
 * The newcomer offers to everyone already there; those already there answer. Perfect negotiation
 * covers any other order.
 */
export class RoomSession extends Emitter<RoomSessionEvents> {
  readonly #options: RoomSessionOptions;
  readonly #peers = new Map<PeerId, RemotePeer>();
  readonly #unsubscribe: (() => void)[] = [];
  #self: PeerInfo | undefined;
  /**
   * What it takes to reclaim our place after the socket reconnects. The password is kept (in memory only)
   * for a server that lost the room: the resume then opens it anew, and must lock it again.
   */
  #membership: { room: string; token: string; password: string | undefined } | undefined;
  /** What we tell others about our devices: on when we have the track and it is enabled. */
  #localMedia: { audio: boolean; video: boolean };
  readonly #signaling: RoomSignaling;
  #closed = false;
  /** Our shared screen, if we share one. */
  #screen: MediaStream | null = null;
  /** Camera and microphone: the options' stream until a device switch replaces it. */
  #localStream: MediaStream | null;
  /** Routes what peers send over the data channel to the module that owns each kind of message. */
  readonly channel = new PeerChannel();
  /** This call's chat, our own lines included. */
  readonly chat = new ChatHistory();
  /** Our DTLS certificate for every connection of this session; see `PeerSessionOptions.certificates`. */
  #certificates: RTCCertificate[] | undefined;
  /** The join's offer, made ahead by {@link prepare}, for the next {@link join} to take. */
  #prepared: Promise<EarlyOffer | undefined> | undefined;
  #certificatesMade: Promise<RTCCertificate[] | undefined> | undefined;
  /** The call's file transfers, loaded at the first file; see {@link files}. */
  #files: Promise<FileTransfers> | undefined;
  #filesLoaded: FileTransfers | undefined;
  #filesTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the server last let us in; history is taken for a while after it. */
  #joinedAt: number | undefined;
  /** People who joined after us: once connected, they get the chat so far. */
  readonly #historyOwed = new Set<PeerId>();
  /** Our hand is raised. */
  #hand = false;
  /** Shares our upload among the copies we send by what each person shows of us. */
  readonly quality: QualityController;
  /** Bytes carried to and from people who have left this call. */
  readonly #departedBytes = { sent: 0, received: 0 };

  constructor(options: RoomSessionOptions) {
    super();
    this.#options = options;
    this.#localStream = options.localStream;
    this.#signaling = new RoomSignaling(options.transport, (error) => this.emit('error', error));
    this.#localMedia = this.#liveMedia();
    const { transport } = options;
    handleChat(this.channel, (line) => {
      if (this.chat.add(line)) this.emit('chat', line);
    });
    handleMediaState(this.channel, () => this.#emitPeers());
    let qualityFailed = false;
    this.quality = new QualityController({
      channel: this.channel,
      peers: () => this.#peers.values(),
      camera: () => this.#localStream?.getVideoTracks()[0],
      screen: () => this.#screen?.getVideoTracks()[0],
      enabled: options.adaptQuality ?? true,
      // Said once: a browser that refuses an encoding refuses it on every check.
      onError: (error) => {
        if (!qualityFailed) this.emit('error', error);
        qualityFailed = true;
      },
    });
    handleScreenShare(this.channel);
    handleFiles(
      this.channel,
      () => this.files(),
      (error) => this.emit('error', error),
    );
    handleChatHistory(this.channel, {
      accept: () => this.#joinedAt !== undefined && performance.now() - this.#joinedAt < HISTORY_WINDOW_MS,
      selfId: () => this.#self?.id,
      knownName: (id) => this.#peers.get(id)?.info.name,
      onLines: (lines) => {
        if (this.chat.addEarlier(lines)) this.emit('chat', lines[0]!);
      },
    });
    handleReactions(this.channel, {
      onReaction: (peerId, emoji) => this.emit('reaction', { peerId, emoji }),
      onHand: (peerId, raised) => {
        const peer = this.#peers.get(peerId);
        if (!peer || peer.hand === raised) return;
        peer.hand = raised;
        this.#emitPeers();
      },
    });
    this.channel.on('error', (error) => this.emit('error', error));
    this.#unsubscribe.push(
      transport.on('peer-joined', ({ peer }) => {
        const known = this.#peers.get(peer.id);
        // Someone we still have a connection with is back on the server (after its socket or the server
        // dropped): keep the connection; if it needs repair, the one who came back offers, as newcomers do.
        if (known) {
          known.markPresent();
          known.session.peerReturned();
        }
        // Existing members wait for the newcomer's offer, and tell them the chat so far once connected.
        else if (this.#self) {
          this.#historyOwed.add(peer.id);
          this.#ensurePeer(peer, 'answerer');
        }
      }),
      transport.on('peer-left', ({ peerId, reason }) => {
        const peer = this.#peers.get(peerId);
        if (!peer) return;
        // `left` is a goodbye. `disconnected` only says the server lost them: if media still flows between
        // us, the call goes on, and they are removed once it stops (see ABSENT_GRACE_MS).
        if (reason === 'left' || peer.session.phase.kind !== 'connected') this.#removePeer(peerId, 'left');
        else peer.markAbsent();
      }),
      transport.on('signal', ({ from, signal }) => {
        const peer = this.#peers.get(from);
        // The server only relays signals from members of our room, and announces them first.
        if (peer) void peer.session.handleSignal(signal);
      }),
    );
  }

  get self(): PeerInfo | undefined {
    return this.#self;
  }

  /**
   * Joins `room` as `name`, with the room's password if given (it locks a room this join opens); resolves
   * with the server's answer or throws a {@link CallError} (the server's code, or the transport's own).
   */
  async join(room: string, name: string, password?: string): Promise<JoinResult> {
    // Made while the join travels, when not made ahead, so the offers wait for it as little as they can.
    // A session prepared on the pre-join screen: the person may have switched a device off since.
    this.#localMedia = this.#liveMedia();
    const certificates = this.#certificatesForJoin();
    const prepared = this.#prepared;
    this.#prepared = undefined;
    // Prepared before the lobby had ICE servers, it has no offer: try again, with the ones it has now.
    const early = (await prepared) ?? (await this.#makeEarlyOffer(certificates));
    performance.mark('parley:join-sent'); // bench:setup's critical path (bench/critical-path.ts)
    const ack = await this.#options.transport.request('join', {
      v: PROTOCOL_VERSION,
      room,
      name,
      ...(password !== undefined && { password }),
      ...(early?.offer && { offer: early.offer }),
    });
    performance.mark('parley:join-ack');
    this.#certificates = await certificates;
    if (!ack.ok) {
      early?.discard();
      throw CallError.of(ack.error);
    }
    const { ok: _, ...result } = ack;
    this.#self = result.self;
    this.#joinedAt = performance.now();
    this.quality.serverBudget = result.uploadBudgetKbps * 1000;
    void this.quality.load();
    this.#membership = { room: result.room, token: result.token, password };
    this.emit('room', { protected: result.protected });
    this.#signaling.ice = { iceServers: result.iceServers, iceTransportPolicy: result.iceTransportPolicy };
    this.#signaling.active = true;
    const offeredTo = result.peers.find((peer) => peer.id === result.offeredTo);
    if (early && offeredTo) this.#adoptEarlyOffer(early, offeredTo);
    else early?.discard();
    for (const peer of result.peers) this.#ensurePeer(peer, 'offerer');
    // Resolve once the offers are out: whatever the caller does next (rendering the call, typically) then
    // cannot hold them back. Each takes a few milliseconds.
    await Promise.all([...this.#peers.values()].map(({ session }) => session.firstDescriptionSent));
    this.#emitPeers();
    return result;
  }

  /** Which of our tracks are on now. */
  #liveMedia(): { audio: boolean; video: boolean } {
    const live = (kind: string) =>
      this.#localStream?.getTracks().some((track) => track.kind === kind && track.enabled) ?? false;
    return { audio: live('audio'), video: live('video') };
  }

  /**
   * Makes the join's offer now, on the pre-join screen, so that pressing Join sends at once: the connection
   * is made, its offer set and its candidates gathered (they then travel inside the offer) before the click.
   * Optional; {@link join} makes it otherwise. Call it once the local media it should carry is final.
   */
  prepare(): void {
    if (this.#closed || this.#self || this.#prepared) return;
    this.#prepared = this.#makeEarlyOffer(this.#certificatesForJoin());
  }

  /** One certificate for the whole session: the prepared offer's connection and every other one. */
  #certificatesForJoin(): Promise<RTCCertificate[] | undefined> {
    if (this.#certificates) return Promise.resolve(this.#certificates);
    return (this.#certificatesMade ??=
      this.#options.certificates ?? makeCallCertificates(this.#options.RTCPeerConnection));
  }

  /**
   * The signaling connection dropped. The calls go on peer to peer; repairs wait until {@link resume}, since
   * nothing can be negotiated meanwhile.
   */
  signalingLost(): void {
    this.#signaling.active = false;
  }

  /**
   * Takes our place back after the signaling socket reconnected, under the same peer id, so the others see
   * nothing happen (or, after a server restart that lost every room, see us join again under the id they
   * know). Peer connections that are up are untouched: media never went through the server. Then the peer
   * list is made to agree with the server's:
   * - listed and known: kept; a connection that is not up is repaired now, since its negotiation may have
   *   been lost in the outage;
   * - listed and unknown (joined while we were away): offered to, as a newcomer would;
   * - known and not listed: absent, removed unless it comes back or stays connected (ABSENT_GRACE_MS).
   *
   * A token the server refuses (`RESUME_REJECTED`) means joining afresh under a new id: every connection is
   * then rebuilt, since the others know us by the old id. Either way `room` says whether the room is locked
   * now: after a server restart it may not be what it was.
   */
  async resume(): Promise<ResumeOutcome> {
    const self = this.#self;
    const membership = this.#membership;
    if (this.#closed || !self || !membership) return 'not-in-room';
    const ack = await this.#options.transport.request('join', {
      v: PROTOCOL_VERSION,
      room: membership.room,
      name: self.name,
      resume: { peerId: self.id, token: membership.token },
      ...(membership.password !== undefined && { password: membership.password }),
    });
    if (this.#closed) return 'not-in-room';
    if (!ack.ok) {
      // The server refused the token (it expired, we left, its secret changed, the room was opened anew).
      if (ack.error.code === 'RESUME_REJECTED')
        return this.#rejoin(membership.room, self.name, membership.password);
      this.emit('error', CallError.of(ack.error));
      return 'failed';
    }
    this.#membership = { ...membership, room: ack.room, token: ack.token };
    this.quality.serverBudget = ack.uploadBudgetKbps * 1000;
    this.emit('room', { protected: ack.protected });
    this.#signaling.ice = { iceServers: ack.iceServers, iceTransportPolicy: ack.iceTransportPolicy };
    this.#signaling.active = true;
    const listed = new Set(ack.peers.map((peer) => peer.id));
    for (const peer of this.#peers.values()) {
      if (listed.has(peer.info.id)) {
        peer.markPresent();
        peer.session.signalingResumed();
      } else {
        peer.markAbsent();
      }
    }
    for (const peer of ack.peers) this.#ensurePeer(peer, 'offerer');
    return 'resumed';
  }

  /**
   * The device's network changed (Wi-Fi to mobile data, back online): every connection restarts ICE at once
   * instead of waiting seconds for ICE to find the old path dead.
   */
  networkChanged(): void {
    for (const { session } of this.#peers.values()) session.networkChanged();
  }

  /** Sends a chat line to everyone in the room and returns it as it should be shown locally. */
  sendChat(text: string): ChatLine {
    const { line, message } = ownChatLine(this.#self, text);
    this.chat.add(line);
    this.#broadcast(message);
    return line;
  }

  /** The call's file transfers, loaded on first use (the first file sent or offered to us). */
  files(): Promise<FileTransfers> {
    const loading = (this.#files ??= import('./files/file-transfers.js').then(({ FileTransfers }) => {
      const files = new FileTransfers({
        canSaveToDisk: this.#options.canSaveToDisk ?? false,
        onOffer: (view) => this.#fileLine(view, false),
        onChange: () => this.#filesChanged(),
      });
      this.#filesLoaded = files;
      return files;
    }));
    // The server that serves the module may be away for a moment: the next file tries again.
    loading.catch(() => {
      if (this.#files === loading) this.#files = undefined;
    });
    return loading;
  }

  /** Every transfer of this call, as the page shows them; empty before the first file. */
  transfers(): TransferView[] {
    return this.#filesLoaded?.views() ?? [];
  }

  /**
   * Sends a file to everyone in the room, or to one person (`to`), and shows it in the chat. Nothing is
   * sent to anyone before they accept it (at once, unless it is too large for their memory).
   */
  async sendFile(file: Blob & { name?: string }, to?: PeerId): Promise<void> {
    const files = await this.files();
    const peers = [...this.#peers.values()].filter((peer) => to === undefined || peer.info.id === to);
    if (this.#closed || peers.length === 0) return;
    const group = files.send(file, peers);
    const view = files.views().find((each) => each.group === group);
    if (view) this.#fileLine(view, true);
  }

  /** A file's line in the chat: ours when we send it, the sender's when it is offered to us. */
  #fileLine(view: TransferView, own: boolean): void {
    const author = own ? this.#self : view.peer;
    const line: ChatLine = {
      id: view.key.split(' ').at(-1) ?? view.key,
      from: author?.id ?? '',
      own,
      name: author?.name ?? '',
      text: view.name,
      sentAt: Date.now(),
      file: view.group,
    };
    if (this.chat.add(line)) this.emit('chat', line);
    this.#filesChanged();
  }

  #filesChanged(): void {
    if (this.#filesTimer !== undefined || this.#closed) return;
    this.#filesTimer = setTimeout(() => {
      this.#filesTimer = undefined;
      if (!this.#closed) this.emit('files', undefined);
    }, FILE_PROGRESS_MS);
  }

  /**
   * Shares `stream` (from getDisplayMedia) with everyone in the room, and with whoever joins later, until
   * called with `null`.
   */
  setScreen(stream: MediaStream | null): void {
    this.#screen = stream;
    for (const { session } of this.#peers.values()) session.setScreen(stream);
    this.quality.apply();
  }

  /**
   * Another camera or microphone chosen during the call: swapped on every connection without renegotiation
   * (see `PeerSession.setLocalStream`), and used by the connections made from now on.
   */
  setLocalStream(stream: MediaStream | null): void {
    this.#localStream = stream;
    for (const { session } of this.#peers.values()) session.setLocalStream(stream);
    this.quality.apply();
  }

  /** Shows an emoji on our tile, for everyone, for a moment. */
  sendReaction(emoji: Reaction): void {
    this.#broadcast({ kind: 'reaction', emoji });
  }

  /** Raises or lowers our hand, for everyone (and whoever joins while it is up). */
  setHand(raised: boolean): void {
    this.#hand = raised;
    this.#broadcast({ kind: 'hand', raised });
  }

  /** Tells the others whether our microphone and camera are on, so their tiles can say so. */
  setLocalMedia(media: { audio: boolean; video: boolean }): void {
    this.#localMedia = media;
    this.#broadcast({ kind: 'media-state', ...media });
    this.quality.apply();
  }

  /**
   * The data this call has used so far (media, chat and files, both ways, every connection together), and
   * at what rate now, bytes per second.
   */
  dataUsed(): { bytes: number; bytesPerSecond: number } {
    let bytes = this.#departedBytes.sent + this.#departedBytes.received;
    let bytesPerSecond = 0;
    for (const peer of this.#peers.values()) {
      bytes += peer.carried.sent + peer.carried.received;
      const last = peer.history().at(-1);
      if (last && last.seconds > 0 && peer.session.phase.kind === 'connected')
        bytesPerSecond += (last.bytesSent + last.bytesReceived) / last.seconds;
    }
    return { bytes, bytesPerSecond };
  }

  /** What a person's connection did over the last minute, for the Call details. */
  statsHistory(peerId: PeerId): readonly MediaSample[] {
    return this.#peers.get(peerId)?.history() ?? [];
  }

  peers(): RemotePeerView[] {
    return [...this.#peers.values()].map((peer) => peer.view());
  }

  /** The RTCPeerConnection to one peer in use now (a repair may replace it), for its stats. */
  peerConnection(peerId: PeerId): RTCPeerConnection | undefined {
    return this.#peers.get(peerId)?.session.pc;
  }

  /** Leaves the room and closes every connection. Safe to call more than once. */
  async leave(): Promise<void> {
    if (this.#closed) return;
    const wasJoined = this.#self !== undefined;
    this.close();
    if (wasJoined) await this.#options.transport.request('leave', {});
  }

  /** Closes every connection without telling the server (it learns from the socket). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    void this.#prepared?.then((early) => early?.discard());
    this.#prepared = undefined;
    for (const off of this.#unsubscribe.splice(0)) off();
    this.quality.close();
    this.#filesLoaded?.close();
    clearTimeout(this.#filesTimer);
    for (const peer of this.#peers.values()) peer.close('local');
    this.#peers.clear();
    this.#self = undefined;
    this.#membership = undefined;
    this.removeAllListeners();
  }

  /** The first connection, offered before joining, when the pre-join screen has ICE servers for it. */
  #makeEarlyOffer(certificates: Promise<RTCCertificate[] | undefined>): Promise<EarlyOffer | undefined> {
    return EarlyOffer.make(this.#options.earlyIce?.(), certificates, (remote, send, setup) =>
      this.#closed ? undefined : this.#newSession(remote, false, 'offerer', send, setup),
    );
  }

  /** The member who took the join's offer: the early connection becomes the one to them. */
  #adoptEarlyOffer(early: EarlyOffer, info: PeerInfo): void {
    const self = this.#self;
    if (this.#closed || !self || this.#peers.has(info.id)) return early.discard();
    const session = early.bind(info, self.id < info.id, (signal) => this.#signaling.send(info.id, signal));
    // Repairs use this peer's own TURN credential from now on; the allocation already made keeps working
    // (a TURN server checks a credential when an allocation is made, not while it lives).
    session.useIce(this.#signaling.ice);
    this.#addPeer(info, session);
  }

  #ensurePeer(info: PeerInfo, role: 'offerer' | 'answerer'): void {
    const self = this.#self;
    if (this.#closed || !self || info.id === self.id || this.#peers.has(info.id)) return;
    // Both sides compare the same two ids, so exactly one of them is polite.
    const session = this.#newSession(info, self.id < info.id, role, (signal) =>
      this.#signaling.send(info.id, signal),
    );
    this.#addPeer(info, session);
  }

  #newSession(
    remote: PeerInfo,
    polite: boolean,
    role: 'offerer' | 'answerer',
    sendSignal: (signal: Signal) => void | Promise<boolean>,
    setup: SessionSetup = { ice: this.#signaling.ice, certificates: this.#certificates },
  ): PeerSession {
    const session = new PeerSession({
      remote,
      polite,
      role,
      localStream: this.#localStream,
      ...setup.ice,
      RTCPeerConnection: this.#options.RTCPeerConnection,
      certificates: setup.certificates,
      sendSignal,
      fetchIce: () => this.#signaling.fetchIce(),
      canSignal: () => this.#signaling.active,
      ...(this.#options.repairTimings ? { repairTimings: this.#options.repairTimings } : {}),
    });
    session.setScreen(this.#screen);
    return session;
  }

  /** Makes `session` the connection to the remote person `info`, and lets the page know about them. */
  #addPeer(info: PeerInfo, session: PeerSession): void {
    const peer: RemotePeer = new RemotePeer({
      info,
      session,
      absentGraceMs: this.#options.absentGraceMs,
      readMedia: () => this.quality.readMediaStats,
      onChange: () => this.#emitPeers(),
      onGone: () => {
        if (this.#peers.get(info.id) === peer) this.#removePeer(info.id, 'left');
      },
      onConnected: () => {
        session.send({ kind: 'media-state', ...this.#localMedia });
        this.quality.connected(peer);
        if (this.#hand) session.send({ kind: 'hand', raised: true });
        if (this.#historyOwed.delete(info.id))
          for (const frame of historyToShare(this.chat.lines)) session.send(frame);
      },
      onError: (error) => this.emit('error', error),
    });
    this.#peers.set(info.id, peer);
    session.on('frame', (frame) => this.channel.receive(peer, frame));
    session.on('datachannel', (channel) => {
      // Only after the peer's file was accepted, so the transfers are loaded by then.
      if (this.#filesLoaded) this.#filesLoaded.channelOpened(peer, channel);
      else channel.close();
    });
    session.on('error', (error) => this.emit('error', error));
    this.#emitPeers();
  }

  #broadcast(message: ChatMessage | MediaStateMessage | ReactionMessage | HandMessage): void {
    for (const { session } of this.#peers.values()) session.send(message);
  }

  /** Our old id is not accepted any more: start over under a new one, with new connections to everyone. */
  async #rejoin(room: string, name: string, password: string | undefined): Promise<ResumeOutcome> {
    for (const peer of [...this.#peers.values()]) this.#removePeer(peer.info.id, 'left');
    this.#self = undefined;
    this.#membership = undefined;
    try {
      await this.join(room, name, password);
      return 'rejoined';
    } catch (error) {
      this.emit('error', CallError.from(error));
      return 'failed';
    }
  }

  #removePeer(peerId: PeerId, reason: 'left'): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    this.#departedBytes.sent += peer.carried.sent;
    this.#departedBytes.received += peer.carried.received;
    this.#filesLoaded?.peerGone(peerId);
    peer.close(reason);
    this.#emitPeers();
  }

  #emitPeers(): void {
    if (!this.#closed) this.emit('peers', this.peers());
  }
}
