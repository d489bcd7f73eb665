import { useCallback, useEffect, useState } from 'preact/hooks';
import { openLocalMedia, stopStream, type MediaNotice } from './media.js';

export interface LocalMediaState {
  /** `undefined` while the browser is still asking for the devices. */
  stream: MediaStream | null | undefined;
  notice: MediaNotice | undefined;
  /** Whether each kind is switched on by the person. */
  enabled: { audio: boolean; video: boolean };
  /** Whether each kind exists at all. */
  available: { audio: boolean; video: boolean };
  toggle: (kind: 'audio' | 'video') => void;
}

/**
 * Opens the camera and microphone once, for the preview and then the call. Switching a device off disables
 * its track: the connection keeps its place for it, so switching it on again needs no renegotiation.
 */
export function useLocalMedia(): LocalMediaState {
  const [stream, setStream] = useState<MediaStream | null | undefined>(undefined);
  const [notice, setNotice] = useState<MediaNotice | undefined>(undefined);
  const [enabled, setEnabled] = useState({ audio: true, video: true });

  useEffect(() => {
    let live = true;
    let opened: MediaStream | null = null;
    void openLocalMedia().then((media) => {
      opened = media.stream;
      if (!live) return stopStream(opened);
      setStream(media.stream);
      setNotice(media.notice);
    });
    return () => {
      live = false;
      stopStream(opened);
    };
  }, []);

  const available = {
    audio: (stream?.getAudioTracks().length ?? 0) > 0,
    video: (stream?.getVideoTracks().length ?? 0) > 0,
  };

  const toggle = useCallback(
    (kind: 'audio' | 'video') => {
      setEnabled((current) => {
        const next = { ...current, [kind]: !current[kind] };
        for (const track of stream?.getTracks() ?? []) if (track.kind === kind) track.enabled = next[kind];
        return next;
      });
    },
    [stream],
  );

  return {
    stream,
    notice,
    enabled: { audio: enabled.audio && available.audio, video: enabled.video && available.video },
    available,
    toggle,
  };
}
