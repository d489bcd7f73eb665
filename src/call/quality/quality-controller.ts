import { ViewMessage, type PeerId, type ViewSize } from '../../protocol/index.js';
import type { PeerChannel } from '../peer-channel.js';
import type { RemotePeer } from '../remote-peer.js';
import type { CpuPressure } from './cpu-pressure.js';
import type { MachinePressure, PressureState } from './machine-pressure.js';
import type { CopyKind, PeerPlan, ReceiverView, SourceVideo } from './upload-budget.js';

import type * as AdaptModule from './adapt.js';

type Adapt = typeof AdaptModule;

/** The default budget: a home connection's upload leaves this much for video with room to spare. */
export const DEFAULT_UPLOAD_BUDGET_BPS = 2_500_000;
/** Data saver's whole upload, under the half megabit it promises with room for an encoder's overshoot. */
export const SAVER_UPLOAD_BPS = 400_000;

/** How hard the machine is pressed, as the adaptation sees it (Call details' diagnostics report it). */
export interface MachineLoad {
  /** How far the copies are lowered for the CPU, 0 to `maxLevel`. */
  level: number;
  maxLevel: number;
  /** The browser's word on the whole machine's CPU; undefined where it gives none. */
  pressure: PressureState | undefined;
}

/** How we show one remote person: what the page tells the controller, and the controller tells them. */
export interface LocalView {
  /** Their camera's tile on our screen, in device pixels; absent when we do not show it. */
  camera?: ViewSize;
  screen?: ViewSize;
  pinned: boolean;
  speaking: boolean;
}

export interface QualityControllerOptions {
  channel: PeerChannel;
  /** Everyone in the room now. */
  peers: () => Iterable<RemotePeer>;
  /** Our camera, when we have one, and whether it is on. */
  camera: () => MediaStreamTrack | undefined;
  /** Our shared screen's picture, while we share one. */
  screen: () => MediaStreamTrack | undefined;
  /** Whether to adapt at all: off, nothing is said or set (Chromium's own behaviour; a benchmark's switch). */
  enabled: boolean;
  onError: (error: unknown) => void;
}

/** How often the copies are looked at again: a rebuilt connection's new senders, the CPU's latest word. */
const CHECK_EVERY_MS = 2000;
/** Sizes are told in steps of this many pixels, so a window dragged wider does not send a message a frame. */
const SIZE_STEP = 16;

/**
 * The quality adaptation of one call: tells each person how we show them (`view` messages), and shares our
 * upload among the copies we send by what each of them shows of us (see `upload-budget.ts`), paused where
 * nobody sees them, lowered where the CPU cannot keep up.
 */
export class QualityController {
  readonly #options: QualityControllerOptions;
  /** What each receiver last said of how it shows us. */
  readonly #views = new WeakMap<RemotePeer, ReceiverView>();
  /** What we last told each person, as sent, so that only a change is sent again. */
  readonly #told = new WeakMap<RemotePeer, string>();
  #local = new Map<PeerId, LocalView>();
  #hidden = false;
  #saver = false;
  #serverBudget = DEFAULT_UPLOAD_BUDGET_BPS;
  #chosenBudget: number | undefined;
  /** The split, the encodings and the stats reader, once loaded (see {@link load}). */
  #adapt: { module: Adapt; cpu: CpuPressure; machine: MachinePressure } | undefined;
  #closed = false;
  /** What {@link apply} last set for each person. */
  #plans = new Map<PeerId, PeerPlan>();
  #loading: Promise<void> | undefined;
  readonly #timer: ReturnType<typeof setInterval>;
  readonly #stopHandling: () => void;

