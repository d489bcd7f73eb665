import { useEffect, useState } from 'preact/hooks';
import { LocalLevelMeter } from './local-level.js';
import { SpeakingDetector } from './speaking.js';

/** Our own voice's key among the people's ids: peer ids are never empty. */
export const SELF_VOICE = '';
/**
 * Levels are read 20 times a second: the level a receiver reports is that of its latest packet (20 ms of
 * sound), so a slower reading would miss short syllables. Each reading is a few property reads per person.
 */
const SAMPLE_MS = 50;

export interface Speaking {
  /** Who speaks now: peer ids, and {@link SELF_VOICE} for ourselves. */
  voices: ReadonlySet<string>;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}

/**
 * Who is speaking in the call: remote people from what their connections receive (`levels`), ourselves from
 * our microphone, heard even while muted so that the page can tell us. State changes only when the set
 * does, so the call is not drawn again 20 times a second.
 */
export function useSpeaking(
  levels: () => ReadonlyMap<string, number>,
  microphone: MediaStreamTrack | undefined,
): Speaking {
  const [voices, setVoices] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let meter: LocalLevelMeter | undefined;
    try {
      meter = microphone && typeof AudioContext === 'function' ? new LocalLevelMeter(microphone) : undefined;
    } catch {
      // No Web Audio for this track: our own voice is then simply not shown.
    }
    const detector = new SpeakingDetector();
    const timer = setInterval(() => {
      const sample = new Map(levels());
      if (meter) sample.set(SELF_VOICE, meter.level());
      const now = detector.update(sample, performance.now());
      setVoices((before) => (sameSet(before, now) ? before : now));
    }, SAMPLE_MS);
    return () => {
      clearInterval(timer);
      meter?.stop();
    };
  }, [levels, microphone]);
  return { voices };
}
