import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant } from '../support/firefox-participant.js';
import { Participant, type CallParticipant } from '../support/participant.js';
import { startTestServer } from '../support/server.js';

/** Frames that must be shown in a tile for its video to count as flowing (both fake cameras run ≥ 20 fps). */
const FLOWING = 10;
/** Well above silence: both browsers' fake microphones make a steady tone. */
const AUDIBLE = 0.02;

type BrowserName = 'Chromium' | 'Firefox';

describe('calls between Chromium and Firefox', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let chromium: ChromiumBrowser;
  let firefox: FirefoxBrowser;

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
    [chromium, firefox] = await Promise.all([launchChromium(), launchFirefox()]);
  });
  afterAll(async () => {
    await Promise.all([chromium?.close(), firefox?.close()]);
    await server?.close();
  });

  function open(browser: BrowserName, room: string, name: string): Promise<CallParticipant> {
    const url = `${server.url}/r/${room}`;
    return browser === 'Chromium'
      ? Participant.open(chromium, url, name)
      : FirefoxParticipant.open(firefox, url, name);
  }

  describe.each<{ first: BrowserName; second: BrowserName }>([
    { first: 'Chromium', second: 'Firefox' },
    { first: 'Firefox', second: 'Chromium' },
  ])('$first joins first, $second joins second and offers', ({ first, second }) => {
    const room = `interop-${first}-${second}`.toLowerCase();
    let host: CallParticipant;
    let guest: CallParticipant;

    afterAll(async () => {
      await guest?.close();
      await host?.close();
    });

    it('connects, and each sees the other’s video advancing', async () => {
      host = await open(first, room, `${first} host`);
      await host.join();
      guest = await open(second, room, `${second} guest`);
      await guest.join();
      expect(await host.framesAdvancing(guest.name), `${first} sees ${second}`).toBeGreaterThanOrEqual(
        FLOWING,
      );
      expect(await guest.framesAdvancing(host.name), `${second} sees ${first}`).toBeGreaterThanOrEqual(
        FLOWING,
      );
    });

    it('carries sound both ways', async () => {
      expect(await host.loudestAudio(guest.name), `${first} hears ${second}`).toBeGreaterThan(AUDIBLE);
      expect(await guest.loudestAudio(host.name), `${second} hears ${first}`).toBeGreaterThan(AUDIBLE);
    });

    it('carries chat both ways', async () => {
      await host.sendChat(`Hello from ${first}`);
      await guest.waitForChat(host.name, `Hello from ${first}`);
      await guest.sendChat(`Hello from ${second}`);
      await host.waitForChat(guest.name, `Hello from ${second}`);
    });
  });
});
