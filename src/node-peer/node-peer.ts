import { io } from 'socket.io-client';
import type { MediaStream as WeriftMediaStream, RTCPeerConnectionConfig, RTCTrackEvent } from 'werift';
import {
  CallClient,
  SocketTransport,
  chatLineKey,
  type CallClientOptions,
  type CallClientState,
  type ChatLine,
  type ParleySocket,
} from '../call/index.js';
import { provideMediaStreamGlobal } from './media-stream-global.js';
import { WeriftPeerConnection } from './werift-peer-connection.js';

/** What a Node peer sends, and what it does with what it receives. */
export interface NodePeerMedia {
  /** werift's MediaStream of the tracks to send (their packets are written by the media itself). */
  readonly stream: WeriftMediaStream;
  /** A remote track arrived on a connection (a repaired or rebuilt one brings it again). */
  onTrack(event: RTCTrackEvent): void;
  close(): void;
}

export interface NodePeerOptions {
  /** The Parley server, `https://host:8443` or `http://127.0.0.1:PORT`. */
  url: string;
  /** Accept a certificate that does not verify (a self-signed one). */
  insecure?: boolean;
  /** What to send and how to treat what arrives; without it the peer sends and receives no media. */
  media?: NodePeerMedia;
  /** socket.io's reconnection; on by default, as on the page. */
  reconnection?: boolean;
  /** Added to each connection's configuration (werift options such as `iceAdditionalHostAddresses`). */
  peerConfig?: RTCPeerConnectionConfig;
  repairTimings?: CallClientOptions['repairTimings'];
}

/** As the page: retry quickly, so a server restart is a short gap. */
const RECONNECTION = { reconnectionDelay: 250, reconnectionDelayMax: 500 } as const;

/** socket.io's Node-only transport options, which its browser-shaped typings leave out. */
interface NodeTlsOptions {
  rejectUnauthorized: boolean;
}

/**
 * A Parley participant without a browser: the same {@link CallClient} as the page (room session, peer
 * sessions, perfect negotiation, repairs, resume after a signaling drop) on werift's WebRTC, over the same
 * socket.io signaling. It joins a room as a person does; whoever is there sees a tile for it.
 *
 * @example
 * const peer = new NodePeer({ url: 'http://127.0.0.1:8080', media: new EchoMedia() });
 * await peer.join('team', 'Echo');
 * peer.sendChat('hello');
 */
export class NodePeer {
  readonly socket: ParleySocket;
  /** Requests to the server with their answers parsed, as the call itself makes them. */
  readonly signaling: SocketTransport;
  readonly client: CallClient;
  readonly #media: NodePeerMedia | undefined;
  #closed = false;

  constructor(options: NodePeerOptions) {
    provideMediaStreamGlobal();
    const tls: NodeTlsOptions = { rejectUnauthorized: options.insecure !== true };
    this.socket = io(options.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: options.reconnection ?? true,
      ...RECONNECTION,
      ...tls,
    });
    this.#media = options.media;
    const media = options.media;
    const extra = options.peerConfig ?? {};
    // One class per peer, so that each of its connections (a rebuild makes a new one) feeds the same media.
    class PeerConnection extends WeriftPeerConnection {
      constructor(config: RTCPeerConnectionConfig = {}) {
        super({ ...extra, ...config });
        if (media) this.addEventListener('track', (event: RTCTrackEvent) => media.onTrack(event));
      }
    }
    this.signaling = new SocketTransport(this.socket);
    this.client = new CallClient({
      signaling: this.signaling,
      // werift implements the part of the W3C interface that `src/call/` uses (see WeriftPeerConnection);
      // its own typings are not the DOM's, so the constructor is handed over as the DOM's.
      RTCPeerConnection: PeerConnection as unknown as typeof RTCPeerConnection,
      ...(options.repairTimings && { repairTimings: options.repairTimings }),
      // A Node peer shows nobody anything: were it to say so (`view` messages), people would pause the video
      // they send it, and an echo peer would have nothing to send back. It sends as werift sends, untouched.
      adaptQuality: false,
    });
  }

  get state(): CallClientState {
    return this.client.state;
  }

  /** Joins `room` as `name`; resolves once in the call, or throws the join's {@link CallError}. */
  async join(room: string, name: string, password?: string): Promise<void> {
    const stream = (this.#media?.stream ?? null) as unknown as MediaStream | null;
    await this.client.join(room, name, password, stream);
    const state = this.client.state;
    if (state.kind === 'idle' && state.error) throw state.error;
    if (state.kind !== 'in-call') throw new Error(`join ended in ${state.kind}`);
  }

  sendChat(text: string): void {
    this.client.sendChat(text);
  }

  /** Calls `listener` with each chat line from someone else. Returns the function that unsubscribes. */
  onChat(listener: (line: ChatLine) => void): () => void {
    const seen = new Set<string>();
    return this.client.on('state', (state) => {
      if (state.kind !== 'in-call') return;
      for (const line of state.chat) {
        const key = chatLineKey(line);
        if (line.own || seen.has(key)) continue;
        seen.add(key);
        listener(line);
      }
    });
  }

  /** The connection to one peer in use now (a repair may replace it), for its stats and state. */
  peerConnection(peerId: string): WeriftPeerConnection | undefined {
    return this.client.session?.peerConnection(peerId) as unknown as WeriftPeerConnection | undefined;
  }

  /** Leaves the room (telling the server), then closes the connections, the media and the socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.socket.connected) await this.client.leave();
    } finally {
      this.client.close();
      this.#media?.close();
      this.socket.close();
    }
  }
}
