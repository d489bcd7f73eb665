/**
 * Takes the README's pictures of a call: `npm run screenshots` (it builds first). Starts the built server
 * (dist/cli.js) and one headless Chromium with fake cameras; Ann and Ben meet in a room, each in a window
 * of their own, and say hello in the chat. Writes docs/screenshot.png (Ann's 1280x720 desktop window) and
 * docs/screenshot-phone.png (Ann on a 390x844 phone, Ben at his desk). Nothing else writes these files.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { PHONE, launchChromium } from '../test/support/browser.js';
import { requireBuiltPage } from '../test/support/built-page.js';
import { Participant } from '../test/support/participant.js';
import { type ServerProcess, startServerProcess } from '../test/support/server-process.js';

const DOCS = new URL('../docs/', import.meta.url);
const ROOM = 'team-standup';
/** Frames shown in a tile before the picture is taken: the video is really playing, not a first frame. */
const FLOWING = 10;

/** What Ann and Ben say, in order. */
const CHAT: readonly { from: 'ann' | 'ben'; text: string }[] = [
  { from: 'ann', text: 'Morning, Ben! Can you hear me all right?' },
  { from: 'ben', text: 'Loud and clear. How was the weekend?' },
  { from: 'ann', text: 'Lovely, thanks. Shall we go through the plan for Friday?' },
];

/**
 * Ann (in `annDevice`'s window) and Ben (at a desktop window) in a call with their chat; a picture of Ann's
 * window goes to `docs/<file>`. Both leave the room afterwards, so that the next call can have it.
 */
async function picture(
  browser: Browser,
  server: ServerProcess,
  annDevice: BrowserContextOptions,
  file: string,
) {
  const ann = await Participant.open(browser, `${server.url}/r/${ROOM}`, 'Ann', annDevice);
  const ben = await Participant.open(browser, `${server.url}/r/${ROOM}`, 'Ben');
  try {
    await ann.join();
    await ben.join();
    await expectFlowing(ann, 'Ben');
    await expectFlowing(ben, 'Ann');
    // The tile shows its verification code once the connection is up: the call as it looks in use.
    await ann.verificationCode('Ben');
    for (const line of CHAT) {
      const [writer, reader] = line.from === 'ann' ? [ann, ben] : [ben, ann];
      await writer.sendChat(line.text);
      await reader.waitForChat(writer.name, line.text);
    }
    // No focus ring on the Send button or the message box, and no hover on any control.
    await ann.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await ann.page.mouse.move(0, 0);
    await expectFlowing(ann, 'Ben');
    const path = fileURLToPath(new URL(file, DOCS));
    await ann.page.screenshot({ path });
    console.log(`wrote ${path}`);
    await ben.leave();
    await ann.leave();
  } finally {
    await ann.close();
    await ben.close();
  }
}

async function expectFlowing(viewer: Participant, name: string): Promise<void> {
  const frames = await viewer.framesAdvancing(name, FLOWING);
  if (frames < FLOWING) throw new Error(`${viewer.name} sees ${name}'s video frozen (${frames} frames)`);
}

requireBuiltPage();
await mkdir(DOCS, { recursive: true });
const server = await startServerProcess({ maxPeers: 2 });
try {
  const browser = await launchChromium();
  try {
    await picture(browser, server, {}, 'screenshot.png');
    await picture(browser, server, PHONE, 'screenshot-phone.png');
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
}
