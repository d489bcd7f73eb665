import { MediaStream, MediaStreamTrack, RtpHeader, RtpPacket, type RTCTrackEvent } from 'werift';
import type { NodePeerMedia } from './node-peer.js';
import { PROBE_VP8_FRAMES } from './probe-frames.js';

/** 15 frames a second on VP8's 90 kHz RTP clock (RFC 7741). */
const FRAME_MS = 66;
const VIDEO_TICKS_PER_FRAME = 6_000;
/** Opus: 20 ms frames on a 48 kHz clock (RFC 7587). */
const AUDIO_MS = 20;
const AUDIO_TICKS_PER_FRAME = 960;
/** An Opus frame of silence (a one-frame SILK packet with nothing in it), as WebRTC stacks send for DTX. */
const OPUS_SILENCE = Buffer.from([0xf8, 0xff, 0xfe]);
/**
 * The VP8 payload descriptor (RFC 7741 § 4.2) of a packet that carries a whole frame: S=1 (start of a
 * partition), partition index 0, no optional fields.
 */
const VP8_DESCRIPTOR = Buffer.from([0x10]);
/** A VP8 keyframe's start code, bytes 3-5 of the frame (RFC 6386 § 9.1). */
const VP8_START_CODE = Buffer.from([0x9d, 0x01, 0x2a]);

const FRAMES = PROBE_VP8_FRAMES.map((frame) => Buffer.from(frame, 'base64'));

/**
 * Media made up in Node for `parley probe`: a small VP8 picture (real keyframes made by Chromium's encoder,
 * see scripts/make-probe-frames.ts) at 15 frames a second, and Opus silence. It counts what comes back:
 * video frames that are whole VP8 keyframes, and audio packets.
 */
export class SyntheticMedia implements NodePeerMedia {
  readonly audio = new MediaStreamTrack({ kind: 'audio' });
  readonly video = new MediaStreamTrack({ kind: 'video' });
  readonly stream = new MediaStream([this.audio, this.video]);
  /** What was sent, and what came back. */
  readonly counts = { framesSent: 0, framesBack: 0, audioSent: 0, audioBack: 0 };
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  readonly #firstFrameBack: Promise<void>;
  #frameBack: () => void = () => {};

  constructor() {
    this.#firstFrameBack = new Promise((resolve) => (this.#frameBack = resolve));
    let videoSeq = 0;
    let audioSeq = 0;
    this.#timers.push(
      setInterval(() => {
        const frame = FRAMES[this.counts.framesSent % FRAMES.length] ?? Buffer.alloc(0);
        const header = new RtpHeader({
          payloadType: 96,
          marker: true,
          sequenceNumber: videoSeq++ & 0xffff,
          timestamp: (this.counts.framesSent * VIDEO_TICKS_PER_FRAME) >>> 0,
        });
        this.video.writeRtp(new RtpPacket(header, Buffer.concat([VP8_DESCRIPTOR, frame])));
        this.counts.framesSent++;
      }, FRAME_MS),
      setInterval(() => {
        const header = new RtpHeader({
          payloadType: 111,
          marker: false,
          sequenceNumber: audioSeq++ & 0xffff,
          timestamp: (this.counts.audioSent * AUDIO_TICKS_PER_FRAME) >>> 0,
        });
        this.audio.writeRtp(new RtpPacket(header, OPUS_SILENCE));
        this.counts.audioSent++;
      }, AUDIO_MS),
    );
  }

  /** Resolves when the first whole video frame has come back. */
  firstFrameBack(): Promise<void> {
    return this.#firstFrameBack;
  }

  onTrack({ track }: RTCTrackEvent): void {
    track.onReceiveRtp.subscribe((packet) => {
      if (track.kind === 'audio') {
        this.counts.audioBack++;
        return;
      }
      if (isWholeKeyframe(packet.payload)) {
        this.counts.framesBack++;
        this.#frameBack();
      }
    });
  }

  close(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }
}

/** A packet that holds a whole VP8 keyframe after a one-byte descriptor, as {@link SyntheticMedia} sends them. */
function isWholeKeyframe(payload: Buffer): boolean {
  // Frame tag bit 0 is 0 for a keyframe (RFC 6386 § 9.1); the start code follows the 3-byte tag.
  return (
    payload.length > 10 &&
    (payload[0]! & 0x10) !== 0 &&
    (payload[1]! & 0x01) === 0 &&
    payload.subarray(4, 7).equals(VP8_START_CODE)
  );
}
