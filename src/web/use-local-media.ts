import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import {
  NO_DEVICES,
  deviceOf,
  listDevices,
  rememberDevice,
  rememberedDevices,
  rememberedIn,
  type DeviceChoice,
  type DeviceKind,
  type DeviceLists,
} from './devices.js';
import { captureTrack, openLocalMedia, stopStream, type Kind, type MediaNotice } from './media.js';

/** A device went away, or another could not be started: said where the person looks, then gone. */
export type DeviceNotice =
  /** `label`: the device now in use instead, if one could be had. */
  { kind: 'unplugged'; device: Kind; label: string | undefined } | { kind: 'failed'; device: Kind };

/** How long a device notice stays. */
const DEVICE_NOTICE_MS = 8_000;

export interface LocalMediaState {
  /** `undefined` while the browser is still asking for the devices. */
  stream: MediaStream | null | undefined;
  notice: MediaNotice | undefined;
  /** Whether each kind is switched on by the person. */
  enabled: { audio: boolean; video: boolean };
  /** Whether each kind exists at all. */
  available: { audio: boolean; video: boolean };
  toggle: (kind: 'audio' | 'video') => void;
  /** The devices there are now, kept current (`devicechange`). */
  devices: DeviceLists;
  /** The device of each kind in use (or chosen, for the speaker). */
  current: DeviceChoice;
  /** Switches to another device at once, and remembers it. */
  choose: (kind: DeviceKind, id: string) => void;
  /** The next camera in the list: the front and back cameras of a phone. */
  switchCamera: () => void;
  deviceNotice: DeviceNotice | undefined;
}

const TRACK_KIND = { camera: 'video', microphone: 'audio' } as const;

/**
 * Opens the camera and microphone once, for the preview and then the call, on the devices chosen last time.
 * Switching a device off disables its track: the connection keeps its place for it, so switching it on again
 * needs no renegotiation. Choosing another device, or losing one (unplugged: its track ends), makes a new
 * stream with the new track in the old one's place; the call swaps it onto its senders (`replaceTrack`).
 */
export function useLocalMedia(): LocalMediaState {
  const [stream, setStream] = useState<MediaStream | null | undefined>(undefined);
  const [notice, setNotice] = useState<MediaNotice | undefined>(undefined);
  const [enabled, setEnabled] = useState({ audio: true, video: true });
  const [devices, setDevices] = useState<DeviceLists>(NO_DEVICES);
  const [speaker, setSpeaker] = useState(() => rememberedDevices().speaker);
  const [deviceNotice, setDeviceNotice] = useState<DeviceNotice>();
  // The latest values, for the handlers that outlive a render (a track's `ended`, `devicechange`).
  const live = useRef({ stream, enabled, devices });
  live.current = { stream, enabled, devices };

  const say = useCallback((next: DeviceNotice) => {
    setDeviceNotice(next);
    setTimeout(() => setDeviceNotice((shown) => (shown === next ? undefined : shown)), DEVICE_NOTICE_MS);
  }, []);

  const refreshDevices = useCallback(() => {
    void listDevices().then(setDevices, () => undefined);
  }, []);

  /** Puts `track` in the place of the stream's track of its kind (or drops that kind, with `null`). */
  const replace = useCallback((kind: Kind, track: MediaStreamTrack | null) => {
    const old = live.current.stream;
    const trackKind = TRACK_KIND[kind];
    if (track) track.enabled = live.current.enabled[trackKind];
    const kept = old?.getTracks().filter((each) => each.kind !== trackKind) ?? [];
    for (const each of old?.getTracks() ?? []) if (each.kind === trackKind) each.stop();
    const tracks = track ? [...kept, track] : kept;
    setStream(tracks.length > 0 ? new MediaStream(tracks) : null);
  }, []);

  const watch = useRef<(kind: Kind, track: MediaStreamTrack) => void>(() => undefined);
  watch.current = (kind, track) => {
    // The device was unplugged (or the system took it): another of the same kind, and say so.
    track.addEventListener('ended', () => {
      if (!live.current.stream?.getTracks().includes(track)) return;
      const lost = deviceOf(track);
      void listDevices().then(async (now) => {
        setDevices(now);
        const other = now[kind].find((device) => device.id !== lost);
        try {
          const next = await captureTrack(kind, other?.id);
          watch.current(kind, next);
          replace(kind, next);
          say({ kind: 'unplugged', device: kind, label: next.label || other?.label });
        } catch {
          replace(kind, null);
          say({ kind: 'unplugged', device: kind, label: undefined });
        }
      });
    });
  };

  useEffect(() => {
    let open = true;
    let opened: MediaStream | null = null;
    void openLocalMedia(rememberedDevices()).then((media) => {
      opened = media.stream;
      if (!open) return stopStream(opened);
      for (const track of opened?.getTracks() ?? [])
        watch.current(track.kind === 'video' ? 'camera' : 'microphone', track);
      setStream(media.stream);
      setNotice(media.notice);
      // Labels are there only once the camera or microphone was allowed: listed after. A device chosen
      // last time under another id (the browser gave out new ones) is found by its name and taken now.
      void listDevices().then(
        (lists) => {
          if (!open) return;
          setDevices(lists);
          live.current.devices = lists;
          for (const kind of ['camera', 'microphone'] as const) {
            const track = opened?.getTracks().find((each) => each.kind === TRACK_KIND[kind]);
            const wanted = rememberedIn(kind, lists);
            if (track && wanted && wanted.id !== deviceOf(track)) chooseRef.current(kind, wanted.id);
          }
          const speakerNow = rememberedIn('speaker', lists);
          if (speakerNow) setSpeaker(speakerNow.id);
        },
        () => undefined,
      );
    });
    navigator.mediaDevices?.addEventListener('devicechange', refreshDevices);
    return () => {
      open = false;
      navigator.mediaDevices?.removeEventListener('devicechange', refreshDevices);
      stopStream(live.current.stream ?? opened);
    };
  }, [refreshDevices]);

  const choose = useCallback(
    (kind: DeviceKind, id: string) => {
      rememberDevice(kind, id, live.current.devices[kind].find((device) => device.id === id)?.label ?? '');
      if (kind === 'speaker') return setSpeaker(id);
      void captureTrack(kind, id).then(
        (track) => {
          watch.current(kind, track);
          replace(kind, track);
        },
        () => say({ kind: 'failed', device: kind }),
      );
    },
    [replace, say],
  );

  const chooseRef = useRef(choose);
  chooseRef.current = choose;

  const available = {
    audio: (stream?.getAudioTracks().length ?? 0) > 0,
    video: (stream?.getVideoTracks().length ?? 0) > 0,
  };
  const current: DeviceChoice = {};
  const camera = deviceOf(stream?.getVideoTracks()[0]);
  const microphone = deviceOf(stream?.getAudioTracks()[0]);
  if (camera) current.camera = camera;
  if (microphone) current.microphone = microphone;
  if (speaker) current.speaker = speaker;

  const switchCamera = useCallback(() => {
    const cameras = devices.camera;
    const at = cameras.findIndex(
      (camera) => camera.id === deviceOf(live.current.stream?.getVideoTracks()[0]),
    );
    const next = cameras[(at + 1) % cameras.length];
    if (next && cameras.length > 1) choose('camera', next.id);
  }, [devices.camera, choose]);

  const toggle = useCallback(
    (kind: 'audio' | 'video') => {
      setEnabled((now) => {
        const next = { ...now, [kind]: !now[kind] };
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
    devices,
    current,
    choose,
    switchCamera,
    deviceNotice,
  };
}
