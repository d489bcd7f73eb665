import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { chooseFile, fileCard, writeTestFile } from '../support/files.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { type TestServer, startTestServer } from '../support/server.js';

const MIB = 1024 * 1024;
/** Above what a page keeps in memory (512 MiB): it must go to disk, or be refused before it is sent. */
const BLOCKS = 600;

/**
 * The browser's save dialog cannot be clicked by a test, so the one thing replaced is the dialog: the
 * picker hands out a file in the page's private file system (OPFS), a real FileSystemFileHandle whose
 * writable stream Parley writes to exactly as it would to a file the person chose.
 */
function pickerIntoPrivateFiles() {
  const picked: string[] = [];
  (window as unknown as { picked: string[] }).picked = picked;
  (window as unknown as Record<string, unknown>).showSaveFilePicker = async ({
    suggestedName,
  }: {
    suggestedName: string;
  }) => {
    picked.push(suggestedName);
    return (await navigator.storage.getDirectory()).getFileHandle(suggestedName, { create: true });
  };
}

/** A browser without File System Access, as Firefox and Safari are. */
function noSaveFilePicker() {
  delete (window as unknown as Record<string, unknown>).showSaveFilePicker;
  delete (Window.prototype as unknown as Record<string, unknown>).showSaveFilePicker;
}

/**
 * Chooses, in the sender's page, a file of BLOCKS MiB: each MiB a copy of `base` with its own number in its
 * first 4 bytes, so that every block differs and a block out of place shows. Returns its SHA-256.
 */
async function chooseLargeFile(page: Page, name: string, base: Buffer): Promise<string> {
  const { path, sha256 } = await writeTestFile(name, BLOCKS * MIB, (index) => {
    const block = Buffer.from(base);
    block.writeUInt32BE(index, 0);
    return block;
  });
  await chooseFile(page.getByRole('button', { name: 'Send file' }), path);
  return sha256;
}

describe('files larger than memory', () => {
  let server: TestServer;
  let chromium: Browser;

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer({ maxPeers: 4 });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('are written to the place the receiver chooses, as they arrive, and arrive intact', async () => {
    const ann = await Participant.open(chromium, `${server.url}/r/e2e-large`, 'Ann');
    await ann.join();
    const bob = await Participant.open(
      chromium,
      `${server.url}/r/e2e-large`,
      'Bob',
      {},
      { init: pickerIntoPrivateFiles },
    );
    await bob.join();
    const base = randomBytes(MIB);
    await chooseLargeFile(ann.page, 'big archive.tar', base);
    const bobCard = fileCard(bob.page, 'big archive.tar');
    const annCard = fileCard(ann.page, 'big archive.tar');
    await bobCard.getByText('Too large to keep in memory: choose where to save it, or decline.').waitFor();
    await annCard.getByText('Waiting for Bob to accept…').waitFor();
    await expectPainted(
      bobCard.getByRole('button', { name: 'Choose where to save' }),
      'Choose where to save',
    );
    await saveTestScreenshot(bob.page, 'file-choose-place');
    await bobCard.getByRole('button', { name: 'Choose where to save' }).click();
    await bobCard.getByRole('progressbar').waitFor();
    await bobCard.getByText('Saved where you chose, intact (SHA-256 checked)').waitFor({ timeout: 120_000 });
    await annCard.getByText('Bob received it intact').waitFor();
    expect(await bobCard.getByRole('link').count(), 'nothing to save from memory').toBe(0);
    // The file on disk, block by block, is the one Ann chose.
    const check = await bob.page.evaluate(
      async ({ base64, blocks }) => {
        const base = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const file = await (
          await (await navigator.storage.getDirectory()).getFileHandle('big archive.tar')
        ).getFile();
        let wrong = -1;
        for (let index = 0; index < blocks && wrong < 0; index++) {
          const block = new Uint8Array(
            await file.slice(index * base.length, (index + 1) * base.length).arrayBuffer(),
          );
          const expected = base.slice();
          new DataView(expected.buffer).setUint32(0, index);
          if (block.length !== expected.length || block.some((byte, at) => byte !== expected[at]))
            wrong = index;
        }
        return { size: file.size, wrong, picked: (window as unknown as { picked: string[] }).picked };
      },
      { base64: base.toString('base64'), blocks: BLOCKS },
    );
    expect(check).toEqual({ size: BLOCKS * MIB, wrong: -1, picked: ['big archive.tar'] });
    await ann.close();
    await bob.close();
  });

  it('are refused before a byte is sent where the browser cannot write to disk, saying its limit', async () => {
    const ann = await Participant.open(chromium, `${server.url}/r/e2e-large-2`, 'Ann');
    await ann.join();
    const bob = await Participant.open(
      chromium,
      `${server.url}/r/e2e-large-2`,
      'Bob',
      {},
      { init: noSaveFilePicker },
    );
    await bob.join();
    await chooseLargeFile(ann.page, 'too big.iso', randomBytes(MIB));
    const annCard = fileCard(ann.page, 'too big.iso');
    await annCard.getByText("Too large for Bob's browser, which takes files up to 537 MB").waitFor();
    expect(await annCard.getByRole('progressbar').count()).toBe(0);
    await fileCard(bob.page, 'too big.iso')
      .getByText('Too large for this browser, which takes files up to 537 MB; Ann was told')
      .waitFor();
    await expectPainted(annCard.getByText("Too large for Bob's browser", { exact: false }), 'the limit');
    await saveTestScreenshot(ann.page, 'file-too-large');
    await ann.close();
    await bob.close();
  });
});
