import { describe, expect, it } from 'vitest';
import { readMediaStats } from './media-stats.js';

/** A getStats() report as the browser gives it: a maplike of entries by id. */
function report(at: number, entries: Record<string, Record<string, unknown>>): Map<string, unknown> {
  return new Map(Object.entries(entries).map(([id, entry]) => [id, { id, timestamp: at, ...entry }]));
}

const codecs = {
  C96: { type: 'codec', mimeType: 'video/VP8' },
};

describe('readMediaStats', () => {
  it('measures video both ways, bytes and jitter over the interval between two readings', () => {
    const first = readMediaStats(
      report(1000, {
        ...codecs,
        OUT: { type: 'outbound-rtp', kind: 'video', bytesSent: 100_000, codecId: 'C96' },
        IN: { type: 'inbound-rtp', kind: 'video', bytesReceived: 50_000, codecId: 'C96' },
        T: { type: 'transport', bytesSent: 200_000, bytesReceived: 100_000 },
      }),
    );
    expect(first.sample.sent?.bitrate).toBe(0);
    expect(first.sample.bytesSent).toBe(0);
    const second = readMediaStats(
      report(3000, {
        ...codecs,
        OUT: {
          type: 'outbound-rtp',
          kind: 'video',
          bytesSent: 350_000,
          codecId: 'C96',
          frameWidth: 320,
          frameHeight: 240,
          framesPerSecond: 20,
          qualityLimitationReason: 'cpu',
        },
        IN: {
          type: 'inbound-rtp',
          kind: 'video',
          bytesReceived: 175_000,
          jitter: 0.004,
          frameWidth: 640,
          frameHeight: 480,
        },
        AUDIO: { type: 'inbound-rtp', kind: 'audio', bytesReceived: 9_000, jitter: 0.02 },
        T: { type: 'transport', bytesSent: 600_000, bytesReceived: 300_000 },
      }),
      first.counters,
    );
    expect(second.sample).toMatchObject({
      seconds: 2,
      sent: { codec: 'VP8', width: 320, height: 240, frameRate: 20, bitrate: 1_000_000 },
      received: { width: 640, height: 480, bitrate: 500_000 },
      jitterMs: 4,
      cpuLimited: true,
      bytesSent: 400_000,
      bytesReceived: 200_000,
    });
  });

  it('counts a stream whose counter went back (a rebuilt connection) as new', () => {
    const first = readMediaStats(
      report(0, { OUT: { type: 'outbound-rtp', kind: 'video', bytesSent: 900_000 } }),
    );
    const second = readMediaStats(
      report(1000, { OUT: { type: 'outbound-rtp', kind: 'video', bytesSent: 10_000 } }),
      first.counters,
    );
    expect(second.sample.sent?.bitrate).toBe(80_000);
  });

  it('adds up the candidate pairs where the transport has no byte counts (Firefox)', () => {
    const first = readMediaStats(
      report(0, {
        T: { type: 'transport' },
        P: { type: 'candidate-pair', bytesSent: 10, bytesReceived: 20 },
      }),
    );
    const second = readMediaStats(
      report(1000, {
        T: { type: 'transport' },
        P: { type: 'candidate-pair', bytesSent: 110, bytesReceived: 220 },
      }),
      first.counters,
    );
    expect(second.sample).toMatchObject({ bytesSent: 100, bytesReceived: 200 });
  });

  it('ignores what it does not understand', () => {
    const { sample } = readMediaStats(
      report(0, { X: { type: 'outbound-rtp', kind: 'video', bytesSent: 'lots' }, Y: { type: 'weird' } }),
    );
    expect(sample).toMatchObject({ sent: undefined, received: undefined, cpuLimited: false, bytesSent: 0 });
  });
});
