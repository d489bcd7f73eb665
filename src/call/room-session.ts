import {
  CHAT_TEXT_MAX,
  PROTOCOL_VERSION,
  type IceServer,
  type JoinResult,
  type PeerId,
  type PeerInfo,
  type PeerMessage,
  type ProtocolError,
} from '../protocol/index.js';
import { newMessageId, type ChatLine } from './chat.js';
import { Emitter } from './emitter.js';
import { LinkMonitor } from './link-monitor.js';
import type { LinkStats } from './link-stats.js';
import { PeerSession } from './peer-session.js';
import type { PeerPhase } from './phase.js';
import type { PeerProblem } from './problem.js';
import type { SignalingTransport } from './transport.js';

/** What the UI needs to draw one remote participant. */
export interface RemotePeerView {
  id: PeerId;
  name: string;
  phase: PeerPhase;
  /** Why the connection is not coming up, when known (a refused relay, a timeout). */
  problem: PeerProblem | undefined;
  stream: MediaStream;
  /** What the peer says about its own microphone and camera; both assumed on until told otherwise. */
  media: { audio: boolean; video: boolean };
  /** The path media takes and how well it carries, read every couple of seconds while connected. */
  link: LinkStats | undefined;
}

export interface RoomSessionEvents {
  /** The set of remote peers, or something about one of them, changed. */
  peers: RemotePeerView[];
  chat: ChatLine;
  error: unknown;
  [key: string]: unknown;
}

export interface RoomSessionOptions {
  transport: SignalingTransport;
  /** The constructor to use: the browser's, or a Node implementation for headless peers. */
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Camera and microphone, captured before joining so Join costs no getUserMedia. May be absent. */
  localStream: MediaStream | null;
}

/** Thrown by {@link RoomSession.join} with the server's error code (ROOM_FULL, VERSION_MISMATCH, ...). */
export class JoinError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message);
    this.name = 'JoinError';
  }
}

