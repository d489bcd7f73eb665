import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ackSchema } from '../../src/protocol/index.js';
import { startEchoPeer } from '../../src/node-peer/index.js';
import { connect } from '../integration/clients.js';
import { PHONE, launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { type RunningCoturn, startCoturn } from '../support/coturn.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant, byRole } from '../support/firefox-participant.js';
import { Participant } from '../support/participant.js';
import { type TestServer, startTestServer } from '../support/server.js';

/** What the returned video's tile is called, as a screen reader finds it. */
const RETURNED = 'Your video, returned';
const WORKS = 'Your camera, microphone and connection work.';
/** Frames of one's own video that must come back and be shown (the fake cameras run at 20 fps or more). */
const FLOWING = 10;
/** "Within a few seconds" of pressing Test call. */
const WITHIN_MS = 8_000;
const TURN_SECRET = 'e2e-test-call-turn-secret-0123456789';

describe('Test call in Chromium', () => {
  let server: TestServer;
  let relayServer: TestServer;
  let coturn: RunningCoturn;
  let chromium: ChromiumBrowser;
  beforeAll(async () => {
    requireBuiltPage();
    coturn = await startCoturn({ secret: TURN_SECRET });
    server = await startTestServer({ testCalls: 1 }, { startEchoPeer });
    relayServer = await startTestServer(
      { turnUrls: [coturn.url], turnSecret: TURN_SECRET, icePolicy: 'relay' },
      { startEchoPeer },
    );
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
    await relayServer?.close();
    await coturn?.close();
  });

  it('shows one’s own video coming back, advancing, with the path and a verdict in plain words', async () => {
    const ann = await Participant.open(chromium, `${server.url}/r/lobby`, 'Ann');
    try {
      await ann.page.getByRole('button', { name: 'Test call' }).click();
      expect(await ann.framesAdvancing(RETURNED, FLOWING, WITHIN_MS)).toBeGreaterThanOrEqual(FLOWING);
      await ann.page.getByRole('status').getByText(WORKS, { exact: true }).waitFor();
      await ann.page.getByText(/^Direct · UDP · round trip \d+ ms$/).waitFor();
      // One's own voice comes back too (Chromium's fake microphone makes a steady tone).
      expect(await ann.loudestAudio(RETURNED)).toBeGreaterThan(0.02);
      await ann.page.getByRole('meter', { name: 'Microphone level' }).waitFor();
      await ann.page.getByRole('button', { name: 'Play a test sound' }).click();
      // Join waits for the test call to end; ending it gives the place back.
      expect(await ann.page.getByRole('button', { name: 'Join' }).isDisabled()).toBe(true);
      await ann.page.getByRole('button', { name: 'End test call' }).click();
      await ann.page.getByRole('button', { name: 'Join' }).and(ann.page.locator(':enabled')).waitFor();
      await ann.join();
    } finally {
      await ann.close();
    }
  });

  it('answers in plain words when every test call is in use', async () => {
    // The server allows one at a time: a program holds it.
    const { socket } = await connect(server.url);
    try {
      const held = ackSchema('test-call').parse(await socket.emitWithAck('test-call', {}));
      expect(held.ok).toBe(true);
      const ben = await Participant.open(chromium, `${server.url}/r/lobby`, 'Ben', PHONE);
      try {
        await ben.page.getByRole('button', { name: 'Test call' }).click();
        await ben.page
          .getByRole('status')
          .getByText('All test calls are busy. Try again in a minute.', { exact: true })
          .waitFor();
      } finally {
        await ben.close();
      }
    } finally {
      socket.close();
    }
  });

  it('goes through the TURN relay when the server asks for relayed calls', async () => {
    const cat = await Participant.open(chromium, `${relayServer.url}/r/lobby`, 'Cat');
    try {
      await cat.page.getByRole('button', { name: 'Test call' }).click();
      expect(await cat.framesAdvancing(RETURNED, FLOWING, WITHIN_MS)).toBeGreaterThanOrEqual(FLOWING);
      await cat.page.getByText(/^Relayed · UDP · round trip \d+ ms$/).waitFor();
      await cat.page.getByRole('status').getByText(WORKS, { exact: true }).waitFor();
    } finally {
      await cat.close();
    }
  });
});

describe('Test call in Firefox', () => {
  let server: TestServer;
  let firefox: FirefoxBrowser;
  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer({}, { startEchoPeer });
    firefox = await launchFirefox();
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it('shows one’s own video coming back, advancing, and the verdict', async () => {
    const fay = await FirefoxParticipant.open(firefox, `${server.url}/r/lobby`, 'Fay');
    try {
      await fay.page.locator(byRole('button', 'Test call')).click();
      expect(await fay.framesAdvancing(RETURNED, FLOWING, WITHIN_MS)).toBeGreaterThanOrEqual(FLOWING);
      await fay.page.waitForFunction(
        (text) => [...document.querySelectorAll('[role="status"]')].some((s) => s.textContent === text),
        {},
        WORKS,
      );
    } finally {
      await fay.close();
    }
  });
});
