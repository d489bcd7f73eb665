import { ScreenShareMessage } from '../protocol/index.js';
import type { PeerChannel } from './peer-channel.js';

/**
 * Our shared screen on one connection. Its transceivers are made once and then reused for every later
 * sharing (`replaceTrack` and `direction`), so stopping and starting again does not pile up m-lines.
 * Sending it asks for a negotiation (the camera's transceivers are untouched); once the connection is
 * stable again, {@link announcement} says which mids carry the screen.
 */
export class ScreenSender {
  readonly #pc: RTCPeerConnection;
  readonly #transceivers = new Map<'video' | 'audio', RTCRtpTransceiver>();
  /** The mids last announced, joined; undefined before the first announcement on this connection. */
  #announced: string | undefined;

  constructor(pc: RTCPeerConnection) {
    this.#pc = pc;
  }

  /** Sends `stream`'s tracks as our screen, or stops sending it (`null`). */
  apply(stream: MediaStream | null): void {
    for (const kind of ['video', 'audio'] as const) {
      const track = stream?.getTracks().find((each) => each.kind === kind) ?? null;
      const transceiver = this.#transceivers.get(kind);
      if (!transceiver) {
        if (!track || !stream) continue;
        this.#transceivers.set(
          kind,
          this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] }),
        );
        continue;
      }
      // Without renegotiating the track itself; the direction change is what the other side hears of.
      void transceiver.sender.replaceTrack(track).catch(() => undefined);
      transceiver.direction = track ? 'sendonly' : 'inactive';
    }
  }

  /** The sender of the screen's picture while it is shared, for its encoding (see `call/quality/`). */
  get videoSender(): RTCRtpSender | undefined {
    const transceiver = this.#transceivers.get('video');
    return transceiver?.direction === 'sendonly' && transceiver.sender.track ? transceiver.sender : undefined;
  }

  /**
   * What to tell the other side now that the connection is stable: the mids that carry the screen, when
   * they changed since the last time. Undefined when there is nothing new to say.
   */
  announcement(): ScreenShareMessage | undefined {
    const mids: string[] = [];
    for (const transceiver of this.#transceivers.values()) {
      if (transceiver.direction !== 'sendonly' || !transceiver.sender.track) continue;
      // Not negotiated yet: said once it is.
      if (transceiver.mid === null) return undefined;
      mids.push(transceiver.mid);
    }
    const key = mids.join(' ');
    // Nothing shared yet on this connection: nothing to take back.
    if (key === (this.#announced ?? '')) return undefined;
    this.#announced = key;
    return { kind: 'screen-share', mids };
  }
}

/**
 * The other side's shared screen on one connection: the tracks of the mids it announced, gathered into a
 * stream of their own (kept out of the camera's). A track may arrive before or after the announcement that
 * names its mid; either order ends with the track in the right stream.
 */
export class ScreenReceiver {
  readonly stream = new MediaStream();
  #mids = new Set<string>();
  /** Every mid ever announced as the screen on this connection: never taken for the camera. */
  readonly #everScreen = new Set<string>();

  isScreen(mid: string | null): boolean {
    return mid !== null && this.#everScreen.has(mid);
  }

  /** A track arrived on `transceiver`: into the screen stream if its mid is the screen's now. */
  addTrack(transceiver: RTCRtpTransceiver): void {
    const { track } = transceiver.receiver;
    if (
      transceiver.mid !== null &&
      this.#mids.has(transceiver.mid) &&
      !this.stream.getTracks().includes(track)
    )
      this.stream.addTrack(track);
  }

  /**
   * The other side says these mids carry its screen. Tracks already received on them leave the camera's
   * stream for the screen's; tracks of mids no longer named leave the screen's.
   */
  announced(mids: readonly string[], pc: RTCPeerConnection, camera: MediaStream): void {
    this.#mids = new Set(mids);
    for (const mid of mids) this.#everScreen.add(mid);
    for (const transceiver of pc.getTransceivers()) {
      const { track } = transceiver.receiver;
      if (transceiver.mid === null || !this.#everScreen.has(transceiver.mid)) continue;
      if (camera.getTracks().includes(track)) camera.removeTrack(track);
      if (this.#mids.has(transceiver.mid)) this.addTrack(transceiver);
      else if (this.stream.getTracks().includes(track)) this.stream.removeTrack(track);
    }
  }

  /** Whether the other side is sharing a picture now. */
  get sharing(): boolean {
    return this.stream.getVideoTracks().length > 0;
  }
}

/** The peer whose screen announcements the channel hands over. */
export interface ScreenSharingPeer {
  readonly session: { screenAnnounced(mids: readonly string[]): void };
}

/** Hands each peer's screen announcement to its session. */
export function handleScreenShare<Peer extends ScreenSharingPeer & { info: { id: string; name: string } }>(
  channel: PeerChannel<Peer>,
): () => void {
  return channel.handle('screen-share', ScreenShareMessage, (peer, message) =>
    peer.session.screenAnnounced(message.mids),
  );
}
