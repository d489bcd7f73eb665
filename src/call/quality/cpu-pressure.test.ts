import { describe, expect, it } from 'vitest';
import { CpuPressure, framesFallShort } from './cpu-pressure.js';
import { MAX_CPU_LEVEL } from './upload-budget.js';

describe('CpuPressure', () => {
  it('rises after two readings in a row that say cpu, not after one', () => {
    const pressure = new CpuPressure();
    expect(pressure.observe(true, 0)).toBe(false);
    expect(pressure.observe(false, 2000)).toBe(false);
    expect(pressure.observe(true, 4000)).toBe(false);
    expect(pressure.observe(true, 6000)).toBe(true);
    expect(pressure.level).toBe(1);
  });

  it('waits between rises for the last one to show, and stops at the top', () => {
    const pressure = new CpuPressure();
    for (let at = 0; at <= 120_000; at += 2000) pressure.observe(true, at);
    expect(pressure.level).toBe(MAX_CPU_LEVEL);
    const early = new CpuPressure();
    for (let at = 0; at <= 8000; at += 2000) early.observe(true, at);
    expect(early.level).toBe(1);
  });

  it('falls one level after a calm minute', () => {
    const pressure = new CpuPressure();
    pressure.observe(true, 0);
    pressure.observe(true, 2000);
    expect(pressure.level).toBe(1);
    for (let at = 4000; at < 62_000; at += 2000) pressure.observe(false, at);
    expect(pressure.level).toBe(1);
    expect(pressure.observe(false, 62_000)).toBe(true);
    expect(pressure.level).toBe(0);
  });

  it('holds its level while the machine is strained: no rise, and no fall', () => {
    const pressure = new CpuPressure();
    pressure.observe(true, 0);
    pressure.observe(true, 2000);
    for (let at = 4000; at <= 120_000; at += 2000) expect(pressure.observe(false, at, true)).toBe(false);
    expect(pressure.level).toBe(1);
    // Calm from 120 s on: down a minute later.
    for (let at = 122_000; at < 180_000; at += 2000) pressure.observe(false, at);
    expect(pressure.level).toBe(1);
    expect(pressure.observe(false, 180_000)).toBe(true);
    expect(pressure.level).toBe(0);
  });
});

describe('framesFallShort', () => {
  it('says so below 70% of the frames a copy is set to, unless the bandwidth estimate is why', () => {
    expect(framesFallShort(13, 20, false)).toBe(true);
    expect(framesFallShort(15, 20, false)).toBe(false);
    // A copy the split set to 15 frames from a 30-frame camera is judged against its 15.
    expect(framesFallShort(14, 15, false)).toBe(false);
    expect(framesFallShort(9, 15, false)).toBe(true);
    expect(framesFallShort(5, 20, true)).toBe(false);
    expect(framesFallShort(undefined, 20, false)).toBe(false);
  });
});