  constructor(options: QualityControllerOptions) {
    this.#options = options;
    this.#stopHandling = options.channel.handle('view', ViewMessage, (peer, { kind: _, ...view }) => {
      this.#views.set(peer, view);
      this.apply();
    });
    this.#timer = setInterval(() => this.#check(), CHECK_EVERY_MS);
  }

  /** Our video upload now, bits per second: the chosen budget or the server's, Data saver's when lower. */
  get budgetBps(): number {
    const budget = this.#chosenBudget ?? this.#serverBudget;
    return this.#saver ? Math.min(budget, SAVER_UPLOAD_BPS) : budget;
  }

  /** How hard the machine is pressed; undefined until the adaptation is loaded, or when it is off. */
  get machineLoad(): MachineLoad | undefined {
    if (!this.#adapt || !this.#options.enabled) return undefined;
    const { cpu, machine, module } = this.#adapt;
    return { level: cpu.level, maxLevel: module.MAX_CPU_LEVEL, pressure: machine.state };
  }

  get saver(): boolean {
    return this.#saver;
  }

  /** The server's default budget, from the join. */
  set serverBudget(bps: number) {
    this.#serverBudget = bps;
    this.apply();
  }

  /** The person's own budget (Settings), or undefined for the server's. */
  set chosenBudget(bps: number | undefined) {
    this.#chosenBudget = bps;
    this.apply();
  }

  /** Data saver: our upload under half a megabit, and everyone asked to send us small copies. */
  set saver(on: boolean) {
    if (on === this.#saver) return;
    this.#saver = on;
    this.#tellEveryone();
    this.apply();
  }

  /** How we show each person now, and whether our page is hidden (then we show nobody). */
  setLocalViews(views: ReadonlyMap<PeerId, LocalView>, hidden: boolean): void {
    this.#local = new Map(views);
    this.#hidden = hidden;
    this.#tellEveryone();
  }

  /** A connection to `peer` is up (the first, or a repaired one): it hears how we show it, and gets its copy. */
  connected(peer: RemotePeer): void {
    this.#told.delete(peer);
    this.#tell(peer);
    this.apply();
  }

  /**
   * Loads what the adaptation needs to act (`adapt.ts`), once the call has begun; a failed load (the server
   * away for a moment) is tried again at the next check. Until then nothing is set: copies go as the browser
   * sends them.
   */
  load(): Promise<void> {
    this.#loading ??= import('./adapt.js').then(
      (module) => {
        if (this.#closed) return;
        // Turned off, nothing is adapted: the browser is not asked either.
        const machine = new module.MachinePressure(this.#options.enabled ? undefined : null);
        this.#adapt = { module, cpu: new module.CpuPressure(), machine };
        this.apply();
      },
      () => {
        this.#loading = undefined;
      },
    );
    return this.#loading;
  }

  /** Reads one connection's media stats (see `media-stats.ts`), once {@link load} has brought the reader. */
  get readMediaStats(): Adapt['readMediaStats'] | undefined {
    return this.#adapt?.module.readMediaStats;
  }

  /**
   * Sets every copy's encoding as the budget split says. Never throws: it runs from timers and promise
   * callbacks, where an exception would end a Node process (a headless peer); a failure goes to `onError`.
   */
  apply(): void {
    try {
      this.#apply();
    } catch (error) {
      this.#options.onError(error);
    }
  }

  #apply(): void {
    const adapt = this.#adapt;
    if (!this.#options.enabled || !adapt) return;
    const peers = [...this.#options.peers()];
    const plans = adapt.module.splitUploadBudget({
      budgetBps: this.budgetBps,
      camera: sourceOf(this.#options.camera()),
      screen: sourceOf(this.#options.screen()),
      receivers: new Map(peers.map((peer) => [peer.info.id, this.#views.get(peer)])),
      cpuLevel: adapt.cpu.level,
    });
    this.#plans = plans;
    for (const peer of peers) {
      const plan = plans.get(peer.info.id);
      for (const kind of ['camera', 'screen'] as const satisfies readonly CopyKind[]) {
        const encoding = plan?.[kind];
        const sender = peer.session.videoSender(kind);
        if (encoding && sender) adapt.module.applyEncoding(sender, encoding, this.#options.onError);
      }
    }
  }

  close(): void {
    this.#closed = true;
    this.#adapt?.machine.stop();
    clearInterval(this.#timer);
    this.#stopHandling();
  }

  /**
   * Reads the encoders' and the browser's latest word on the CPU, and sets the copies again (new senders
   * after a rebuild).
   */
  #check(): void {
    if (!this.#adapt) {
      void this.load();
      return;
    }
    if (!this.#options.enabled) return;
    const peers = [...this.#options.peers()];
    const machine = this.#adapt.machine.state;
    const cpuLimited = machine === 'critical' || peers.some((peer) => this.#heldBackByMachine(peer));
    this.#adapt.cpu.observe(cpuLimited, performance.now(), machine === 'serious');
    this.apply();
  }

  /** Whether our latest reading of `peer`'s connection shows an encoder the machine holds back. */
  #heldBackByMachine(peer: RemotePeer): boolean {
    const sample = peer.history().at(-1);
    if (!sample || !this.#adapt) return false;
    if (sample.cpuLimited) return true;
    const camera = sourceOf(this.#options.camera());
    const copy = this.#plans.get(peer.info.id)?.camera;
    // The largest stream sent is the camera's only while no screen is shared.
    if (!camera || !copy?.active || this.#options.screen()) return false;
    const expected = Math.min(camera.frameRate, copy.maxFramerate);
    return this.#adapt.module.framesFallShort(sample.sent?.frameRate, expected, sample.bandwidthLimited);
  }

  #tellEveryone(): void {
    for (const peer of this.#options.peers()) this.#tell(peer);
  }

  #tell(peer: RemotePeer): void {
    if (!this.#options.enabled || peer.session.phase.kind !== 'connected') return;
    const local = this.#local.get(peer.info.id);
    const message: ViewMessage = {
      kind: 'view',
      ...(!this.#hidden && local?.camera && { camera: stepped(local.camera) }),
      ...(!this.#hidden && local?.screen && { screen: stepped(local.screen) }),
      hidden: this.#hidden,
      pinned: local?.pinned ?? false,
      speaking: local?.speaking ?? false,
      saver: this.#saver,
    };
    const frame = JSON.stringify(message);
    if (this.#told.get(peer) === frame) return;
    this.#told.set(peer, frame);
    peer.session.send(message);
  }
}

/** A size in steps of {@link SIZE_STEP}, rounded up, within what a view message may say. */
function stepped({ width, height }: ViewSize): ViewSize {
  const step = (value: number, most: number) =>
    Math.min(most, Math.max(SIZE_STEP, Math.ceil(value / SIZE_STEP) * SIZE_STEP));
  return { width: step(width, 7680), height: step(height, 4320) };
}

/**
 * What a track sends, as its settings say; undefined for no track, one switched off, or one that cannot say
 * (a Node peer's werift track has no `getSettings`: its copies are left as the peer sends them).
 */
function sourceOf(track: MediaStreamTrack | undefined): SourceVideo | undefined {
  if (!track || !track.enabled || track.readyState === 'ended') return undefined;
  if (typeof track.getSettings !== 'function') return undefined;
  const { width, height, frameRate } = track.getSettings();
  if (!width || !height) return undefined;
  return { width, height, frameRate: frameRate && frameRate > 0 ? Math.round(frameRate) : 30 };
}
