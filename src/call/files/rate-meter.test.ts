import { describe, expect, it } from 'vitest';
import { RateMeter } from './rate-meter.js';

/** A meter on a clock the test moves by hand. */
function meter() {
  let now = 0;
  const rate = new RateMeter(() => now);
  const at = (time: number, bytes: number) => {
    now = time;
    rate.record(bytes);
  };
  return { rate, at };
}

describe('RateMeter', () => {
  it('knows no rate before two readings', () => {
    const { rate, at } = meter();
    expect(rate.bytesPerSecond).toBeUndefined();
    expect(rate.secondsLeft(1000)).toBeUndefined();
    at(1000, 500);
    expect(rate.bytesPerSecond).toBeUndefined();
    expect(rate.secondsLeft(1000)).toBeUndefined();
  });

  it('knows no rate while the readings are less than 250 ms apart', () => {
    const { rate, at } = meter();
    at(0, 0);
    at(249, 10_000);
    expect(rate.bytesPerSecond).toBeUndefined();
    at(250, 10_000);
    expect(rate.bytesPerSecond).toBe(40_000);
  });

  it('gives bytes per second between the first and last reading, and the seconds left', () => {
    const { rate, at } = meter();
    at(0, 0);
    at(500, 1000);
    at(2000, 4000);
    expect(rate.bytesPerSecond).toBe(2000);
    expect(rate.secondsLeft(10_000)).toBe(3);
  });

  it('follows a change of pace: readings older than about 3 s no longer count', () => {
    const { rate, at } = meter();
    // 1000 B/s for 10 s, then 5000 B/s for 4 s.
    for (let second = 0; second <= 10; second++) at(second * 1000, second * 1000);
    expect(rate.bytesPerSecond).toBe(1000);
    for (let second = 11; second <= 14; second++) at(second * 1000, 10_000 + (second - 10) * 5000);
    expect(rate.bytesPerSecond).toBe(5000);
  });

  it('keeps two readings even when both are older than the window', () => {
    const { rate, at } = meter();
    at(0, 0);
    at(10_000, 20_000);
    expect(rate.bytesPerSecond).toBe(2000);
    at(60_000, 120_000);
    // The one reading at or before the window's start is kept, so a sparse meter still has a rate.
    expect(rate.bytesPerSecond).toBe(2000);
  });

  it('says 0 B/s and no time left when nothing moves, rather than dividing by zero', () => {
    const { rate, at } = meter();
    at(0, 5000);
    at(2000, 5000);
    expect(rate.bytesPerSecond).toBe(0);
    expect(rate.secondsLeft(10_000)).toBeUndefined();
  });

  it('never says less than 0 s left', () => {
    const { rate, at } = meter();
    at(0, 0);
    at(1000, 2000);
    expect(rate.secondsLeft(1000)).toBe(0);
  });

  it('forgets its readings on reset', () => {
    const { rate, at } = meter();
    at(0, 0);
    at(1000, 1000);
    expect(rate.bytesPerSecond).toBe(1000);
    rate.reset();
    expect(rate.bytesPerSecond).toBeUndefined();
    at(5000, 1000);
    expect(rate.bytesPerSecond).toBeUndefined();
    at(6000, 4000);
    expect(rate.bytesPerSecond).toBe(3000);
    expect(rate.secondsLeft(10_000)).toBe(2);
  });

  it('uses performance.now() without an injected clock', () => {
    const rate = new RateMeter();
    rate.record(0);
    rate.record(100);
    // Two readings a moment apart: too close together to tell.
    expect(rate.bytesPerSecond).toBeUndefined();
  });
});
