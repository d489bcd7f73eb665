import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { chooseRandomFile, downloadSaved, fileCard } from '../support/files.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { type TestServer, startTestServer } from '../support/server.js';

const MB = 1024 * 1024;

describe('sending files', () => {
  let server: TestServer;
  let chromium: Browser;
  let ann: Participant;
  let bob: Participant;

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer({ maxPeers: 4 });
    chromium = await launchChromium();
    ann = await Participant.open(chromium, `${server.url}/r/e2e-files`, 'Ann');
    await ann.join();
    bob = await Participant.open(chromium, `${server.url}/r/e2e-files`, 'Bob');
    await bob.join();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('a 24 MB file arrives whole (same SHA-256) while video goes on and a chat line gets through', async () => {
    // Bob's page notes when the chat line and the "intact" verdict first show, to tell their order.
    await bob.page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[role=log]')?.textContent ?? '';
        if (text.includes('while the file goes')) seen.chat ??= performance.now();
        if (text.includes('Arrived intact')) seen.intact ??= performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const sent = await chooseRandomFile(
      ann.page,
      ann.page.getByRole('button', { name: 'Send file' }),
      'holiday photos.zip',
      24 * MB,
    );
    const annCard = fileCard(ann.page, sent.name);
    await annCard.getByRole('progressbar').or(annCard.getByText('Bob received it intact')).first().waitFor();
    const [frames] = await Promise.all([bob.framesAdvancing('Ann', 20), ann.sendChat('while the file goes')]);
    expect(frames, 'video keeps advancing during the transfer').toBeGreaterThanOrEqual(20);
    const bobCard = fileCard(bob.page, sent.name);
    const save = bobCard.getByRole('link', { name: `Save ${sent.name}` });
    await save.waitFor({ timeout: 60_000 });
    await bobCard.getByText('Arrived intact (SHA-256 checked)').waitFor();
    expect(await downloadSaved(bob.page, save)).toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: sent.name,
    });
    await annCard.getByText('Bob received it intact').waitFor();
    await bob.waitForChat('Ann', 'while the file goes');
    const seen = await bob.page.evaluate(() => (window as unknown as { seen: Record<string, number> }).seen);
    expect(seen.chat, 'the chat line arrived before the file was complete').toBeLessThan(seen.intact!);
    await expectPainted(save, 'the link to save the file');
    await saveTestScreenshot(bob.page, 'file-received');
    await saveTestScreenshot(ann.page, 'file-sent');
  });
});
