import { MAX_CPU_LEVEL } from './upload-budget.js';

/** Readings in a row that say "cpu" before the copies are lowered one level. */
const READINGS_TO_RISE = 2;
/** At least this long between two rises, so that the last one has shown its effect. */
const RISE_EVERY_MS = 10_000;
/** This long with no encoder held back by the CPU and the copies come up one level. */
const CALM_TO_FALL_MS = 60_000;

/** A camera copy sending fewer than this share of the frames it should is held back by the machine. */
const FRAMES_SHORT_SHARE = 0.7;

/**
 * Whether a camera copy sends clearly fewer frames a second (`sent`, the encoder's `framesPerSecond`) than
 * it is set to (`expected`: the camera's rate, or less where the split lowered it) while the network is
 * not what holds it back: the machine is. Chromium says "cpu" only when encoding itself runs late
 * (https://webrtc.googlesource.com/src/+/refs/heads/main/video/adaptation/overuse_frame_detector.cc); on
 * a machine starved by decoding and drawing everyone else's video its encoders say "none" and simply
 * make fewer frames, which this sees.
 */
export function framesFallShort(
  sent: number | undefined,
  expected: number,
  bandwidthLimited: boolean,
): boolean {
  if (sent === undefined || bandwidthLimited || expected < 5) return false;
  return sent < expected * FRAMES_SHORT_SHARE;
}

/**
 * How hard the machine's CPU holds the call back, from 0 to {@link MAX_CPU_LEVEL}, from the
 * `qualityLimitationReason` each reading of the stats gives (https://w3c.github.io/webrtc-stats/#dom-rtcqualitylimitationreason),
 * frames that fall short ({@link framesFallShort}), or the browser's word on the whole machine
 * (`machine-pressure.ts`).
 * It rises quickly (two readings in a row), and falls slowly (a minute without), so that a machine at the
 * edge does not swing between the two every few seconds.
 */
export class CpuPressure {
  #level = 0;
  #inARow = 0;
  #changedAt = Number.NEGATIVE_INFINITY;
  #lastLimitedAt: number | undefined;

  get level(): number {
    return this.#level;
  }

  /**
   * One reading: whether the machine is the limit (an encoder said "cpu", or the machine is critical).
   * `strained` (the machine serious, not critical) holds the level where it is: no rise, and no calm
   * minute counted towards a fall, which would only bring the machine back to the limit. Returns whether
   * the level changed.
   */
  observe(cpuLimited: boolean, now: number, strained = false): boolean {
    const before = this.#level;
    if (cpuLimited || strained) this.#lastLimitedAt = now;
    if (cpuLimited) {
      this.#inARow++;
      if (
        this.#inARow >= READINGS_TO_RISE &&
        now - this.#changedAt >= RISE_EVERY_MS &&
        this.#level < MAX_CPU_LEVEL
      ) {
        this.#level++;
        this.#inARow = 0;
        this.#changedAt = now;
      }
    } else {
      this.#inARow = 0;
      const calmSince = Math.max(this.#lastLimitedAt ?? Number.NEGATIVE_INFINITY, this.#changedAt);
      if (this.#level > 0 && now - calmSince >= CALM_TO_FALL_MS) {
        this.#level--;
        this.#changedAt = now;
      }
    }
    return this.#level !== before;
  }
}
