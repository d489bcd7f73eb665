import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, launchChromium } from '../support/browser.js';
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

  /** Starts a file large enough to be still moving when a button is pressed, and waits until it moves. */
  async function startLargeFile(name: string) {
    await chooseRandomFile(ann.page.getByRole('button', { name: 'Send file' }), name, 200 * MB);
    const bar = fileCard(bob.page, name).getByRole('progressbar');
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 15_000 })
      .toBeGreaterThan(0);
    return { annCard: fileCard(ann.page, name), bobCard: fileCard(bob.page, name) };
  }

  it('the sender cancels mid-way: both cards say so and nothing can be saved', async () => {
    const { annCard, bobCard } = await startLargeFile('sender-cancels.bin');
    await annCard.getByRole('button', { name: 'Cancel' }).click();
    await annCard.getByText('You cancelled it').waitFor();
    await bobCard.getByText('Ann cancelled it').waitFor();
    expect(await bobCard.getByRole('link').count()).toBe(0);
    expect(await bobCard.getByRole('progressbar').count()).toBe(0);
  });

  it('the receiver cancels mid-way', async () => {
    const { annCard, bobCard } = await startLargeFile('receiver-cancels.bin');
    // The bar is painted as far along as it says: its fill covers the share of the track its value gives.
    const bar = bobCard.getByRole('progressbar');
    await expectPainted(bar, 'the progress bar');
    const painted = await bar.evaluate((track) => {
      const fill = track.firstElementChild!.getBoundingClientRect();
      const whole = track.getBoundingClientRect();
      return { filled: fill.width / whole.width, said: Number(track.getAttribute('aria-valuenow')) / 100 };
    });
    expect(painted.filled).toBeGreaterThan(0);
    expect(Math.abs(painted.filled - painted.said), JSON.stringify(painted)).toBeLessThan(0.02);
    await saveTestScreenshot(bob.page, 'file-moving');
    await bobCard.getByRole('button', { name: 'Cancel' }).click();
    await bobCard.getByText('You cancelled it').waitFor();
    await annCard.getByText('Bob cancelled it').waitFor();
    expect(await bobCard.getByRole('link').count()).toBe(0);
  });

  it('the receiver declines while it arrives', async () => {
    const { annCard, bobCard } = await startLargeFile('receiver-declines.bin');
    await bobCard.getByRole('button', { name: 'Decline' }).click();
    await bobCard.getByText('You declined it').waitFor();
    await annCard.getByText('Bob declined it').waitFor();
    expect(await bobCard.getByRole('link').count()).toBe(0);
    await saveTestScreenshot(ann.page, 'file-declined-sender');
    // The call is unharmed: video still flows, and a file sent afterwards still arrives.
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(10);
  });

  it('goes to one person from their tile, and only to them', async () => {
    const cy = await Participant.open(chromium, `${server.url}/r/e2e-files`, 'Cy');
    await cy.join();
    const sent = await chooseRandomFile(
      ann.tile('Cy').getByRole('button', { name: 'Send a file to Cy' }),
      'for cy only.txt',
      300_000,
    );
    const save = fileCard(cy.page, sent.name).getByRole('link', { name: `Save ${sent.name}` });
    await save.waitFor();
    expect(await downloadSaved(cy.page, save)).toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: sent.name,
    });
    await fileCard(ann.page, sent.name).getByText('Cy received it intact').waitFor();
    expect(await fileCard(bob.page, sent.name).count(), 'Bob never hears of it').toBe(0);
    await cy.close();
  });

  it('shows the file card in Chinese on a phone, painted where it is, in the viewport', async () => {
    const wang = await Participant.open(chromium, `${server.url}/r/e2e-files`, 'Wang', PHONE);
    await wang.page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await wang.page.getByRole('button', { name: '加入' }).tap();
    await wang.page.getByRole('button', { name: '离开' }).waitFor();
    const sent = await chooseRandomFile(
      ann.tile('Wang').getByRole('button', { name: 'Send a file to Wang' }),
      '照片.jpg',
      2 * MB,
    );
    // The chat starts closed on a phone; its button says a line came.
    await wang.page.getByRole('button', { name: '聊天，1 条未读', exact: true }).tap();
    const card = fileCard(wang.page, sent.name);
    const verdict = card.getByText('已完整收到（SHA-256 校验通过）');
    await verdict.waitFor();
    await expectPainted(card.getByRole('link', { name: `保存“${sent.name}”` }), 'the Save link in Chinese');
    await expectPainted(verdict, 'the verdict in Chinese');
    // Random bytes are not a picture: no preview, only the link.
    expect(await card.getByRole('img').count()).toBe(0);
    await saveTestScreenshot(wang.page, 'file-received-phone-zh');
    // Tiles this narrow keep their actions behind one button, in a sheet.
    expect(await wang.tile('Ann').getByRole('button', { name: '给 Ann 发送文件' }).count()).toBe(0);
    await wang.tile('Ann').getByRole('button', { name: 'Ann 的更多操作' }).tap();
    const sheet = wang.page.getByRole('dialog', { name: 'Ann' });
    await expectPainted(sheet.getByRole('button', { name: '给 Ann 发送文件' }), 'Send a file in the sheet');
    await expectPainted(sheet.getByRole('button', { name: '固定 Ann' }), 'Pin in the sheet');
    await saveTestScreenshot(wang.page, 'tile-menu-phone-zh');
    await sheet.getByRole('button', { name: '关闭' }).tap();
    await sheet.waitFor({ state: 'detached' });
    await wang.close();
  });

  it('sends a picture pasted into the message field and files dropped on the chat; the picture is previewed', async () => {
    // A screenshot on the clipboard: a real PNG, drawn in Ann's page, pasted into the message field.
    await ann.page.getByRole('textbox', { name: 'Message' }).evaluate(async (field: HTMLInputElement) => {
      const canvas = document.createElement('canvas');
      canvas.width = 120;
      canvas.height = 80;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#e0443e';
      context.fillRect(0, 0, 120, 80);
      const png = await new Promise<Blob>((resolve) => canvas.toBlob((blob) => resolve(blob!), 'image/png'));
      const clipboard = new DataTransfer();
      clipboard.items.add(new File([png], 'pasted.png', { type: 'image/png' }));
      field.focus();
      field.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }),
      );
    });
    const preview = fileCard(bob.page, 'pasted.png').getByRole('img', { name: 'Preview of pasted.png' });
    await preview.waitFor();
    expect(
      await preview.evaluate((image: HTMLImageElement) => [image.naturalWidth, image.naturalHeight]),
    ).toEqual([120, 80]);
    await expectPainted(preview, 'the preview of a pasted picture');
    expect(
      await ann.page.getByRole('textbox', { name: 'Message' }).inputValue(),
      'nothing pasted as text',
    ).toBe('');

    // Two files dragged from the desktop onto the chat.
    await ann.page.getByRole('region', { name: 'Chat' }).evaluate((chat) => {
      const dragged = new DataTransfer();
      dragged.items.add(new File(['first'], 'one.txt', { type: 'text/plain' }));
      dragged.items.add(new File(['second'], 'two.txt', { type: 'text/plain' }));
      chat.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: dragged, bubbles: true, cancelable: true }),
      );
      chat.dispatchEvent(new DragEvent('drop', { dataTransfer: dragged, bubbles: true, cancelable: true }));
    });
    for (const name of ['one.txt', 'two.txt'])
      await fileCard(bob.page, name)
        .getByRole('link', { name: `Save ${name}` })
        .waitFor();
    expect(await fileCard(bob.page, 'one.txt').getByRole('img').count(), 'text is not previewed').toBe(0);
    await saveTestScreenshot(bob.page, 'file-pasted-and-dropped');
  });

  it('ends with a plain word when the other person leaves mid-way', async () => {
    const dee = await Participant.open(chromium, `${server.url}/r/e2e-files`, 'Dee');
    await dee.join();
    await chooseRandomFile(
      ann.tile('Dee').getByRole('button', { name: 'Send a file to Dee' }),
      'for dee.bin',
      200 * MB,
    );
    const bar = fileCard(dee.page, 'for dee.bin').getByRole('progressbar');
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await dee.close();
    const annCard = fileCard(ann.page, 'for dee.bin');
    await annCard.getByText('Dee left the call before it was across').waitFor();
    expect(await annCard.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
  });
});
