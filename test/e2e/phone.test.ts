import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

/** The smallest comfortable touch target, in CSS px (WCAG 2.5.5, Apple's Human Interface Guidelines). */
const TOUCH_TARGET = 44;
/** A long room name and a long unbroken word: what pushes a narrow page sideways if anything does. */
const ROOM = 'a-rather-long-room-name-for-a-small-phone-screen';
const LONG_WORD = 'https://example.org/'.padEnd(120, 'x');

/** How far the page scrolls sideways: 0 when everything fits the screen's width. */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** The button is on screen, whole, without scrolling, and big enough to hit with a thumb. */
async function expectTouchTarget(page: Page, name: string, exact = false): Promise<void> {
  const button = page.getByRole('button', { name, exact });
  await button.waitFor();
  const box = await button.boundingBox();
  if (!box) throw new Error(`The ${name} button has no box on screen`);
  expect(box.width, `${name} width`).toBeGreaterThanOrEqual(TOUCH_TARGET);
  expect(box.height, `${name} height`).toBeGreaterThanOrEqual(TOUCH_TARGET);
  expect(box.x, `${name} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${name} top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${name} right edge`).toBeLessThanOrEqual(PHONE.viewport.width);
  expect(box.y + box.height, `${name} bottom edge`).toBeLessThanOrEqual(PHONE.viewport.height);
}

describe('Parley on a phone-sized screen (Chromium, 390x844, touch)', () => {
  const started = serverAndChromium();
  let phone: Participant;
  let desk: Participant;

  it('fits the lobby to the screen, with thumb-sized Join, Microphone and Camera buttons', async () => {
    phone = await Participant.open(
      started.browser,
      `${started.server.url}/r/${ROOM}`,
      'Pat on a phone',
      PHONE,
    );
    expect(await horizontalOverflow(phone.page)).toBe(0);
    for (const name of ['Join', 'Microphone', 'Camera']) await expectTouchTarget(phone.page, name);
  });

  it('fits the call to the screen, with both videos advancing and every control in reach', async () => {
    await phone.page.getByRole('button', { name: 'Join' }).tap();
    await phone.page.getByRole('button', { name: 'Leave' }).waitFor();
    // Alone, the page shows the room's whole link to share: it must wrap too.
    await phone.page.getByText('Waiting for others to join').waitFor();
    expect(await horizontalOverflow(phone.page)).toBe(0);
    desk = await Participant.open(started.browser, `${started.server.url}/r/${ROOM}`, 'Dana at a desk');
    await desk.join();
    expect(await phone.framesAdvancing(desk.name)).toBeGreaterThanOrEqual(10);
    expect(await desk.framesAdvancing(phone.name)).toBeGreaterThanOrEqual(10);
    expect(await horizontalOverflow(phone.page)).toBe(0);
    for (const name of ['Leave', 'Microphone', 'Camera']) await expectTouchTarget(phone.page, name);
    await expectTouchTarget(phone.page, 'Chat', true);
  });

  it('marks every video as iOS Safari needs: inline, autoplaying, our own preview muted', async () => {
    const videos = await phone.page.getByRole('figure').evaluateAll((tiles) =>
      tiles.map((tile) => {
        const video = tile.querySelector('video');
        return {
          tile: tile.getAttribute('aria-label'),
          inline: video?.hasAttribute('playsinline'),
          autoplay: video?.hasAttribute('autoplay'),
          muted: video?.muted,
        };
      }),
    );
    expect(videos).toEqual([
      { tile: 'You', inline: true, autoplay: true, muted: true },
      { tile: desk.name, inline: true, autoplay: true, muted: false },
    ]);
  });

  it('keeps the chat closed to give the video the screen, counting what arrives meanwhile', async () => {
    expect(await phone.page.getByRole('log').count(), 'the chat starts closed on a phone').toBe(0);
    await desk.sendChat('Are you there?');
    const chat = phone.page.getByRole('button', { name: 'Chat, 1 unread', exact: true });
    await chat.waitFor();
    await expectPainted(chat.getByText('1', { exact: true }), 'the unread count on the Chat button');
    expect(await phone.page.title()).toMatch(/^\(1\) /);
    await chat.tap();
    await phone.waitForChat(desk.name, 'Are you there?');
    await phone.page.getByRole('button', { name: 'Chat', exact: true }).waitFor();
    expect(await phone.page.title()).not.toMatch(/^\(/);
    await expectTouchTarget(phone.page, 'Send', true);
  });

  it('lets the person chat by touch, long lines wrapping instead of widening the page', async () => {
    await phone.page.getByRole('textbox', { name: 'Message' }).tap();
    await phone.page.keyboard.type(`Look: ${LONG_WORD}`);
    await phone.page.getByRole('button', { name: 'Send', exact: true }).tap();
    await desk.waitForChat(phone.name, `Look: ${LONG_WORD}`);
    await desk.sendChat('Got it, thanks!');
    await phone.waitForChat(desk.name, 'Got it, thanks!');
    expect(await horizontalOverflow(phone.page)).toBe(0);
  });

  it('takes a screenshot of the call on the phone, to look at after the run', async () => {
    await saveTestScreenshot(phone.page, 'phone');
    await desk.close();
    await phone.close();
  });
});
