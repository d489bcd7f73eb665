import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ViewMessage } from '../../protocol/index.js';
import { PeerChannel } from '../peer-channel.js';
import type { RemotePeer } from '../remote-peer.js';
import { QualityController } from './quality-controller.js';

/** A sender whose one encoding records what is set on it. */
function fakeSender() {
  const encoding: RTCRtpEncodingParameters = { active: true };
  return {
    encoding,
    getParameters: () => ({ encodings: [encoding] }) as unknown as RTCRtpSendParameters,
    setParameters: vi.fn((parameters: RTCRtpSendParameters) => {
      Object.assign(encoding, parameters.encodings[0]);
      return Promise.resolve();
    }),
  };
}

/** A remote person as the controller sees one: what it sends them, and the sender of our camera to them. */
function fakePeer(id: string, history: unknown[] = []) {
  const sent: unknown[] = [];
  const camera = fakeSender();
  const peer = {
    info: { id, name: id },
    session: {
      phase: { kind: 'connected' },
      send: (message: unknown) => sent.push(message),
      videoSender: (kind: string) => (kind === 'camera' ? camera : undefined),
    },
    history: () => history,
  };
  return { peer: peer as unknown as RemotePeer, sent, camera };
}

const cameraTrack = {
  enabled: true,
  readyState: 'live',
  getSettings: () => ({ width: 640, height: 480, frameRate: 30 }),
} as unknown as MediaStreamTrack;