interface RemotePeer {
  info: PeerInfo;
  session: PeerSession;
  media: { audio: boolean; video: boolean };
  link: LinkStats | undefined;
  linkMonitor: LinkMonitor;
}

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
  /** What it takes to reclaim our place after the socket reconnects. */
  #membership: { room: string; token: string } | undefined;
  #ice: { servers: IceServer[]; policy: RTCIceTransportPolicy } = { servers: [], policy: 'all' };
  /** What we tell others about our devices: on when we have the track and it is enabled. */
  #localMedia: { audio: boolean; video: boolean };
  #closed = false;

  constructor(options: RoomSessionOptions) {
    super();
    this.#options = options;
    const live = (kind: string) =>
      options.localStream?.getTracks().some((track) => track.kind === kind && track.enabled) ?? false;
    this.#localMedia = { audio: live('audio'), video: live('video') };
    const { transport } = options;
    this.#unsubscribe.push(
      transport.on('peer-joined', ({ peer }) => {
        // Existing members wait for the newcomer's offer.
        if (this.#self) this.#ensurePeer(peer, 'answerer');
      }),
      transport.on('peer-left', ({ peerId }) => this.#removePeer(peerId, 'left')),
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

  /** Joins `room` as `name`; resolves with the server's answer or throws a {@link JoinError}. */
  async join(room: string, name: string): Promise<JoinResult> {
    const ack = await this.#options.transport.request('join', { v: PROTOCOL_VERSION, room, name });
    if (!ack.ok) throw new JoinError(ack.error);
    const { ok: _, ...result } = ack;
    this.#self = result.self;
    this.#membership = { room: result.room, token: result.token };
    this.#ice = { servers: result.iceServers, policy: result.iceTransportPolicy };
    for (const peer of result.peers) this.#ensurePeer(peer, 'offerer');
    // Resolve once the offers are out: whatever the caller does next (rendering the call, typically) then
    // cannot hold them back. Each takes a few milliseconds.
    await Promise.all([...this.#peers.values()].map(({ session }) => session.firstDescriptionSent));
    this.#emitPeers();
    return result;
  }

  /**
   * Takes our place back after the signaling socket reconnected, under the same peer id, so the others see
   * nothing happen. Peer connections are untouched: media never went through the server. Anyone who joined
   * while we were away is offered to, as a newcomer would.
   */
  async resume(): Promise<void> {
    const self = this.#self;
    const membership = this.#membership;
    if (this.#closed || !self || !membership) return;
    const ack = await this.#options.transport.request('join', {
      v: PROTOCOL_VERSION,
      room: membership.room,
      name: self.name,
      resume: { peerId: self.id, token: membership.token },
    });
    if (!ack.ok) {
      this.emit('error', ack.error);
      return;
    }
    for (const peer of ack.peers) this.#ensurePeer(peer, 'offerer');
  }

  /** Sends a chat line to everyone in the room and returns it as it should be shown locally. */
  sendChat(text: string): ChatLine {
    const trimmed = text.trim().slice(0, CHAT_TEXT_MAX);
    const line: ChatLine = {
      id: newMessageId(),
      from: this.#self?.id ?? '',
      own: true,
      name: this.#self?.name ?? '',
      text: trimmed,
      sentAt: Date.now(),
    };
    this.#broadcast({ kind: 'chat', id: line.id, text: trimmed, sentAt: line.sentAt });
    return line;
  }

  /** Tells the others whether our microphone and camera are on, so their tiles can say so. */
  setLocalMedia(media: { audio: boolean; video: boolean }): void {
    this.#localMedia = media;
    this.#broadcast({ kind: 'media-state', ...media });
  }

  peers(): RemotePeerView[] {
    return [...this.#peers.values()].map(({ info, session, media, link }) => ({
      id: info.id,
      name: info.name,
      phase: session.phase,
      problem: session.problem,
      stream: session.remoteStream,
      media,
      link,
    }));
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
    for (const off of this.#unsubscribe.splice(0)) off();
    for (const peer of this.#peers.values()) {
      peer.linkMonitor.stop();
      peer.session.close('local');
    }
    this.#peers.clear();
    this.#self = undefined;
    this.#membership = undefined;
    this.removeAllListeners();
  }

  #ensurePeer(info: PeerInfo, role: 'offerer' | 'answerer'): void {
    const self = this.#self;
    if (this.#closed || !self || info.id === self.id || this.#peers.has(info.id)) return;
    const session = new PeerSession({
      remote: info,
      // Both sides compare the same two ids, so exactly one of them is polite.
      polite: self.id < info.id,
      role,
      localStream: this.#options.localStream,
      iceServers: this.#ice.servers,
      iceTransportPolicy: this.#ice.policy,
      RTCPeerConnection: this.#options.RTCPeerConnection,
      sendSignal: (signal) => {
        void this.#options.transport.request('signal', { to: info.id, signal }).then((ack) => {
          if (!ack.ok && ack.error.code !== 'UNKNOWN_PEER') this.emit('error', ack.error);
        });
      },
    });
    const linkMonitor = new LinkMonitor({
      getStats: () => session.pc.getStats(),
      onReading: (link) => {
        peer.link = link;
        this.#emitPeers();
      },
    });
    const peer: RemotePeer = {
      info,
      session,
      media: { audio: true, video: true },
      link: undefined,
      linkMonitor,
    };
    this.#peers.set(info.id, peer);
    // Registered first, so the view emitted for this phase change already has the link cleared or coming.
    session.on('phase', (phase) => {
      if (phase.kind === 'connected') return linkMonitor.start();
      linkMonitor.stop();
      peer.link = undefined;
    });
    session.on('phase', (phase) => {
      if (phase.kind === 'connected') session.send({ kind: 'media-state', ...this.#localMedia });
      this.#emitPeers();
    });
    session.on('problem', () => this.#emitPeers());
    session.on('track', () => this.#emitPeers());
    session.on('message', (message) => this.#onPeerMessage(peer, message));
    session.on('error', (error) => this.emit('error', error));
    this.#emitPeers();
  }

  #onPeerMessage(peer: RemotePeer, message: PeerMessage): void {
    switch (message.kind) {
      case 'chat':
        this.emit('chat', {
          id: message.id,
          from: peer.info.id,
          own: false,
          name: peer.info.name,
          text: message.text,
          sentAt: message.sentAt,
        });
        return;
      case 'media-state':
        peer.media = { audio: message.audio, video: message.video };
        this.#emitPeers();
        return;
      default:
        message satisfies never;
    }
  }

  #broadcast(message: PeerMessage): void {
    for (const { session } of this.#peers.values()) session.send(message);
  }

  #removePeer(peerId: PeerId, reason: 'left'): void {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    peer.linkMonitor.stop();
    peer.session.close(reason);
    this.#emitPeers();
  }

  #emitPeers(): void {
    if (!this.#closed) this.emit('peers', this.peers());
  }
}
