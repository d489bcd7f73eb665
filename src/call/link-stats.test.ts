import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { qualityOf, readLinkStats, type RtpCounters } from './link-stats.js';

/**
 * Reports recorded from real calls on loopback (Chromium 156 and Firefox ESR 153, fake camera and
 * microphone, both sides sending; `relay-*` through Debian's coturn with `iceTransportPolicy: 'relay'`).
 * Each holds two readings of the receiving side taken 2 s apart, cut down to the stats types that
 * link-stats.ts reads.
 */
type Report = Map<string, Record<string, unknown>>;
interface Recording {
  first: Report;
  second: Report;
}

function recording(name: string): Recording {
  const raw = JSON.parse(readFileSync(new URL(`./fixtures/stats-${name}.json`, import.meta.url), 'utf8')) as {
    first: Record<string, Record<string, unknown>>;
    second: Record<string, Record<string, unknown>>;
  };
  return { first: new Map(Object.entries(raw.first)), second: new Map(Object.entries(raw.second)) };
}

/** Both readings in turn, as the poller does; returns the second. */
function overInterval({ first, second }: Recording) {
  const { counters } = readLinkStats(first);
  return readLinkStats(second, counters).link;
}

function ofType(report: Report, type: string): Record<string, unknown>[] {
  return [...report.values()].filter((stats) => stats.type === type);
}

describe('readLinkStats on Chromium reports', () => {
  it('reads a direct UDP path from transport.selectedCandidatePairId, with the pair’s round trip', () => {
    const link = overInterval(recording('chromium-direct'));
    expect(link.path).toEqual({ relayed: false, protocol: 'udp' });
    expect(link.rttMs).toBeCloseTo(1, 5); // currentRoundTripTime: 0.001 s
    expect(link.lossPercent).toBe(0);
    expect(link.quality).toBe('good');
  });

  it('reads a path relayed over UDP', () => {
    const link = overInterval(recording('chromium-relay-udp'));
    expect(link.path).toEqual({ relayed: true, protocol: 'udp', relayProtocol: 'udp' });
    expect(link.rttMs).toBeCloseTo(2, 5);
  });

  it('reads a path relayed over TCP to the relay (UDP from the relay on)', () => {
    const link = overInterval(recording('chromium-relay-tcp'));
    expect(link.path).toEqual({ relayed: true, protocol: 'udp', relayProtocol: 'tcp' });
    // currentRoundTripTime is 0 in this reading: RTCP's largest round trip (audio, 2.8 ms) stands in.
    expect(link.rttMs).toBeCloseTo(2.823, 5);
  });
});

describe('readLinkStats on Firefox reports', () => {
  it('reads a direct UDP path, with the round trip from RTCP when the pair has none', () => {
    const link = overInterval(recording('firefox-direct'));
    expect(link.path).toEqual({ relayed: false, protocol: 'udp' });
    expect(link.rttMs).toBeCloseTo(1, 5);
    expect(link.lossPercent).toBe(0);
    expect(link.quality).toBe('good');
  });

  it('reads paths relayed over UDP and over TCP', () => {
    expect(overInterval(recording('firefox-relay-udp')).path).toEqual({
      relayed: true,
      protocol: 'udp',
      relayProtocol: 'udp',
    });
    expect(overInterval(recording('firefox-relay-tcp')).path).toEqual({
      relayed: true,
      protocol: 'udp',
      relayProtocol: 'tcp',
    });
  });

  it('finds the pair marked `selected` when the transport does not name it (Firefox before 2024)', () => {
    const { second } = recording('firefox-relay-tcp');
    for (const transport of ofType(second, 'transport')) delete transport.selectedCandidatePairId;
    expect(readLinkStats(second).link.path).toEqual({ relayed: true, protocol: 'udp', relayProtocol: 'tcp' });
  });
});

describe('readLinkStats: loss between readings', () => {
  it('counts losses over the interval only, all inbound streams together', () => {
    const { first, second } = recording('chromium-direct');
    const { counters } = readLinkStats(first);
    // 60 more packets lost in the interval on the video stream, next to the 100 + 128 that arrived.
    const video = ofType(second, 'inbound-rtp').find((rtp) => rtp.kind === 'video');
    if (!video) throw new Error('the recording has no inbound video');
    video.packetsLost = 60;
    const link = readLinkStats(second, counters).link;
    expect(link.lossPercent).toBeCloseTo((60 / (60 + 100 + 128)) * 100, 5);
    expect(link.quality).toBe('poor');
  });

  it('counts since the start when there is no earlier reading', () => {
    const { second } = recording('firefox-direct');
    for (const rtp of ofType(second, 'inbound-rtp')) rtp.packetsLost = 4;
    // 250 + 149 received, 8 lost.
    expect(readLinkStats(second).link.lossPercent).toBeCloseTo((8 / 407) * 100, 5);
  });

  it('never counts a drop in packetsLost (duplicates, RFC 3550) as negative loss', () => {
    const previous: RtpCounters = new Map([['in', { received: 100, lost: 5 }]]);
    const report = new Map([['in', { type: 'inbound-rtp', packetsReceived: 200, packetsLost: 2 }]]);
    expect(readLinkStats(report, previous).link.lossPercent).toBe(0);
  });

  it('has no loss figure when nothing was expected in the interval', () => {
    const { second } = recording('chromium-direct');
    const { counters } = readLinkStats(second);
    expect(readLinkStats(second, counters).link.lossPercent).toBeUndefined();
  });
});

describe('readLinkStats on reports that say little', () => {
  it('has no path before a pair is selected', () => {
    const { first } = recording('chromium-direct');
    for (const transport of ofType(first, 'transport')) delete transport.selectedCandidatePairId;
    const link = readLinkStats(first).link;
    expect(link.path).toBeUndefined();
    expect(link.rttMs).toBeUndefined();
  });

  it('ignores malformed entries rather than failing', () => {
    const report = new Map<string, unknown>([
      ['a', null],
      ['b', 'text'],
      ['T', { type: 'transport', selectedCandidatePairId: 'P' }],
      ['P', { type: 'candidate-pair', localCandidateId: 42, remoteCandidateId: 'R' }],
      ['in', { type: 'inbound-rtp', packetsReceived: Number.NaN, packetsLost: 1 }],
    ]);
    expect(readLinkStats(report).link).toEqual({
      path: undefined,
      rttMs: undefined,
      lossPercent: undefined,
      quality: undefined,
    });
  });
});

describe('qualityOf', () => {
  it('is good under a 300 ms round trip and 2% loss, poor from 800 ms or 10%, fair between', () => {
    expect(qualityOf(20, 0)).toBe('good');
    expect(qualityOf(299, 1.9)).toBe('good');
    expect(qualityOf(300, 0)).toBe('fair');
    expect(qualityOf(20, 2)).toBe('fair');
    expect(qualityOf(799, 9.9)).toBe('fair');
    expect(qualityOf(800, 0)).toBe('poor');
    expect(qualityOf(20, 10)).toBe('poor');
  });

  it('judges on whichever measure is known, and not at all without either', () => {
    expect(qualityOf(undefined, 12)).toBe('poor');
    expect(qualityOf(450, undefined)).toBe('fair');
    expect(qualityOf(undefined, undefined)).toBeUndefined();
  });
});
