import { MediaStream, MediaStreamTrack, type RTCTrackEvent } from 'werift';

/**
 * How often the echo asks the sender for a keyframe. A decoder that joins mid-stream (the echo's viewer)
 * can start only at one; a browser answers a PLI within a frame or two.
 */
const KEYFRAME_REQUEST_MS = 2_000;

/**
 * What a Node peer sends: one audio and one video track whose packets are whatever is written to them.
 * For an echo, each packet received from the other side is written back unchanged (its payload type
 * matches, since both sides negotiated the same codecs in one offer/answer).
 */
export class EchoMedia {
  readonly audio = new MediaStreamTrack({ kind: 'audio' });
  readonly video = new MediaStreamTrack({ kind: 'video' });
  readonly stream = new MediaStream([this.audio, this.video]);
  readonly #timers = new Set<ReturnType<typeof setInterval>>();
  /** Packets echoed so far, per kind. */
  readonly echoed = { audio: 0, video: 0 };

  /**
   * Echoes a track the other side sends; call it from the connection's `track` event. Video gets a
   * keyframe request at once and every {@link KEYFRAME_REQUEST_MS}, so the other side can decode its echo.
   */
  onTrack({ track, receiver }: Pick<RTCTrackEvent, 'track' | 'receiver'>): void {
    const kind = track.kind === 'video' ? 'video' : 'audio';
    const target = this[kind];
    track.onReceiveRtp.subscribe((packet) => {
      target.writeRtp(packet);
      this.echoed[kind]++;
    });
    if (kind !== 'video') return;
    const askForKeyframe = () => {
      if (track.ssrc !== undefined) receiver.sendRtcpPLI(track.ssrc).catch(() => {});
    };
    track.onReceiveRtp.once(askForKeyframe);
    const timer = setInterval(askForKeyframe, KEYFRAME_REQUEST_MS);
    this.#timers.add(timer);
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers.clear();
  }
}
