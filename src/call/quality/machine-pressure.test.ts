import { describe, expect, it, vi } from 'vitest';
import { MachinePressure, type PressureObserverConstructor, type PressureState } from './machine-pressure.js';

/** A stand-in for the browser's PressureObserver: `report` delivers records as the browser would. */
function fakeObserverClass(observe: () => Promise<void> = () => Promise.resolve()) {
  const made: { report: (...states: PressureState[]) => void; disconnect: ReturnType<typeof vi.fn> }[] = [];
  const options: unknown[] = [];
  const Observer = class {
    readonly disconnect = vi.fn();
    constructor(callback: (records: { state: PressureState }[]) => void) {
      made.push({
        report: (...states) => callback(states.map((state) => ({ state }))),
        disconnect: this.disconnect,
      });
    }
    observe(source: string, given: unknown) {
      options.push({ source, given });
      return observe();
    }
  } as unknown as PressureObserverConstructor;
  return { Observer, made, options };
}

describe('MachinePressure', () => {
  it('follows the latest state the browser reports, asked every 2 s', () => {
    const { Observer, made, options } = fakeObserverClass();
    const pressure = new MachinePressure(Observer);
    expect(options).toEqual([{ source: 'cpu', given: { sampleInterval: 2000 } }]);
    expect(pressure.state).toBeUndefined();
    made[0]!.report('fair', 'critical');
    expect(pressure.state).toBe('critical');
    made[0]!.report('nominal');
    expect(pressure.state).toBe('nominal');
  });

  it('stays unknown without the API, and when the browser refuses to observe', async () => {
    expect(new MachinePressure(null).state).toBeUndefined();
    const { Observer, made } = fakeObserverClass(() => Promise.reject(new Error('NotAllowedError')));
    const pressure = new MachinePressure(Observer);
    await Promise.resolve();
    await Promise.resolve();
    expect(made[0]!.disconnect).toHaveBeenCalled();
    expect(pressure.state).toBeUndefined();
  });

  it('stops observing when stopped', () => {
    const { Observer, made } = fakeObserverClass();
    const pressure = new MachinePressure(Observer);
    made[0]!.report('serious');
    pressure.stop();
    expect(made[0]!.disconnect).toHaveBeenCalled();
    expect(pressure.state).toBeUndefined();
  });
});
