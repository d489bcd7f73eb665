import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isTouchDevice } from './devices.js';
import { stopStream } from './media.js';

/**
 * Whether this browser can share a screen: `getDisplayMedia` exists and the device is not a phone or tablet
 * (mobile browsers that define it refuse it, and a button that always fails is worse than none).
 */
export function canShareScreen(): boolean {
  if (typeof navigator === 'undefined' || typeof navigator.mediaDevices?.getDisplayMedia !== 'function')
    return false;
  return !isTouchDevice();
}

/** What the sharing hook reports that went wrong; the person closing the browser's picker is not one. */
export type ScreenShareProblem = 'failed';

/**
 * Our shared screen: started from the Share screen button (getDisplayMedia needs the click), stopped by it
 * again, by the browser's own "Stop sharing", or when the call view goes away. `send` puts the stream on
 * every connection (`RoomSession.setScreen`).
 */
export function useScreenShare(
  send: (stream: MediaStream | null) => void,
  onProblem: (problem: ScreenShareProblem) => void,
) {
  const [stream, setStream] = useState<MediaStream | null>(null);
  const current = useRef<MediaStream | null>(null);
  const latest = useRef({ send, onProblem });
  latest.current = { send, onProblem };

  const stop = useCallback(() => {
    const shared = current.current;
    if (!shared) return;
    current.current = null;
    stopStream(shared);
    latest.current.send(null);
    setStream(null);
  }, []);

  const start = useCallback(async () => {
    if (current.current) return;
    let shared: MediaStream;
    try {
      // Tab or system audio where the browser offers it; the picker lets the person leave it out.
      shared = await navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: { ideal: 15, max: 30 } },
        audio: true,
      });
    } catch (error) {
      // NotAllowedError: the picker was closed, or sharing is forbidden here; either way nothing to say.
      if (!(error instanceof DOMException && error.name === 'NotAllowedError'))
        latest.current.onProblem('failed');
      return;
    }
    const video = shared.getVideoTracks()[0];
    if (!video) return stopStream(shared);
    // Text and lines stay sharp: the encoder lowers the frame rate before the resolution.
    // https://www.w3.org/TR/mst-content-hint/#video-content-hints
    video.contentHint = 'detail';
    // The browser's own "Stop sharing" ends the track: end the sharing with it, for everyone.
    video.addEventListener('ended', () => {
      if (current.current === shared) stop();
    });
    current.current = shared;
    latest.current.send(shared);
    setStream(shared);
  }, [stop]);

  useEffect(() => stop, [stop]);

  const toggle = useCallback(() => (current.current ? stop() : void start()), [start, stop]);
  return { stream, toggle };
}
