import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE } from '../support/browser.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

/**
 * Waits until `name`'s tile is drawn with the speaking outline, or without it: what a person sees, read from the
 * computed style (the outline fades, so the class alone would say it too early).
 */
async function waitForSpeaking(page: Page, name: string, speaking: boolean): Promise<void> {
  const tile = page.getByRole('figure', { name, exact: true });
  await tile.waitFor();
  await tile.evaluate(
    (tile, speaking) =>
      new Promise<void>((resolve) => {
        const outlined = (): boolean => {
          const style = getComputedStyle(tile);
          return (
            style.outlineStyle !== 'none' &&
            parseFloat(style.outlineWidth) > 0 &&
            style.outlineColor !== 'rgba(0, 0, 0, 0)'
          );
        };
        // Looked at every 20 ms (animation frames are throttled in a page that is not in front).
        const check = (): void => {
          if (outlined() === speaking) resolve();
          else setTimeout(check, 20);
        };
        check();
      }),
    speaking,
  );
}

/** Pretends the tab is in the background (or back), as switching tabs would: `visibilityState` and its event. */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

function microphoneButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Microphone' });
}

/** Counts, from now on, how many times `text` is added to the page's live notices. */
async function countNotices(page: Page, text: string): Promise<() => Promise<number>> {
  await page.evaluate((text) => {
    const seen = { count: 0 };
    (window as unknown as { noticeCount: typeof seen }).noticeCount = seen;
    new MutationObserver((changes) => {
      for (const change of changes)
        for (const node of change.addedNodes) if (node.textContent?.includes(text)) seen.count += 1;
    }).observe(document.body, { childList: true, subtree: true });
  }, text);
  return () =>
    page.evaluate(() => (window as unknown as { noticeCount: { count: number } }).noticeCount.count);
}

describe('knowing what happens in a call: who speaks, who comes and goes, the tab title, shortcuts', () => {
  const started = serverAndChromium({ maxPeers: 3 });
  const room = 'e2e-awareness';
  let alice: Participant;
  let bob: Participant;
  let told: () => Promise<number>;

  it('says "Bob joined" to Alice, painted over the call, and takes it away after a few seconds', async () => {
    alice = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Alice');
    await alice.join();
    await alice.page.waitForFunction(() => document.title === 'e2e-awareness · 1 person · Parley');
    bob = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Bob');
    await bob.join();
    const notice = alice.page.getByRole('status').getByText('Bob joined', { exact: true });
    await expectPainted(notice, 'the join notice');
    await saveTestScreenshot(alice.page, 'awareness-joined');
    // The people already there are not announced to the newcomer.
    expect(await bob.page.getByText('Alice joined').count()).toBe(0);
    await notice.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('shows the number of people in the tab title', async () => {
    await alice.page.waitForFunction(() => document.title === 'e2e-awareness · 2 people · Parley');
  });

  // Every fake microphone plays the same beep at the same moments. Played out of one page and heard again in
  // the other's microphone, it is just what echo cancellation is made to remove, and at some offsets it is
  // removed whole. So, as people do, one speaks while the other is quiet.
  it('outlines the tile of whoever speaks (the fake microphone beeps), and clears it when they mute', async () => {
    await microphoneButton(alice.page).click();
    await waitForSpeaking(alice.page, 'Bob', true);
    await saveTestScreenshot(alice.page, 'awareness-speaking');
    told = await countNotices(bob.page, 'You are muted');
    await microphoneButton(bob.page).click();
    await waitForSpeaking(alice.page, 'Bob', false);
  });

  it('tells Bob, speaking into his muted microphone, "You are muted" once', async () => {
    const notice = bob.page.getByRole('status').getByText('You are muted', { exact: false });
    await expectPainted(notice, 'the muted notice');
    // The beep goes on twice a second all the while the notice is shown; it is said once.
    await notice.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await told()).toBe(1);
  });

  it('outlines Alice for Bob when she speaks, then both talk again', async () => {
    await microphoneButton(alice.page).click();
    await waitForSpeaking(bob.page, 'Alice', true);
    await microphoneButton(bob.page).click();
  });

  it('counts chat lines that arrive while the tab is in the background, and clears them when it is back', async () => {
    await setTabHidden(alice.page, true);
    await bob.sendChat('Are you there?');
    await bob.sendChat('Hello?');
    await alice.page.waitForFunction(() => document.title === '(2) e2e-awareness · 2 people · Parley');
    await setTabHidden(alice.page, false);
    await alice.page.waitForFunction(() => document.title === 'e2e-awareness · 2 people · Parley');
  });

  it('switches camera and microphone with V and M, named in the tooltips, but not while typing', async () => {
    const camera = alice.page.getByRole('button', { name: 'Camera' });
    const microphone = alice.page.getByRole('button', { name: 'Microphone' });
    expect(await camera.getAttribute('title')).toBe('Camera (V)');
    expect(await microphone.getAttribute('title')).toBe('Microphone (M)');
    await alice.page.locator('body').press('v');
    await alice.page.locator('body').press('m');
    expect(await camera.getAttribute('aria-pressed')).toBe('false');
    expect(await microphone.getAttribute('aria-pressed')).toBe('false');
    await bob.tile('Alice').getByText('Camera off').waitFor();
    await bob.tile('Alice').getByText('Muted').waitFor();
    await alice.page.locator('body').press('v');
    await alice.page.locator('body').press('m');
    expect(await camera.getAttribute('aria-pressed')).toBe('true');

    const message = alice.page.getByRole('textbox', { name: 'Message' });
    await message.pressSequentially('move very slowly');
    expect(await message.inputValue()).toBe('move very slowly');
    expect(await camera.getAttribute('aria-pressed')).toBe('true');
    expect(await microphone.getAttribute('aria-pressed')).toBe('true');
    await message.blur();
  });

  it('lists the shortcuts on "?", and Escape closes the list', async () => {
    await alice.page.locator('body').press('?');
    const list = alice.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expectPainted(list.getByText('Camera on or off'), 'a shortcut in the list');
    await saveTestScreenshot(alice.page, 'awareness-shortcuts');
    await alice.page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
  });

  it('words the notices in Chinese for someone reading the page in Chinese, and paints them on a phone', async () => {
    await alice.page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    const carol = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Carol', PHONE);
    await carol.join();
    await expectPainted(
      alice.page.getByRole('status').getByText('Carol 加入了通话'),
      'the join notice in Chinese',
    );
    await alice.page.waitForFunction(() => document.title === 'e2e-awareness · 3 人 · Parley');

    await bob.leave();
    await expectPainted(
      carol.page.getByRole('status').getByText('Bob left', { exact: true }),
      'the leave notice, phone',
    );
    await saveTestScreenshot(carol.page, 'awareness-left-phone');
    await expectPainted(
      alice.page.getByRole('status').getByText('Bob 离开了通话'),
      'the leave notice in Chinese',
    );
    await saveTestScreenshot(alice.page, 'awareness-left-zh-CN');
    await carol.close();
    await expectPainted(
      alice.page.getByRole('status').getByText('Carol 离开了通话'),
      'the leave notice in Chinese',
    );
    await alice.page.waitForFunction(() => document.title === 'e2e-awareness · 1 人 · Parley');
    await bob.close();
    await alice.close();
  });
});
