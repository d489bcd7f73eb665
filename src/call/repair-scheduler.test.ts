import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REPAIR_TIMINGS, type RepairActions, RepairScheduler } from './repair-scheduler.js';

const { stallMs, sampleMs, attemptBoundMs, politeDelayMs, fastWindowMs, slowBoundMs } =
  DEFAULT_REPAIR_TIMINGS;

/** Records what the scheduler asks for; bytes received are whatever the test says. */
function fakeActions(negotiated = true) {
  const log: string[] = [];
  let bytes = 0;
  let up = false;
  const actions: RepairActions = {
    isConnected: () => up,
    canRestartIce: () => negotiated,
    restartIce: () => log.push('restart'),
    rebuild: () => log.push('rebuild'),
    bytesReceived: () => Promise.resolve(bytes),
  };
  return { actions, log, receive: (n: number) => (bytes += n), setUp: (value: boolean) => (up = value) };
}

describe('RepairScheduler', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('leaves a disconnected connection alone while bytes still arrive', async () => {
    const { actions, log, receive } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.disconnected();
    for (let i = 0; i < 20; i += 1) {
      receive(1_000);
      await vi.advanceTimersByTimeAsync(sampleMs);
    }
    expect(log).toEqual([]);
    expect(scheduler.state).toBe('watching');
  });

  it('restarts ICE once a disconnected connection has received nothing for the stall time', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.disconnected();
    await vi.advanceTimersByTimeAsync(stallMs - sampleMs);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(sampleMs);
    expect(log).toEqual(['restart']);
    expect(scheduler.state).toBe('restarting');
  });

  it('restarts at once on failed, rebuilds if that does not help within the bound, then alternates', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.failed();
    expect(log).toEqual(['restart']);
    await vi.advanceTimersByTimeAsync(attemptBoundMs - 1);
    expect(log).toEqual(['restart']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['restart', 'rebuild']);
    await vi.advanceTimersByTimeAsync(attemptBoundMs * 2);
    expect(log).toEqual(['restart', 'rebuild', 'restart', 'rebuild']);
  });

  it('rebuilds straight away when the connection was never negotiated (nothing to restart)', () => {
    const { actions, log } = fakeActions(false);
    new RepairScheduler(actions, false).failed();
    expect(log).toEqual(['rebuild']);
  });

  it('stops everything once connected again', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.failed();
    scheduler.connected();
    await vi.advanceTimersByTimeAsync(attemptBoundMs * 10);
    expect(log).toEqual(['restart']);
    expect(scheduler.state).toBe('idle');
  });

  it('ignores another failed or disconnected while an attempt is under way: its bound decides', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.failed();
    scheduler.failed();
    scheduler.disconnected();
    expect(log).toEqual(['restart']);
    await vi.advanceTimersByTimeAsync(attemptBoundMs);
    expect(log).toEqual(['restart', 'rebuild']);
  });

  it('makes the polite side wait longer at every step, so the impolite side acts first', async () => {
    const impolite = fakeActions();
    const polite = fakeActions();
    const a = new RepairScheduler(impolite.actions, false);
    const b = new RepairScheduler(polite.actions, true);
    a.failed();
    b.failed();
    await vi.advanceTimersByTimeAsync(attemptBoundMs);
    expect(impolite.log).toEqual(['restart', 'rebuild']);
    expect(polite.log).toEqual(['restart']);
    await vi.advanceTimersByTimeAsync(politeDelayMs);
    expect(polite.log).toEqual(['restart', 'rebuild']);
  });

  it('follows the other side’s rebuild without starting one of its own until the bound runs out', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, true);
    scheduler.followedRebuild();
    await vi.advanceTimersByTimeAsync(attemptBoundMs + politeDelayMs - 1);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['restart']);
  });

  it('restarts at once on a network change, even while connected, and only once for a burst of them', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.networkChanged();
    scheduler.networkChanged();
    expect(log).toEqual(['restart']);
    scheduler.connected();
    await vi.advanceTimersByTimeAsync(DEFAULT_REPAIR_TIMINGS.networkDebounceMs);
    scheduler.networkChanged();
    expect(log).toEqual(['restart', 'restart']);
    // Another change while that restart is under way restarts again rather than rebuilding.
    await vi.advanceTimersByTimeAsync(DEFAULT_REPAIR_TIMINGS.networkDebounceMs);
    scheduler.networkChanged();
    expect(log).toEqual(['restart', 'restart', 'restart']);
  });

  it('goes back to idle when the connection stayed up through a restart (no connected event comes)', async () => {
    const { actions, log, setUp } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    setUp(true);
    scheduler.networkChanged();
    await vi.advanceTimersByTimeAsync(attemptBoundMs * 5);
    expect(log).toEqual(['restart']);
    expect(scheduler.state).toBe('idle');
  });

  it('slows down to one attempt per slow bound after the fast window', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.failed();
    await vi.advanceTimersByTimeAsync(fastWindowMs);
    const fast = log.length;
    expect(fast).toBe(1 + fastWindowMs / attemptBoundMs);
    await vi.advanceTimersByTimeAsync(slowBoundMs * 4);
    expect(log.length - fast).toBeLessThanOrEqual(4);
    expect(log.length - fast).toBeGreaterThanOrEqual(3);
  });

  it('does nothing once closed', async () => {
    const { actions, log } = fakeActions();
    const scheduler = new RepairScheduler(actions, false);
    scheduler.disconnected();
    scheduler.close();
    scheduler.failed();
    scheduler.networkChanged();
    await vi.advanceTimersByTimeAsync(attemptBoundMs * 10);
    expect(log).toEqual([]);
  });
});
