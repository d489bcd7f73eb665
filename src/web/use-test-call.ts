import { useEffect, useRef, useState } from 'preact/hooks';
import { CallError, RoomSession, type RemotePeerView, type SignalingConnection } from '../call/index.js';

/** Frames of our own video that must come back and be shown before the camera counts as working. */
export const FRAMES_FOR_VERDICT = 10;
/** How long after connecting the video may take to come back before the page says it does not. */
const VIDEO_GRACE_MS = 8_000;

/** Where a Test call stands, as the page words it. */
export type TestCallPhase =
  | { kind: 'asking' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  /** The server said no (busy, rate-limited, off) or the echo peer could not be reached. */
  | { kind: 'refused'; error: CallError }
  | { kind: 'unreachable' }
  | { kind: 'ended' };

export type TestCallVerdict = 'works' | 'works-no-camera' | 'no-video' | undefined;

export interface TestCallState {
  phase: TestCallPhase;
  /** The echo peer, as a call shows a person: its stream (our media, come back), path and round trip. */
  peer: RemotePeerView | undefined;
  verdict: TestCallVerdict;
  /** Pass to the returned video's element: frames are counted as they are shown. */
  videoRef: (video: HTMLVideoElement | null) => void;
}

/**
 * A Test call: asks the server for an echo peer (`test-call`), joins its private room with our camera and
 * microphone through the same call logic and ICE servers as a real call, and judges what comes back. Ends
 * (leaving the room, which ends the echo peer) when the component unmounts or the echo peer's time is up.
 */
export function useTestCall(
  signaling: SignalingConnection,
  stream: MediaStream | null,
  name: string,
): TestCallState {
  const [phase, setPhase] = useState<TestCallPhase>({ kind: 'asking' });
  const [peer, setPeer] = useState<RemotePeerView>();
  const [framesShown, setFramesShown] = useState(0);
  const [videoLate, setVideoLate] = useState(false);
  const frameCallback = useRef<{ video: HTMLVideoElement; handle: number }>();

  useEffect(() => {
    let session: RoomSession | undefined;
    let over = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const finish = (next: TestCallPhase) => {
      if (over) return;
      over = true;
      for (const timer of timers) clearTimeout(timer);
      setPhase(next);
      void session?.leave();
    };
    void (async () => {
      const ack = await signaling.request('test-call', {});
      if (over) return;
      if (!ack.ok) return finish({ kind: 'refused', error: CallError.of(ack.error) });
      const current = new RoomSession({ transport: signaling, RTCPeerConnection, localStream: stream });
      session = current;
      let connected = false;
      current.on('peers', (peers) => {
        const echo = peers[0];
        if (!echo) {
          // The echo peer left: its time is up.
          if (connected) finish({ kind: 'ended' });
          return;
        }
        setPeer(echo);
        if (echo.problem === 'unreachable') finish({ kind: 'unreachable' });
        else if (echo.phase.kind === 'connected' && !connected) {
          connected = true;
          setPhase({ kind: 'connected' });
          timers.push(setTimeout(() => setVideoLate(true), VIDEO_GRACE_MS));
        }
      });
      setPhase({ kind: 'connecting' });
      await current.join(ack.room, name, ack.password);
      timers.push(setTimeout(() => finish({ kind: 'ended' }), ack.maxMs));
    })().catch((error: unknown) => finish({ kind: 'refused', error: CallError.from(error) }));
    return () => {
      over = true;
      for (const timer of timers) clearTimeout(timer);
      void session?.leave();
    };
    // One test call per mount: the panel is remounted for another.
  }, []);

  const videoRef = (video: HTMLVideoElement | null) => {
    const current = frameCallback.current;
    if (current?.video === video) return;
    if (current) current.video.cancelVideoFrameCallback(current.handle);
    frameCallback.current = undefined;
    if (!video || typeof video.requestVideoFrameCallback !== 'function') return;
    const count = () => {
      setFramesShown((n) => n + 1);
      frameCallback.current = { video, handle: video.requestVideoFrameCallback(count) };
    };
    frameCallback.current = { video, handle: video.requestVideoFrameCallback(count) };
  };

  const hasCamera = stream?.getVideoTracks().some((track) => track.enabled) ?? false;
  let verdict: TestCallVerdict;
  if (phase.kind === 'connected' || (phase.kind === 'ended' && framesShown > 0)) {
    if (!hasCamera) verdict = 'works-no-camera';
    else if (framesShown >= FRAMES_FOR_VERDICT) verdict = 'works';
    else if (videoLate) verdict = 'no-video';
  }
  return { phase, peer, verdict, videoRef };
}
