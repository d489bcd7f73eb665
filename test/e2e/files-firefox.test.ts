import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser as ChromiumBrowser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { chooseRandomFile, downloadSaved, fileCard } from '../support/files.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant } from '../support/firefox-participant.js';
import { Participant } from '../support/participant.js';
import { type TestServer, startTestServer } from '../support/server.js';

const MB = 1024 * 1024;
const FLOWING = 10;
/** Generous for 8 MB on a busy 2-core machine; on an idle one it takes about a second. */
const ARRIVES_WITHIN_MS = 45_000;

/**
 * Files between Chromium (Ann, playwright-core) and Firefox (Bob, puppeteer-core over WebDriver BiDi), each
 * way. What the receiver saves is read back from the browser's own download, as the person would get it:
 * Playwright's download in Chromium, the folder Firefox saves into (BiDi `browser.setDownloadBehavior`) in
 * Firefox; its SHA-256 must be the one the sender's page computed over the bytes it made.
 */
describe('files between Chromium and Firefox', () => {
  let server: TestServer;
  let chromium: ChromiumBrowser;
  let firefox: FirefoxBrowser;
  let downloads: string;
  let ann: Participant;
  let bob: FirefoxParticipant;
  const room = 'e2e-files-firefox';

  beforeAll(async () => {
    requireBuiltPage();
    downloads = await mkdtemp(join(tmpdir(), 'parley-firefox-downloads-'));
    server = await startTestServer();
    [chromium, firefox] = await Promise.all([launchChromium(), launchFirefox()]);
    ann = await Participant.open(chromium, `${server.url}/r/${room}`, 'Ann');
    await ann.join();
    bob = await FirefoxParticipant.open(firefox, `${server.url}/r/${room}`, 'Bob', {
      downloadPath: downloads,
    });
    await bob.join();
    expect(await bob.framesAdvancing('Ann'), 'Firefox sees Chromium').toBeGreaterThanOrEqual(FLOWING);
    expect(await ann.framesAdvancing('Bob'), 'Chromium sees Firefox').toBeGreaterThanOrEqual(FLOWING);
  });
  afterAll(async () => {
    await bob?.close();
    await ann?.close();
    await Promise.all([chromium?.close(), firefox?.close()]);
    await server?.close();
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  it('Chromium → Firefox: 8 MB arrive with the same SHA-256, and Ann hears it arrived intact', async () => {
    const sent = await chooseRandomFile(
      ann.page.getByRole('button', { name: 'Send file' }),
      'from chromium.bin',
      8 * MB,
    );
    await bob.waitForFileText(sent.name, 'Arrived intact (SHA-256 checked)', ARRIVES_WITHIN_MS);
    expect(await bob.saveFile(sent.name, sent.size), 'what Firefox saved').toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: sent.name,
    });
    await fileCard(ann.page, sent.name).getByText('Bob received it intact').waitFor();
  });

  it('Firefox → Chromium: 8 MB arrive with the same SHA-256, and Bob hears it arrived intact', async () => {
    const sent = await bob.chooseRandomFile('Send file', 'from firefox.bin', 8 * MB);
    const annCard = fileCard(ann.page, sent.name);
    const save = annCard.getByRole('link', { name: `Save ${sent.name}` });
    await save.waitFor({ timeout: ARRIVES_WITHIN_MS });
    await annCard.getByText('Arrived intact (SHA-256 checked)').waitFor();
    expect(await downloadSaved(ann.page, save), 'what Chromium saved').toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: sent.name,
    });
    await bob.waitForFileText(sent.name, 'Ann received it intact');
    // The call is unharmed by both files: video still flows each way.
    expect(await bob.framesAdvancing('Ann'), 'Firefox still sees Chromium').toBeGreaterThanOrEqual(FLOWING);
    expect(await ann.framesAdvancing('Bob'), 'Chromium still sees Firefox').toBeGreaterThanOrEqual(FLOWING);
  });
});
