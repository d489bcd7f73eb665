import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RefusalLog } from './refusal-log.js';

describe('RefusalLog', () => {
  it('logs the first refusal of a kind, then one a minute with how many went unlogged', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    let now = 0;
    const log = new RefusalLog(pino({ level: 'info' }, sink), () => now);
    for (let i = 0; i < 1000; i += 1) log.note('rate-limit signal per socket');
    log.note('origin', { origin: 'https://evil.example' });
    now = 60_000;
    log.note('rate-limit signal per socket');
    expect(
      lines.map(({ refusal, origin, unloggedSinceLast, level }) => ({
        refusal,
        origin,
        unloggedSinceLast,
        level,
      })),
    ).toEqual([
      { refusal: 'rate-limit signal per socket', origin: undefined, unloggedSinceLast: 0, level: 40 },
      { refusal: 'origin', origin: 'https://evil.example', unloggedSinceLast: 0, level: 40 },
      { refusal: 'rate-limit signal per socket', origin: undefined, unloggedSinceLast: 999, level: 40 },
    ]);
  });
});
