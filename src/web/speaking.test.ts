import { describe, expect, it } from 'vitest';
import { HOLD_MS, SpeakingDetector } from './speaking.js';

const LOUD = 0.3;
const QUIET = 0.001;
const STEP_MS = 50;

/** Feeds one person's levels every 50 ms and says, after each, whether they were marked as speaking. */
function run(levels: number[]): boolean[] {
  const detector = new SpeakingDetector();
  return levels.map((level, i) => detector.update(new Map([['ann', level]]), i * STEP_MS).has('ann'));
}

const quiet = (samples: number) => Array<number>(samples).fill(QUIET);

describe('SpeakingDetector', () => {
  it('does not take a single click, or two far apart, for speech', () => {
    expect(run([LOUD, ...quiet(30)]).some(Boolean)).toBe(false);
    expect(run([LOUD, ...quiet(20), LOUD, ...quiet(5)]).some(Boolean)).toBe(false);
  });

  it('marks a voice at its second loud sample close to the first', () => {
    expect(run([LOUD, LOUD, QUIET])).toEqual([false, true, true]);
    // A beep twice a second (the fake microphone's) is a voice that goes on.
    const beeps = run([LOUD, ...quiet(9), LOUD, ...quiet(9), LOUD, ...quiet(9), LOUD]);
    expect(beeps.slice(10)).toEqual(Array<boolean>(beeps.length - 10).fill(true));
  });

  it('keeps the mark through the short pauses between words, and drops it after a longer quiet', () => {
    const marks = run([LOUD, LOUD, ...quiet(30)]);
    const holdSamples = HOLD_MS / STEP_MS;
    expect(marks[1 + holdSamples]).toBe(true);
    expect(marks[1 + holdSamples + 1]).toBe(false);
  });

  it('follows each person on their own and forgets those who left', () => {
    const detector = new SpeakingDetector();
    detector.update(
      new Map([
        ['ann', LOUD],
        ['bob', QUIET],
      ]),
      0,
    );
    const both = detector.update(
      new Map([
        ['ann', LOUD],
        ['bob', QUIET],
      ]),
      50,
    );
    expect([...both]).toEqual(['ann']);
    expect(detector.update(new Map([['bob', LOUD]]), 100).size).toBe(0);
    expect(
      detector.update(
        new Map([
          ['bob', LOUD],
          ['ann', LOUD],
        ]),
        150,
      ),
    ).toEqual(new Set(['bob']));
  });
});
