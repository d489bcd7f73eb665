import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { en } from '../../src/web/i18n/en.js';
import { zhCN } from '../../src/web/i18n/zh-cn.js';
import { PHONE } from '../support/browser.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

const DESKTOPS = [
  { width: 1280, height: 720 },
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;
const LANGUAGES = [
  { locale: 'en-US', words: en },
  { locale: 'zh-CN', words: zhCN },
] as const;
type Words = (typeof LANGUAGES)[number]['words'];

/** A person on the lobby in `locale`, the preview ready, with `name` typed in. */
async function openLobby(
  url: string,
  name: string,
  words: Words,
  device: BrowserContextOptions,
): Promise<Page> {
  const context = await started.browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: DESKTOPS[0],
    permissions: ['camera', 'microphone'],
    ...device,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  await page.getByRole('textbox', { name: words['lobby.name'] }).fill(name);
  await page.getByRole('button', { name: words['lobby.join'] }).and(page.locator(':enabled')).waitFor();
  return page;
}

async function join(page: Page, words: Words): Promise<void> {
  await page.getByRole('button', { name: words['lobby.join'] }).click();
  await page.getByRole('button', { name: words['call.leave'] }).waitFor();
}

/** Buttons whose label is wider or taller than the button: cut off, or spilling out of it. */
function overflowingButtons(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button')]
      .filter((button) => button.offsetParent !== null)
      .filter(
        (button) =>
          button.scrollWidth > button.clientWidth + 1 || button.scrollHeight > button.clientHeight + 1,
      )
      .map(
        (button) =>
          `${button.textContent || button.getAttribute('aria-label')} (${button.scrollWidth}>${button.clientWidth})`,
      ),
  );
}

/**
 * The area of the picture a video element paints: with `object-fit: contain` the letterboxed picture, not
 * the black bands around it.
 */
function paintedVideoArea(tile: Locator): Promise<number> {
  return tile.locator('video').evaluate((video: HTMLVideoElement) => {
    const box = video.getBoundingClientRect();
    if (getComputedStyle(video).objectFit !== 'contain' || !video.videoWidth) return box.width * box.height;
    const scale = Math.min(box.width / video.videoWidth, box.height / video.videoHeight);
    return video.videoWidth * scale * video.videoHeight * scale;
  });
}

function tileBox(tile: Locator) {
  return tile.evaluate((element) => {
    const { left, top, width, height } = element.getBoundingClientRect();
    return { left, top, width, height };
  });
}

/** Marks the tile's video element, to tell later whether it is still the same element (never re-created). */
async function markVideo(tile: Locator): Promise<void> {
  await tile.locator('video').evaluate((video) => (video.dataset.mark = 'kept'));
}

const started = serverAndChromium({ maxPeers: 4 });

