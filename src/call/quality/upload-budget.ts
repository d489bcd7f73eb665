import type { ViewMessage, ViewSize } from '../../protocol/index.js';

/**
 * How one person's video upload is shared among the copies they send in a mesh, one per other person.
 * Plain arithmetic, so it is tested without a browser; `quality-controller.ts` applies the result with
 * `RTCRtpSender.setParameters` (https://w3c.github.io/webrtc-pc/#dom-rtcrtpsender-setparameters), which
 * changes an encoding without a renegotiation.
 *
 * Each copy is worth what its receiver shows of it: no more pixels are sent than the tile has
 * (`scaleResolutionDownBy`), a copy nobody sees is paused (`active: false`), and when the budget is short a
 * shared screen is served first, then whoever the receiver pinned or hears speaking, then everyone else.
 */

/** What we send: the source of one kind of copy, as its track reports it. */
export interface SourceVideo {
  width: number;
  height: number;
  frameRate: number;
}

/** How a receiver shows us, as its last `view` message said; undefined before it said anything. */
export type ReceiverView = Omit<ViewMessage, 'kind'>;

/** What is set on a copy's one encoding. */
export interface EncodingPlan {
  active: boolean;
  /** Bits per second. */
  maxBitrate: number;
  /** 1 sends the source's size; 2 half its width and height. */
  scaleResolutionDownBy: number;
  maxFramerate: number;
}

export type CopyKind = 'camera' | 'screen';
export type PeerPlan = Partial<Record<CopyKind, EncodingPlan>>;

export interface BudgetInput {
  /** The person's whole video upload, bits per second. */
  budgetBps: number;
  /** Our camera, while it sends; undefined when it is off or absent. */
  camera?: SourceVideo | undefined;
  /** Our shared screen, while we share one. */
  screen?: SourceVideo | undefined;
  /** Every other person, with what they said of how they show us (undefined: nothing yet). */
  receivers: ReadonlyMap<string, ReceiverView | undefined>;
  /** How hard the encoders are pressed for CPU: 0 (not) to {@link MAX_CPU_LEVEL}. See {@link CpuPressure}. */
  cpuLevel?: number;
}

export const MAX_CPU_LEVEL = 3;

/**
 * Bits per pixel per frame a copy is worth at its size: VP8 and H.264 give a clear camera picture at about
 * 0.1 bpp (640×480 at 30 fps ≈ 0.9 Mbit/s); a screen, mostly still, stays sharp at far less per pixel.
 */
const BITS_PER_PIXEL: Record<CopyKind, number> = { camera: 0.1, screen: 0.05 };
/** No copy is worth more than this, whatever its size (Chromium's own ceiling for 640×480 is about 1.7 M). */
const MOST_PER_COPY: Record<CopyKind, number> = { camera: 1_700_000, screen: 2_500_000 };
/** Below this a copy is not worth sending at all; every visible copy gets at least this when it can. */
const LEAST_PER_COPY = 60_000;
/** Spare budget raises a copy up to this many times what its size is worth. */
const HEADROOM = 1.5;
/** A copy squeezed below this height by its bitrate gives up frames instead of more pixels. */
const LOWEST_HEIGHT_AT_FULL_RATE = 180;
const REDUCED_FRAME_RATE = 15;
/** What a receiver that saves data gets of us at most. */
const SAVER_COPY = { bitrate: 150_000, height: 180, frameRate: 15 };
/** Scales are rounded to this step so that a tile a few pixels larger changes nothing. */
const SCALE_STEP = 0.25;
/** The smallest picture ever sent: below it nothing can be recognised. */
const LOWEST_HEIGHT = 90;
/** Under CPU pressure a copy's width and height shrink by this much a step. */
const CPU_SCALE_STEP = 1.5;
/** Under CPU pressure pictures shrink to this height at the least before they give up frames. */
const LOWEST_HEIGHT_UNDER_CPU_PRESSURE = 120;

interface Copy {
  peer: string;
  kind: CopyKind;
  source: SourceVideo;
  /** 0: a screen; 1: pinned or speaking; 2: the rest. Lower comes first. */
  tier: number;
  /** Pixels shown on the receiver's screen (for the CPU order: the least seen gives way first). */
  shownArea: number;
  scale: number;
  frameRate: number;
  /** What the copy is worth at its scale and frame rate, bits per second. */
  worth: number;
  /** The most it may be given. */
  cap: number;
  bitrate: number;
}

