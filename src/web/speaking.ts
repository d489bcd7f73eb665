/**
 * Who is speaking, from audio levels sampled many times a second, without flicker: a voice is marked once
 * {@link LOUD_SAMPLES} loud samples fall within {@link START_WINDOW_MS} (one click or knock is not speech)
 * and unmarked only after {@link HOLD_MS} of quiet, so the pauses between words keep the outline on.
 */

/** Linear audio level (0 to 1, RMS) above which a sample counts as voice: about -26 dBov. */
export const SPEAKING_LEVEL = 0.05;
export const LOUD_SAMPLES = 2;
export const START_WINDOW_MS = 600;
export const HOLD_MS = 800;

interface Voice {
  /** Times of the recent loud samples, newest last, at most {@link LOUD_SAMPLES}. */
  loud: number[];
  speaking: boolean;
}

export class SpeakingDetector {
  readonly #voices = new Map<string, Voice>();

  /**
   * Takes one sample per person (`levels`: id → level) at `now` (ms) and returns who is speaking. People
   * missing from `levels` are forgotten.
   */
  update(levels: ReadonlyMap<string, number>, now: number): Set<string> {
    for (const id of this.#voices.keys()) if (!levels.has(id)) this.#voices.delete(id);
    const speaking = new Set<string>();
    for (const [id, level] of levels) {
      const voice = this.#voices.get(id) ?? { loud: [], speaking: false };
      this.#voices.set(id, voice);
      if (level >= SPEAKING_LEVEL) {
        voice.loud = [...voice.loud, now].slice(-LOUD_SAMPLES);
        const first = voice.loud[0] ?? now;
        if (voice.loud.length >= LOUD_SAMPLES && now - first <= START_WINDOW_MS) voice.speaking = true;
      } else if (now - (voice.loud.at(-1) ?? -Infinity) > HOLD_MS) {
        voice.speaking = false;
      }
      if (voice.speaking) speaking.add(id);
    }
    return speaking;
  }
}
