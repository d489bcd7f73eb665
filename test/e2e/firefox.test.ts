import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant, byRole } from '../support/firefox-participant.js';
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

  describe('a room named in Chinese', () => {
    let host: CallParticipant;
    let guest: CallParticipant;
    afterAll(async () => {
      await guest?.close();
      await host?.close();
    });

    it('Firefox joins 周会 through its link after Chromium opened it, and both see video advancing', async () => {
      host = await open('Chromium', '周会', 'Ann');
      await host.join();
      guest = await open('Firefox', '周会', 'Ben');
      await guest.join();
      expect(await host.framesAdvancing('Ben'), 'Chromium sees Firefox').toBeGreaterThanOrEqual(FLOWING);
      expect(await guest.framesAdvancing('Ann'), 'Firefox sees Chromium').toBeGreaterThanOrEqual(FLOWING);
    });
  });

  describe('when the browser plays sound only after a click, as Safari does', () => {
    let strictFirefox: FirefoxBrowser;
    let host: CallParticipant;
    let guest: FirefoxParticipant;

    beforeAll(async () => {
      // Sound only from a play() inside a click or key handler (blocking policy 2), never later: the
      // rule Safari applies to a video whose stream arrives after the Join click.
      strictFirefox = await launchFirefox({
        extraPrefs: { 'media.autoplay.default': 1, 'media.autoplay.blocking_policy': 2 },
      });
    });
    afterAll(async () => {
      await guest?.close();
      await host?.close();
      await strictFirefox?.close();
    });

    it('plays the video muted and offers a button that turns the sound on', async () => {
      host = await open('Chromium', 'sound-after-click', 'Chromium host');
      await host.join();
      guest = await FirefoxParticipant.open(strictFirefox, `${server.url}/r/sound-after-click`, 'Guest');
      await guest.join();

      const soundButton = guest.page.locator(byRole('button', 'Turn sound on'));
      await soundButton.wait();
      const video = await guest.tileVideo(host.name);
      expect(await guest.framesAdvancing(host.name), 'the video plays while muted').toBeGreaterThanOrEqual(
        FLOWING,
      );
      expect(await video.evaluate((element) => element.muted)).toBe(true);

      await soundButton.click();
      await guest.page.waitForFunction((element) => !element.muted && !element.paused, {}, video);
      expect(await guest.page.$(byRole('button', 'Turn sound on'))).toBeNull();
      expect(await guest.loudestAudio(host.name)).toBeGreaterThan(AUDIBLE);
    });
  });
});