/**
 * The encoding of every copy we send: which are paused, and each active one's bitrate, scale and frame rate,
 * so that the active ones' bitrates add up to at most `budgetBps`.
 *
 * @example
 * splitUploadBudget({
 *   budgetBps: 2_500_000,
 *   camera: { width: 640, height: 480, frameRate: 30 },
 *   receivers: new Map([['ann', { camera: { width: 320, height: 240 }, hidden: false, pinned: false, speaking: false, saver: false }]]),
 * }).get('ann')?.camera; // { active: true, scaleResolutionDownBy: 2, maxFramerate: 30, maxBitrate: … }
 */
export function splitUploadBudget(input: BudgetInput): Map<string, PeerPlan> {
  const plans = new Map<string, PeerPlan>();
  const copies: Copy[] = [];
  for (const [peer, view] of input.receivers) {
    const plan: PeerPlan = {};
    plans.set(peer, plan);
    for (const kind of ['camera', 'screen'] as const) {
      const source = input[kind];
      if (!source) continue;
      const copy = copyFor(peer, kind, source, view);
      if (copy) copies.push(copy);
      else plan[kind] = PAUSED;
    }
  }
  share(copies, Math.max(0, input.budgetBps));
  underCpuPressure(copies, input.cpuLevel ?? 0);
  for (const copy of copies) {
    const plan = plans.get(copy.peer)!;
    plan[copy.kind] = {
      active: true,
      maxBitrate: Math.floor(copy.bitrate),
      scaleResolutionDownBy: copy.scale,
      maxFramerate: copy.frameRate,
    };
  }
  return plans;
}

const PAUSED: EncodingPlan = {
  active: false,
  maxBitrate: LEAST_PER_COPY,
  scaleResolutionDownBy: 1,
  maxFramerate: 1,
};

/** One copy as its receiver shows it; undefined when the receiver sees none of it (paused). */
function copyFor(
  peer: string,
  kind: CopyKind,
  source: SourceVideo,
  view: ReceiverView | undefined,
): Copy | undefined {
  // A receiver that has said nothing (yet, or ever: an older page) gets the whole picture, as before.
  const shown = view ? view[kind] : { width: source.width, height: source.height };
  if (view?.hidden || !shown) return undefined;
  let scale = scaleFor(source, shown);
  let frameRate = source.frameRate;
  let cap = MOST_PER_COPY[kind];
  if (view?.saver) {
    scale = Math.max(scale, Math.ceil(source.height / SAVER_COPY.height / SCALE_STEP) * SCALE_STEP);
    frameRate = Math.min(frameRate, SAVER_COPY.frameRate);
    cap = SAVER_COPY.bitrate;
  }
  const tier = kind === 'screen' ? 0 : view?.pinned || view?.speaking ? 1 : 2;
  const copy: Copy = {
    peer,
    kind,
    source,
    tier,
    shownArea: shown.width * shown.height,
    scale,
    frameRate,
    worth: 0,
    cap,
    bitrate: 0,
  };
  copy.worth = Math.min(cap, worthOf(copy));
  return copy;
}

/** No more pixels than the tile shows: the smaller of the two ratios, so the picture covers the tile. */
function scaleFor(source: SourceVideo, shown: ViewSize): number {
  const ratio = Math.min(source.width / shown.width, source.height / shown.height);
  return roundScale(Math.max(1, ratio));
}

/** Down to the step below, so a copy never has fewer pixels than its tile; never under 1. */
function roundScale(scale: number): number {
  return Math.max(1, Math.floor(scale / SCALE_STEP) * SCALE_STEP);
}

function worthOf({ kind, source, scale, frameRate }: Copy): number {
  return ((source.width * source.height) / (scale * scale)) * frameRate * BITS_PER_PIXEL[kind];
}

/**
 * Shares `budget` among `copies`: first a little for each, so that none is starved; then tier by tier, each
 * copy up to its worth (a tier that cannot have it all shares what is left in proportion); then what is
 * still left, up to {@link HEADROOM} times each copy's worth. A copy given less than its worth sends fewer
 * pixels (and, very small, fewer frames) rather than a blurred full-size picture.
 */
