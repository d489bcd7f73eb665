import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinkMonitor } from './link-monitor.js';
import type { LinkStats } from './link-stats.js';

/** A report with one inbound stream whose counters the test moves on. */
function report(received: number, lost: number) {
  return new Map([['in', { type: 'inbound-rtp', packetsReceived: received, packetsLost: lost }]]);
}

describe('LinkMonitor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads at once, then every interval, measuring loss between readings', async () => {
    const reports = [report(100, 0), report(190, 10), report(290, 10)];
    const readings: LinkStats[] = [];
    const monitor = new LinkMonitor({
      getStats: () => Promise.resolve(reports.shift() ?? report(290, 10)),
      onReading: (link) => readings.push(link),
      intervalMs: 2_000,
    });
    monitor.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(readings.map((link) => link.lossPercent)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(readings.map((link) => link.lossPercent)).toEqual([0, 10]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(readings.map((link) => link.lossPercent)).toEqual([0, 10, 0]);
    monitor.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(readings).toHaveLength(3);
  });

  it('drops a reading that arrives after stop, and starts afresh', async () => {
    let answer: (value: Map<string, unknown>) => void = () => {};
    const readings: LinkStats[] = [];
    const monitor = new LinkMonitor({
      getStats: () => new Promise((resolve) => (answer = resolve)),
      onReading: (link) => readings.push(link),
    });
    monitor.start();
    monitor.stop();
    answer(report(100, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(readings).toEqual([]);
    expect(monitor.running).toBe(false);
  });

  it('survives a getStats() that rejects (a closed connection)', async () => {
    const onReading = vi.fn();
    const monitor = new LinkMonitor({
      getStats: () => Promise.reject(new DOMException('closed', 'InvalidStateError')),
      onReading,
    });
    monitor.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(onReading).not.toHaveBeenCalled();
    monitor.stop();
    monitor.stop();
  });
});
