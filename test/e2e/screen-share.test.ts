import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant, byRole } from '../support/firefox-participant.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { type TestServer, startTestServer } from '../support/server.js';

/** Frames a tile must show for its video to count as flowing (the fake screen and camera both move). */
const FLOWING = 10;
const ROOM = 'e2e-screen';

function area(box: { width: number; height: number } | null): number {
  return box ? box.width * box.height : 0;
}

describe('sharing a screen', () => {
  let server: TestServer;
  let chromium: Browser;
  let firefox: FirefoxBrowser;
  let ann: Participant;
  let bob: Participant;

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer({ maxPeers: 4 });
    [chromium, firefox] = await Promise.all([launchChromium(), launchFirefox()]);
  });
  afterAll(async () => {
    await Promise.all([chromium?.close(), firefox?.close()]);
    await server?.close();
  });

  it("shows Ann's screen to Bob as a tile of its own, pinned, its frames advancing, her camera still going", async () => {
    ann = await Participant.open(chromium, `${server.url}/r/${ROOM}`, 'Ann');
    await ann.join();
    bob = await Participant.open(chromium, `${server.url}/r/${ROOM}`, 'Bob');
    await bob.join();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);

    const share = ann.page.getByRole('button', { name: 'Share screen' });
    expect(await share.getAttribute('aria-pressed')).toBe('false');
    expect(await share.getAttribute('title')).toBe('Share screen (S)');
    await share.click();
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('true');

    const screen = bob.tile("Ann's screen");
    expect(await bob.framesAdvancing("Ann's screen"), 'the screen reaches Bob').toBeGreaterThanOrEqual(
      FLOWING,
    );
    expect(await bob.framesAdvancing('Ann'), 'her camera still reaches Bob').toBeGreaterThanOrEqual(FLOWING);
    expect(await ann.framesAdvancing('Bob'), 'and Bob’s camera still reaches her').toBeGreaterThanOrEqual(
      FLOWING,
    );
    await bob.page.getByRole('status').getByText('Ann is sharing their screen', { exact: true }).waitFor();
    // Pinned when it starts: it fills the stage, her camera goes to the strip.
    const pin = screen.getByRole('button', { name: "Pin Ann's screen" });
    expect(await pin.getAttribute('aria-pressed')).toBe('true');
    expect(area(await screen.boundingBox())).toBeGreaterThan(4 * area(await bob.tile('Ann').boundingBox()));
    await expectPainted(screen.getByText("Ann's screen", { exact: true }), 'the screen tile’s label');
    // Sent as detail (sharp text), and never mirrored like a camera preview.
    expect(
      await ann
        .tile('Your screen')
        .locator('video')
        .evaluate((video: HTMLVideoElement) => ({
          hint: (video.srcObject as MediaStream).getVideoTracks()[0]?.contentHint,
          transform: getComputedStyle(video).transform,
        })),
    ).toEqual({ hint: 'detail', transform: 'none' });
    await saveTestScreenshot(bob.page, 'screen-share-receiver');
    await saveTestScreenshot(ann.page, 'screen-share-sender');
  });

  it('reaches people who join later, in Chromium and in Firefox', async () => {
    const cy = await Participant.open(chromium, `${server.url}/r/${ROOM}`, 'Cy');
    await cy.join();
    expect(await cy.framesAdvancing("Ann's screen")).toBeGreaterThanOrEqual(FLOWING);
    await cy.close();

    const dee = await FirefoxParticipant.open(firefox, `${server.url}/r/${ROOM}`, 'Dee');
    await dee.join();
    expect(await dee.framesAdvancing("Ann's screen"), 'Firefox receives the screen').toBeGreaterThanOrEqual(
      FLOWING,
    );
    expect(await dee.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);

    // Stopped with the button: gone for everyone, Firefox included.
    await ann.page.getByRole('button', { name: 'Share screen' }).click();
    await bob.tile("Ann's screen").waitFor({ state: 'detached' });
    await dee.page.waitForSelector(byRole('figure', "Ann's screen"), { hidden: true });
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);
    await dee.close();
  });

  it("ends for everyone when the browser's own Stop sharing ends the track, and can be started again", async () => {
    const share = ann.page.getByRole('button', { name: 'Share screen' });
    await share.click();
    expect(await bob.framesAdvancing("Ann's screen")).toBeGreaterThanOrEqual(FLOWING);
    // What the browser's "Stop sharing" bar does: the capture ends, and the track says so.
    await ann
      .tile('Your screen')
      .locator('video')
      .evaluate((video: HTMLVideoElement) => {
        const track = (video.srcObject as MediaStream).getVideoTracks()[0];
        track?.stop();
        track?.dispatchEvent(new Event('ended'));
      });
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('false');
    await bob.tile("Ann's screen").waitFor({ state: 'detached' });

    // A second sharing reuses the connection's screen transceivers and arrives like the first.
    await share.click();
    expect(await bob.framesAdvancing("Ann's screen")).toBeGreaterThanOrEqual(FLOWING);
  });

  it('starts and stops with the S key, not while typing in the chat', async () => {
    const share = ann.page.getByRole('button', { name: 'Share screen' });
    await ann.page.getByRole('textbox', { name: 'Message' }).fill('s');
    await ann.page.getByRole('textbox', { name: 'Message' }).press('s');
    expect(await share.getAttribute('aria-pressed')).toBe('true');
    await ann.page.getByRole('textbox', { name: 'Message' }).fill('');
    await ann.page.locator('body').click({ position: { x: 5, y: 5 } });
    await ann.page.keyboard.press('s');
    await expect.poll(() => share.getAttribute('aria-pressed')).toBe('false');
    await bob.tile("Ann's screen").waitFor({ state: 'detached' });
    await ann.close();
    await bob.close();
  });
});