function share(copies: Copy[], budget: number): void {
  if (copies.length === 0) return;
  const floors = copies.reduce((sum, copy) => sum + Math.min(LEAST_PER_COPY, copy.worth), 0);
  if (floors >= budget) {
    for (const copy of copies) copy.bitrate = budget / copies.length;
  } else {
    let left = budget - floors;
    for (const copy of copies) copy.bitrate = Math.min(LEAST_PER_COPY, copy.worth);
    for (const tier of [0, 1, 2]) {
      const members = copies.filter((copy) => copy.tier === tier);
      left = raise(members, left, (copy) => copy.worth);
    }
    raise(copies, left, (copy) => Math.min(copy.cap, copy.worth * HEADROOM));
  }
  for (const copy of copies) if (copy.bitrate < copy.worth) shrinkToFit(copy);
}

/** Raises each copy towards `target`, sharing `left` in proportion to what each lacks; returns what is left. */
function raise(copies: readonly Copy[], left: number, target: (copy: Copy) => number): number {
  const lacking = copies.reduce((sum, copy) => sum + Math.max(0, target(copy) - copy.bitrate), 0);
  if (lacking <= 0 || left <= 0) return left;
  const share = Math.min(1, left / lacking);
  for (const copy of copies) copy.bitrate += Math.max(0, target(copy) - copy.bitrate) * share;
  return left - Math.min(left, lacking);
}

/** Fewer pixels for a copy given less than its worth, then fewer frames once it is very small. */
function shrinkToFit(copy: Copy): void {
  const needed = (scale: number, frameRate: number) => worthOf({ ...copy, scale, frameRate });
  const lowest = Math.max(1, copy.source.height / LOWEST_HEIGHT);
  const at = (frameRate: number) =>
    Math.min(
      lowest,
      Math.max(copy.scale, copy.scale * Math.sqrt(needed(copy.scale, frameRate) / copy.bitrate)),
    );
  let scale = at(copy.frameRate);
  if (copy.source.height / scale < LOWEST_HEIGHT_AT_FULL_RATE && copy.frameRate > REDUCED_FRAME_RATE) {
    copy.frameRate = REDUCED_FRAME_RATE;
    scale = at(copy.frameRate);
  }
  copy.scale = Math.max(copy.scale, Math.ceil(scale / SCALE_STEP) * SCALE_STEP);
}

/**
 * The machine cannot keep up (see `cpu-pressure.ts`): the least visible camera copies give way first,
 * pixels before frames. Each level lowers one more third of the copies, and those already lowered lower
 * again, by {@link CPU_SCALE_STEP} in width and height a step (less than half the pixels each: more CPU
 * saved than going from 20 frames to 15, and motion stays smooth). A copy gives up frames only once its
 * pixels are down to {@link LOWEST_HEIGHT_UNDER_CPU_PRESSURE}. Screens and the copies someone pinned or hears
 * speaking are the last to give way.
 */
function underCpuPressure(copies: readonly Copy[], level: number): void {
  const cameras = copies
    .filter((copy) => copy.kind === 'camera')
    .sort((a, b) => b.tier - a.tier || a.shownArea - b.shownArea);
  const top = Math.min(level, MAX_CPU_LEVEL);
  cameras.forEach((copy, index) => {
    // The least visible copy gives way from the first level, the most visible at the last.
    const steps = top - Math.floor((index * MAX_CPU_LEVEL) / cameras.length);
    if (steps <= 0) return;
    const lowest = Math.max(1, copy.source.height / LOWEST_HEIGHT_UNDER_CPU_PRESSURE);
    const fewer = Math.min(copy.scale * CPU_SCALE_STEP ** steps, lowest);
    copy.scale = Math.max(copy.scale, Math.ceil(fewer / SCALE_STEP) * SCALE_STEP);
    if (copy.source.height / copy.scale <= LOWEST_HEIGHT_UNDER_CPU_PRESSURE + 1)
      copy.frameRate = Math.min(copy.frameRate, REDUCED_FRAME_RATE);
  });
}