describe('layouts: what is painted where, alone, in pairs, in a grid, pinned', () => {
  for (const { locale, words } of LANGUAGES) {
    it(`alone (${locale}): the waiting message, the link and Copy are painted at every size`, async () => {
      const room = `e2e-alone-${locale.toLowerCase()}`;
      const desktop = await openLobby(`${started.server.url}/r/${room}`, 'Ann Lee', words, { locale });
      expect(await overflowingButtons(desktop), 'lobby buttons').toEqual([]);
      await join(desktop, words);
      const desktopHadShare = desktop
        .getByRole('button', { name: words['controls.shareScreen'] })
        .count()
        .then((count) => count === 1);
      for (const size of DESKTOPS) {
        await desktop.setViewportSize(size);
        await saveTestScreenshot(desktop, `layout-alone-${locale}-${size.width}x${size.height}`);
        await expectAloneScreen(desktop, words, `${size.width}x${size.height}`);
      }
      await desktop.context().close();

      const phone = await openLobby(`${started.server.url}/r/${room}-phone`, 'Ann Lee', words, {
        locale,
        ...PHONE,
      });
      expect(await overflowingButtons(phone), 'lobby buttons on a phone').toEqual([]);
      await join(phone, words);
      await saveTestScreenshot(phone, `layout-alone-${locale}-phone`);
      await expectAloneScreen(phone, words, 'phone');
      // A phone's browser cannot share its screen: no button that would only fail.
      expect(await phone.getByRole('button', { name: words['controls.shareScreen'] }).count()).toBe(0);
      expect(await desktopHadShare, 'Share screen on a desktop').toBe(true);
      await phone.context().close();
    });
  }

  it('two people: the other person large, yourself small in a corner, in English on a desktop and Chinese on a phone', async () => {
    const room = 'e2e-pair';
    const ann = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Ann');
    await ann.join();
    const bao = await openLobby(`${started.server.url}/r/${room}`, 'Bao', zhCN, {
      locale: 'zh-CN',
      ...PHONE,
    });
    await join(bao, zhCN);

    const bob = ann.tile('Bao');
    expect(await ann.framesAdvancing('Bao')).toBeGreaterThan(0);
    const theirs = await paintedVideoArea(bob);
    const mine = await paintedVideoArea(ann.tile('You'));
    expect(theirs, 'the other person against your own view').toBeGreaterThanOrEqual(2 * mine);
    expect(theirs, 'the other person against the window').toBeGreaterThanOrEqual((1280 * 720) / 4);
    await expectPainted(ann.tile('You'), 'your own corner picture');
    await expectPainted(bob.getByText('Bao', { exact: true }), "the other person's name");
    expect(await overflowingButtons(ann.page)).toEqual([]);
    await saveTestScreenshot(ann.page, 'layout-pair-desktop');

    const annOnPhone = bao.getByRole('figure', { name: 'Ann', exact: true });
    await annOnPhone.locator('video').waitFor();
    const selfOnPhone = bao.getByRole('figure', { name: zhCN['tile.you'], exact: true });
    expect(await paintedVideoArea(annOnPhone)).toBeGreaterThanOrEqual(
      2 * (await paintedVideoArea(selfOnPhone)),
    );
    await expectPainted(selfOnPhone, 'your own corner picture on a phone');
    await expectPainted(annOnPhone.getByText('Ann', { exact: true }), "the other person's name on a phone");
    expect(await overflowingButtons(bao)).toEqual([]);
    await saveTestScreenshot(bao, 'layout-pair-phone-zh');

    // The camera off: your own tile shows your initials, not the "Y" of "You".
    await bao.getByRole('button', { name: zhCN['media.camera'] }).click();
    await expect.poll(() => selfOnPhone.locator('.tile__avatar').textContent()).toBe('B');
    await ann.page.getByRole('button', { name: 'Camera' }).click();
    await expect.poll(() => ann.tile('You').locator('.tile__avatar').textContent()).toBe('A');

    await ann.close();
    await bao.context().close();
  });

  it('three people: a grid of equal tiles; a pinned person fills the stage, and Full screen shows one tile', async () => {
    const room = 'e2e-grid';
    const people = await Promise.all(
      ['Ann', 'Bob', 'Cy'].map((name) =>
        Participant.open(started.browser, `${started.server.url}/r/${room}`, name),
      ),
    );
    for (const person of people) await person.join();
    const [ann] = people as [Participant, Participant, Participant];
    for (const name of ['Bob', 'Cy']) expect(await ann.framesAdvancing(name)).toBeGreaterThan(0);

    const boxes = await Promise.all(['You', 'Bob', 'Cy'].map((name) => tileBox(ann.tile(name))));
    for (const box of boxes) {
      expect(box.width).toBeCloseTo(boxes[0]!.width, 0);
      expect(box.left + box.width).toBeLessThanOrEqual(1280);
      expect(box.top + box.height).toBeLessThanOrEqual(720);
    }
    for (const name of ['You', 'Bob', 'Cy']) await expectPainted(ann.tile(name), `${name}'s grid tile`);
    await saveTestScreenshot(ann.page, 'layout-grid-3');

    await markVideo(ann.tile('Bob'));
    const pin = ann.tile('Bob').getByRole('button', { name: 'Pin Bob' });
    await pin.click();
    await expect.poll(() => pin.getAttribute('aria-pressed')).toBe('true');
    const pinned = await tileBox(ann.tile('Bob'));
    for (const name of ['You', 'Cy']) {
      const small = await tileBox(ann.tile(name));
      expect(pinned.width * pinned.height, `Bob pinned against ${name}`).toBeGreaterThan(
        4 * small.width * small.height,
      );
      expect(small.top, `${name} is in the strip under Bob`).toBeGreaterThanOrEqual(
        pinned.top + pinned.height,
      );
      await expectPainted(ann.tile(name), `${name} in the strip`);
    }
    // The same video element, still playing: pinning moves tiles, it does not rebuild them.
    expect(await ann.tile('Bob').locator('video').getAttribute('data-mark')).toBe('kept');
    expect(await ann.framesAdvancing('Bob')).toBeGreaterThan(0);
    await saveTestScreenshot(ann.page, 'layout-pinned');

    await pin.click();
    await expect.poll(() => pin.getAttribute('aria-pressed')).toBe('false');
    expect((await tileBox(ann.tile('Bob'))).width).toBeCloseTo(boxes[1]!.width, 0);

    await ann.tile('Cy').getByRole('button', { name: 'Show Cy full screen' }).click();
    await ann.page.waitForFunction(() => document.fullscreenElement?.getAttribute('aria-label') === 'Cy');
    await ann.tile('Cy').getByRole('button', { name: 'Exit full screen' }).click();
    await ann.page.waitForFunction(() => document.fullscreenElement === null);

    for (const person of people) await person.close();
  });

  it('follows a light system theme, the video tiles staying dark', async () => {
    const page = await openLobby(`${started.server.url}/r/e2e-light`, 'Lu', en, { colorScheme: 'light' });
    const colours = await page.evaluate(() => ({
      page: getComputedStyle(document.documentElement).backgroundColor,
      text: getComputedStyle(document.body).color,
      tile: getComputedStyle(document.querySelector('.tile')!).backgroundColor,
    }));
    const lightness = (colour: string) => {
      const [r = 0, g = 0, b = 0] = (colour.match(/\d+/g) ?? []).map(Number);
      return (r + g + b) / 3;
    };
    expect(lightness(colours.page)).toBeGreaterThan(200);
    expect(lightness(colours.text)).toBeLessThan(60);
    expect(lightness(colours.tile)).toBeLessThan(40);
    await saveTestScreenshot(page, 'layout-light-lobby');
    await page.context().close();
  });
});

async function expectAloneScreen(page: Page, words: Words, size: string): Promise<void> {
  const waiting = page.getByText(words['call.waiting'], { exact: true });
  await expectPainted(waiting, `the waiting message at ${size}`);
  const card = page.getByRole('status').filter({ has: waiting });
  await expectPainted(card.getByRole('link'), `the room link at ${size}`);
  await expectPainted(card.getByRole('button', { name: words['call.copyLink'] }), `Copy at ${size}`);
  await expectPainted(
    page.getByRole('figure', { name: words['tile.you'], exact: true }),
    `your preview at ${size}`,
  );
  expect(await overflowingButtons(page), `buttons at ${size}`).toEqual([]);
}
