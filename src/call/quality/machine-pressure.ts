/**
 * What the browser says of the whole machine's CPU (the Compute Pressure API,
 * https://www.w3.org/TR/compute-pressure/): `nominal`, `fair`, `serious` or `critical`. Chromium and Edge
 * have it; elsewhere, and in a Node peer, the state stays unknown and only the encoders' own word counts.
 *
 * It sees what the encoders do not: in a call of four on a small laptop the CPU goes to decoding and
 * drawing everyone else's video, the encoders still keep up, and the machine is critical all the same.
 */
export type PressureState = 'nominal' | 'fair' | 'serious' | 'critical';

/** The part of the API used here (TypeScript's DOM types do not have it yet). */
export interface PressureObserverLike {
  observe(source: 'cpu', options?: { sampleInterval?: number }): Promise<void>;
  disconnect(): void;
}
export type PressureObserverConstructor = new (
  callback: (records: readonly { state: PressureState }[]) => void,
) => PressureObserverLike;

/** As often as the quality adaptation looks again (quality-controller.ts): a faster one would be unheard. */
const SAMPLE_INTERVAL_MS = 2000;

/** The machine's CPU pressure as last reported. */
export class MachinePressure {
  #state: PressureState | undefined;
  #observer: PressureObserverLike | undefined;

  /** `Observer`: the browser's by default; null for none. */
  constructor(
    Observer: PressureObserverConstructor | null = (
      globalThis as { PressureObserver?: PressureObserverConstructor }
    ).PressureObserver ?? null,
  ) {
    if (typeof Observer !== 'function') return;
    try {
      const observer = new Observer((records) => {
        this.#state = records.at(-1)?.state ?? this.#state;
      });
      this.#observer = observer;
      // Refused where a permissions policy forbids it, or where the platform cannot measure: then unknown.
      observer.observe('cpu', { sampleInterval: SAMPLE_INTERVAL_MS }).catch(() => this.stop());
    } catch {
      this.stop();
    }
  }

  /** The latest state; undefined before the first report and where the browser cannot tell. */
  get state(): PressureState | undefined {
    return this.#state;
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = undefined;
    this.#state = undefined;
  }
}
