import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { installFakeMediaStream } from '../../test/support/fake-rtc.js';
import { ScreenReceiver, ScreenSender } from './screen-share.js';

function track(kind: 'audio' | 'video', id: string = kind): MediaStreamTrack {
  return { kind, id } as MediaStreamTrack;
}

interface FakeTransceiver {
  mid: string | null;
  direction: RTCRtpTransceiverDirection;
  sender: { track: MediaStreamTrack | null; replaceTrack: (track: MediaStreamTrack | null) => Promise<void> };
  receiver: { track: MediaStreamTrack };
}

function transceiver(mid: string | null, kind: 'audio' | 'video', sending: MediaStreamTrack | null = null) {
  const made: FakeTransceiver = {
    mid,
    direction: 'sendonly',
    sender: {
      track: sending,
      replaceTrack: vi.fn((next: MediaStreamTrack | null) => {
        made.sender.track = next;
        return Promise.resolve();
      }),
    },
    receiver: { track: track(kind, `remote-${mid ?? kind}`) },
  };
  return made;
}

/** A connection that only makes transceivers: what the sender touches. */
function sendingConnection() {
  const made: FakeTransceiver[] = [];
  const pc = {
    addTransceiver: vi.fn((sending: MediaStreamTrack) => {
      const one = transceiver(null, sending.kind as 'audio' | 'video', sending);
      made.push(one);
      return one;
    }),
  };
  return { pc: pc as unknown as RTCPeerConnection, made, addTransceiver: pc.addTransceiver };
}

function screenStream(...tracks: MediaStreamTrack[]): MediaStream {
  return { getTracks: () => tracks } as unknown as MediaStream;
}

describe('ScreenSender', () => {
  it('announces the mids once negotiated, and only when they change', () => {
    const { pc, made } = sendingConnection();
    const sender = new ScreenSender(pc);
    sender.apply(screenStream(track('video'), track('audio')));
    expect(made).toHaveLength(2);
    // Not negotiated yet: nothing to say.
    expect(sender.announcement()).toBeUndefined();
    made[0]!.mid = '2';
    made[1]!.mid = '3';
    expect(sender.announcement()).toEqual({ kind: 'screen-share', mids: ['2', '3'] });
    expect(sender.announcement()).toBeUndefined();
  });

  it('stops by taking the tracks off, and shares again on the same transceivers', () => {
    const { pc, made, addTransceiver } = sendingConnection();
    const sender = new ScreenSender(pc);
    sender.apply(screenStream(track('video')));
    made[0]!.mid = '2';
    sender.announcement();

    sender.apply(null);
    expect(made[0]!.direction).toBe('inactive');
    expect(made[0]!.sender.replaceTrack).toHaveBeenCalledWith(null);
    expect(sender.announcement()).toEqual({ kind: 'screen-share', mids: [] });

    const again = track('video', 'second');
    sender.apply(screenStream(again));
    expect(addTransceiver).toHaveBeenCalledTimes(1);
    expect(made[0]!.direction).toBe('sendonly');
    expect(made[0]!.sender.track).toBe(again);
    expect(sender.announcement()).toEqual({ kind: 'screen-share', mids: ['2'] });
  });

  it('says nothing on a connection that never shared', () => {
    const sender = new ScreenSender(sendingConnection().pc);
    sender.apply(null);
    expect(sender.announcement()).toBeUndefined();
  });
});

describe('ScreenReceiver', () => {
  let undo: () => void;
  beforeAll(() => (undo = installFakeMediaStream()));
  afterAll(() => undo());

  function receiving() {
    const camera = transceiver('0', 'video');
    const microphone = transceiver('1', 'audio');
    const screen = transceiver('2', 'video');
    const all = [microphone, camera, screen];
    const pc = { getTransceivers: () => all } as unknown as RTCPeerConnection;
    const cameraStream = new MediaStream();
    cameraStream.addTrack(microphone.receiver.track);
    cameraStream.addTrack(camera.receiver.track);
    return { pc, camera, screen, cameraStream, receiver: new ScreenReceiver() };
  }

  it('moves a track that came before its announcement out of the camera stream', () => {
    const { pc, camera, screen, cameraStream, receiver } = receiving();
    // The track event found no announcement: the session put the track with the camera's.
    expect(receiver.isScreen(screen.mid)).toBe(false);
    cameraStream.addTrack(screen.receiver.track);

    receiver.announced(['2'], pc, cameraStream);
    expect(receiver.stream.getTracks()).toEqual([screen.receiver.track]);
    expect(cameraStream.getTracks()).not.toContain(screen.receiver.track);
    expect(cameraStream.getTracks()).toContain(camera.receiver.track);
    expect(receiver.sharing).toBe(true);
  });

  it('takes a track that comes after its announcement straight into the screen stream', () => {
    const { pc, screen, cameraStream, receiver } = receiving();
    receiver.announced(['2'], pc, cameraStream);
    expect(receiver.isScreen('2')).toBe(true);
    receiver.addTrack(screen as unknown as RTCRtpTransceiver);
    expect(receiver.stream.getTracks()).toEqual([screen.receiver.track]);
  });

  it('ends the screen when the mids are taken back, and never gives them to the camera again', () => {
    const { pc, screen, cameraStream, receiver } = receiving();
    receiver.announced(['2'], pc, cameraStream);
    receiver.announced([], pc, cameraStream);
    expect(receiver.sharing).toBe(false);
    expect(receiver.isScreen('2')).toBe(true);
    receiver.addTrack(screen as unknown as RTCRtpTransceiver);
    expect(receiver.sharing).toBe(false);
    expect(cameraStream.getTracks()).not.toContain(screen.receiver.track);
  });
});