describe('QualityController', () => {
  const controllers: QualityController[] = [];
  afterEach(() => {
    for (const controller of controllers.splice(0)) controller.close();
  });

  function controllerFor(peers: RemotePeer[], channel = new PeerChannel()) {
    const controller = new QualityController({
      channel,
      peers: () => peers,
      camera: () => cameraTrack,
      screen: () => undefined,
      enabled: true,
      onError: (error) => {
        throw error;
      },
    });
    controllers.push(controller);
    return controller;
  }

  it('tells each person how we show them, in steps of 16 pixels, and only when that changed', () => {
    const ann = fakePeer('ann');
    const controller = controllerFor([ann.peer]);
    const views = new Map([['ann', { camera: { width: 401, height: 225 }, pinned: true, speaking: false }]]);
    controller.setLocalViews(views, false);
    controller.setLocalViews(new Map(views), false);
    expect(ann.sent).toEqual([
      {
        kind: 'view',
        camera: { width: 416, height: 240 },
        hidden: false,
        pinned: true,
        speaking: false,
        saver: false,
      },
    ]);
    controller.setLocalViews(views, true);
    expect(ann.sent.at(-1)).toEqual({
      kind: 'view',
      hidden: true,
      pinned: true,
      speaking: false,
      saver: false,
    });
    controller.saver = true;
    expect(ann.sent.at(-1)).toMatchObject({ saver: true });
    // A repaired connection hears it again, changed or not.
    controller.connected(ann.peer);
    expect(ann.sent).toHaveLength(4);
  });

  it('sets each copy as the receivers say, once the budget split is loaded', async () => {
    const channel = new PeerChannel();
    const ann = fakePeer('ann');
    const bob = fakePeer('bob');
    const controller = controllerFor([ann.peer, bob.peer], channel);
    controller.serverBudget = 1_000_000;
    await controller.load();
    const view = (change: Partial<ViewMessage>): string =>
      JSON.stringify({
        kind: 'view',
        hidden: false,
        pinned: false,
        speaking: false,
        saver: false,
        ...change,
      });
    channel.receive(ann.peer, view({ camera: { width: 320, height: 240 } }));
    channel.receive(bob.peer, view({ hidden: true }));
    await Promise.resolve();
    expect(ann.camera.encoding).toMatchObject({ active: true, scaleResolutionDownBy: 2 });
    expect(bob.camera.encoding.active).toBe(false);
    expect(ann.camera.encoding.maxBitrate).toBeLessThanOrEqual(1_000_000);
  });

  it('lowers the copies when the encoder makes too few frames and the network is not why', async () => {
    vi.useFakeTimers();
    try {
      const reading = (frameRate: number, bandwidthLimited: boolean) => ({
        sent: { frameRate },
        cpuLimited: false,
        bandwidthLimited,
      });
      const starved = [reading(12, false)];
      const squeezed = [reading(12, true)];
      const ann = fakePeer('ann', starved);
      const bob = fakePeer('bob', squeezed);
      const annChannel = new PeerChannel();
      const bobChannel = new PeerChannel();
      controllerFor([ann.peer], annChannel);
      controllerFor([bob.peer], bobChannel);
      const view = JSON.stringify({
        kind: 'view',
        camera: { width: 640, height: 480 },
        hidden: false,
        pinned: false,
        speaking: false,
        saver: false,
      });
      await vi.advanceTimersByTimeAsync(2100);
      annChannel.receive(ann.peer, view);
      bobChannel.receive(bob.peer, view);
      expect(ann.camera.encoding).toMatchObject({ maxFramerate: 30, scaleResolutionDownBy: 1 });
      // 12 of the camera's 30 frames a second, twice in a row: the machine holds the encoder back.
      await vi.advanceTimersByTimeAsync(4000);
      expect(ann.camera.encoding).toMatchObject({ maxFramerate: 30, scaleResolutionDownBy: 1.5 });
      // The same shortfall with the bandwidth estimate as the reason is the network's to answer.
      expect(bob.camera.encoding).toMatchObject({ maxFramerate: 30, scaleResolutionDownBy: 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('lowers the copies while the browser says the machine is critical, though every encoder keeps up', async () => {
    vi.useFakeTimers();
    let report: (state: string) => void = () => undefined;
    vi.stubGlobal(
      'PressureObserver',
      class {
        constructor(callback: (records: { state: string }[]) => void) {
          report = (state) => callback([{ state }]);
        }
        observe = () => Promise.resolve();
        disconnect = () => undefined;
      },
    );
    try {
      const keepingUp = [{ sent: { frameRate: 30 }, cpuLimited: false, bandwidthLimited: false }];
      const ann = fakePeer('ann', keepingUp);
      const channel = new PeerChannel();
      const controller = controllerFor([ann.peer], channel);
      await controller.load();
      channel.receive(
        ann.peer,
        JSON.stringify({
          kind: 'view',
          camera: { width: 640, height: 480 },
          hidden: false,
          pinned: false,
          speaking: false,
          saver: false,
        }),
      );
      report('serious');
      await vi.advanceTimersByTimeAsync(8000);
      expect(ann.camera.encoding).toMatchObject({ scaleResolutionDownBy: 1 });
      report('critical');
      await vi.advanceTimersByTimeAsync(4000);
      expect(ann.camera.encoding.scaleResolutionDownBy).toBeGreaterThan(1);
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });

  it('never throws where a track cannot say its size (a Node peer’s), and leaves its copies alone', async () => {
    const ann = fakePeer('ann');
    const errors: unknown[] = [];
    const controller = new QualityController({
      channel: new PeerChannel(),
      peers: () => [ann.peer],
      camera: () => ({ enabled: true, readyState: 'live' }) as unknown as MediaStreamTrack,
      screen: () => undefined,
      enabled: true,
      onError: (error) => errors.push(error),
    });
    controllers.push(controller);
    await controller.load();
    controller.apply();
    expect(errors).toEqual([]);
    expect(ann.camera.setParameters).not.toHaveBeenCalled();
  });

  it('sets nothing when turned off, and says nothing', async () => {
    const ann = fakePeer('ann');
    const controller = new QualityController({
      channel: new PeerChannel(),
      peers: () => [ann.peer],
      camera: () => cameraTrack,
      screen: () => undefined,
      enabled: false,
      onError: () => undefined,
    });
    controllers.push(controller);
    await controller.load();
    controller.setLocalViews(new Map([['ann', { pinned: false, speaking: false }]]), false);
    controller.apply();
    expect(ann.sent).toEqual([]);
    expect(ann.camera.setParameters).not.toHaveBeenCalled();
    // The stats reader comes all the same: Call details and the data used need it.
    expect(controller.readMediaStats).toBeTypeOf('function');
  });
});
