import { describe, expect, it } from 'vitest';
import { diagnosticsReport, maskAddresses } from './diagnostics.js';

describe('diagnosticsReport', () => {
  const sample = {
    at: 2000,
    seconds: 2,
    sent: { codec: 'VP8', width: 320, height: 240, frameRate: 20, bitrate: 400_000 },
    received: { codec: 'VP8', width: 640, height: 480, frameRate: 20, bitrate: 900_000 },
    jitterMs: 3,
    cpuLimited: false,
    bandwidthLimited: false,
    bytesSent: 100_000,
    bytesReceived: 225_000,
  };

  it('tells each person’s path, round trip and video both ways', () => {
    const report = diagnosticsReport({
      peers: [
        {
          id: 'a',
          name: 'Ann',
          phase: { kind: 'connected' },
          media: { audio: true, video: true },
          link: { path: { relayed: false, protocol: 'udp' }, rttMs: 12, lossPercent: 0.5, quality: 'good' },
        },
      ],
      history: () => [sample, sample],
      budgetBps: 2_500_000,
      machineLoad: { level: 2, maxLevel: 3, pressure: 'critical' },
      saver: false,
      dataUsed: { bytes: 12_300_000, bytesPerSecond: 162_500 },
      userAgent: 'Chromium',
      now: new Date(0),
    });
    expect(report).toContain('people: 2');
    expect(report).toContain('upload budget: 2500 kbit/s');
    expect(report).toContain('cpu: copies lowered 2 of 3 levels, machine pressure critical');
    expect(report).toContain('path: direct udp');
    expect(report).toContain('round trip: 12 ms, loss: 0.5 %, jitter: 3.0 ms');
    expect(report).toContain('sending: VP8 320x240 20 fps 400 kbit/s');
    expect(report).toContain('receiving: VP8 640x480 20 fps 900 kbit/s');
    expect(report).toContain('data used: 12.3 MB, now 1300 kbit/s');
  });

  it('leaves no address in, even one typed into a name', () => {
    const report = diagnosticsReport({
      peers: [
        {
          id: 'a',
          name: 'Ann at 192.168.1.20 or fe80::1c2b:3dff:fe4a:1',
          phase: { kind: 'connected' },
          media: { audio: true, video: true },
          link: undefined,
        },
      ],
      history: () => [],
      budgetBps: undefined,
      saver: true,
      dataUsed: { bytes: 0, bytesPerSecond: 0 },
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) 2001:db8::7',
      now: new Date(0),
    });
    expect(report).not.toMatch(/192\.168|fe80|2001:db8/);
    expect(report).toContain('[address]');
  });

  it('masks addresses and leaves times and versions alone', () => {
    expect(maskAddresses('10.0.0.1 and [::1] at 12:30, Chrome/156.0.8078.73')).toBe(
      '[address] and [[address]] at 12:30, Chrome/156.0.8078.73',
    );
  });
});
