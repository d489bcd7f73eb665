import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintTurnCredentials } from '../../src/server/ice/turn-credentials.js';
import { launchChromium } from '../support/browser.js';
import { startCoturn, type RunningCoturn } from '../support/coturn.js';
import { openHarnessPage } from '../support/harness-page.js';
import type { GatherReport } from './harness/turn-harness.js';

const HARNESS = fileURLToPath(new URL('./harness/turn-harness.ts', import.meta.url));
const SECRET = 'parley-test-secret';

/*
 * What Chromium 156 does against coturn 4.6.1 on 127.0.0.1 (seen on this machine, no extra flags, the same with
 * and without camera/microphone permission on the page):
 * - Right secret: one `relay` candidate (udp, 127.0.0.1) in ~130 ms, no `icecandidateerror`. Two relay-only
 *   connections in one page connect relay-to-relay and data channel messages cross (~160 ms).
 * - Wrong secret, or a username whose expiry has passed: no candidate at all, gathering still reaches
 *   `complete` (~120 ms), the connection stays `new`, and Chromium fires `icecandidateerror` with
 *   errorCode 401, errorText "Unauthorized.", the TURN URL with `?transport=udp`, and the local address
 *   with its last octet hidden ("192.0.2.x"). So the client can notice: an error event with 401 and no
 *   relay candidate. (An earlier note in the testing guide said "no error"; 156 does fire one.)
 * - --allow-loopback-in-peer-connection is not needed for TURN on 127.0.0.1.
 */

describe('TURN relay through coturn with TURN REST credentials, in Chromium', () => {
  let coturn: RunningCoturn;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    coturn = await startCoturn({ secret: SECRET });
    browser = await launchChromium({ fakeMedia: false });
    page = await openHarnessPage(browser, HARNESS);
  }, 60_000);
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await coturn?.close();
  });

  function iceServers(secret: string, options: { now?: number; transport?: 'udp' | 'tcp' } = {}) {
    const { username, credential } = mintTurnCredentials({
      secret,
      ttlSeconds: 600,
      id: 'peer-test',
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    const url = options.transport ? `${coturn.url}?transport=${options.transport}` : coturn.url;
    return [{ urls: url, username, credential }];
  }

  function gatherRelay(servers: RTCIceServer[]): Promise<GatherReport> {
    return page.evaluate(
      (iceServers) =>
        window.turnHarness.gather({ iceServers, iceTransportPolicy: 'relay', timeoutMs: 10_000 }),
      servers,
    );
  }

  it('gathers a relay candidate with credentials minted from the right secret', async () => {
    const report = await gatherRelay(iceServers(SECRET));
    expect(report.completed, JSON.stringify(report)).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.candidates.length, JSON.stringify(report)).toBeGreaterThan(0);
    for (const candidate of report.candidates) {
      expect(candidate).toMatchObject({ type: 'relay', protocol: 'udp', address: '127.0.0.1' });
    }
  });

  it('gathers a relay candidate when the browser reaches coturn over TCP', async () => {
    const report = await gatherRelay(iceServers(SECRET, { transport: 'tcp' }));
    expect(report.errors).toEqual([]);
    expect(report.candidates, JSON.stringify(report)).toContainEqual(
      expect.objectContaining({ type: 'relay', address: '127.0.0.1' }),
    );
  });

  it('connects two relay-only peer connections through coturn and a data channel message crosses', async () => {
    const report = await page.evaluate(
      (iceServers) => window.turnHarness.relayPair({ iceServers, timeoutMs: 15_000 }),
      iceServers(SECRET),
    );
    expect(report.delivered, JSON.stringify(report)).toBe(true);
    expect(report.received).toEqual([['hello from 1 through the relay'], ['hello from 0 through the relay']]);
    expect(report.connectionStates).toEqual(['connected', 'connected']);
    for (const selected of report.selected) {
      expect(selected).toMatchObject({ state: 'succeeded', localType: 'relay', remoteType: 'relay' });
    }
    // coturn's side of it: permissions for the other relay address were installed under our username.
    expect(coturn.log()).toMatch(
      /user <\d+:peer-test>: incoming packet CREATE_PERMISSION processed, success/,
    );
  });

  it('refuses credentials minted from a wrong secret: no candidate, icecandidateerror 401', async () => {
    const report = await gatherRelay(iceServers('not-the-secret'));
    expect(report.completed, JSON.stringify(report)).toBe(true);
    expect(report.candidates).toEqual([]);
    expect(report.connectionState).toBe('new');
    expect(report.errors, JSON.stringify(report)).toContainEqual(
      expect.objectContaining({ errorCode: 401, url: `${coturn.url}?transport=udp` }),
    );
  });

  it('refuses a username whose expiry has passed', async () => {
    // Minted two hours ago with a ten-minute lifetime.
    const report = await gatherRelay(iceServers(SECRET, { now: Date.now() - 2 * 3600 * 1000 }));
    expect(report.candidates).toEqual([]);
    expect(report.errors, JSON.stringify(report)).toContainEqual(expect.objectContaining({ errorCode: 401 }));
  });
});

describe('startCoturn', () => {
  it('says how to install coturn when the binary is missing', async () => {
    await expect(startCoturn({ secret: 's', binary: '/nonexistent/turnserver' })).rejects.toThrow(
      /apt-get install coturn/,
    );
  });

  it('stops coturn by its PID, and close() can be called twice', async () => {
    const coturn = await startCoturn({ secret: 's' });
    expect(isRunning(coturn.pid)).toBe(true);
    await Promise.all([coturn.close(), coturn.close()]);
    expect(isRunning(coturn.pid)).toBe(false);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
