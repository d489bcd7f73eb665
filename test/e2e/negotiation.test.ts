import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { openHarnessPage } from '../support/harness-page.js';
import type { PairOptions } from './harness/negotiation-harness.js';

const HARNESS = fileURLToPath(new URL('./harness/negotiation-harness.ts', import.meta.url));

describe('perfect negotiation in Chromium (two peer sessions, no server)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await page?.evaluate(() => window.harness.close());
    await page?.context().close();
  });

  async function connectedPair(options: PairOptions) {
    page = await openHarnessPage(browser, HARNESS);
    await page.evaluate((o) => window.harness.makePair(o), options);
    await page.evaluate(() => window.harness.waitConnected());
    await page.evaluate(() => {
      window.harness.chat(0, 'from zero');
      window.harness.chat(1, 'from one');
    });
    await page.evaluate(() => Promise.all([window.harness.waitChat(0, 1), window.harness.waitChat(1, 1)]));
    return page.evaluate(() => window.harness.report());
  }

  it('newcomer offers once, the member answers once, and media and chat flow both ways', async () => {
    const report = await connectedPair({ roles: ['offerer', 'answerer'], media: [true, true] });
    const descriptions = report.sent.map((kinds) => kinds.filter((k) => k !== 'candidate'));
    expect(descriptions).toEqual([['offer'], ['answer']]);
    expect(report.remoteTracks).toEqual([
      ['audio', 'video'],
      ['audio', 'video'],
    ]);
    expect(report.chatReceived).toEqual([['from one'], ['from zero']]);
    expect(report.signalingStates).toEqual(['stable', 'stable']);
    expect(report.errors).toEqual([]);
  });

  it('settles simultaneous offers (glare): the impolite side wins and both connect', async () => {
    const report = await connectedPair({ roles: ['offerer', 'offerer'], media: [true, true] });
    expect(report.sent[0]).toContain('offer');
    expect(report.sent[1]).toContain('offer');
    expect(report.signalingStates).toEqual(['stable', 'stable']);
    expect(report.remoteTracks).toEqual([
      ['audio', 'video'],
      ['audio', 'video'],
    ]);
    expect(report.chatReceived).toEqual([['from one'], ['from zero']]);
    expect(report.errors).toEqual([]);
  });

  it('connects people without camera or microphone for chat, and they still receive media', async () => {
    const report = await connectedPair({ roles: ['offerer', 'answerer'], media: [false, true] });
    expect(report.remoteTracks[0]).toEqual(['audio', 'video']);
    expect(report.chatReceived).toEqual([['from one'], ['from zero']]);
    expect(report.errors).toEqual([]);
  });

  it('renegotiates an ICE restart through the same path and stays connected', async () => {
    await connectedPair({ roles: ['offerer', 'answerer'], media: [true, true] });
    await page.evaluate(() => window.harness.restartIce(1));
    // The answerer now offers; the newcomer answers.
    await page.evaluate(() =>
      Promise.all([window.harness.waitSent(1, 'offer', 1), window.harness.waitSent(0, 'answer', 1)]),
    );
    await page.evaluate(() => window.harness.waitConnected());
    await page.evaluate(() => window.harness.chat(1, 'after restart'));
    await page.evaluate(() => window.harness.waitChat(0, 2));
    const report = await page.evaluate(() => window.harness.report());
    expect(report.chatReceived[0]).toEqual(['from one', 'after restart']);
    expect(report.signalingStates).toEqual(['stable', 'stable']);
    expect(report.errors).toEqual([]);
  });
});
