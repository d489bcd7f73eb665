/**
 * Takes the README's pictures of a call: `npm run screenshots` (it builds first). Starts the built server
 * (dist/cli.js) and one headless Chromium with fake cameras; Ann and Ben meet in a room, each in a window
 * of their own, and say hello in the chat. Writes docs/screenshot.png (Ann's 1280x720 desktop window) and
 * docs/screenshot-phone.png (Ann on a 390x844 phone, Ben at his desk), and docs/screenshot-zh-CN.png (the
 * same call in Simplified Chinese, in a room named 周会). Nothing else writes these files.
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

/** Who meets, what they say in order (`first` is the one whose window is pictured), and in which language. */
interface Scene {
  room: string;
  names: readonly [string, string];
  chat: readonly { from: 'first' | 'second'; text: string }[];
  language?: 'zh-CN';
}

const ENGLISH: Scene = {
  room: ROOM,
  names: ['Ann', 'Ben'],
  chat: [
    { from: 'first', text: 'Morning, Ben! Can you hear me all right?' },
    { from: 'second', text: 'Loud and clear. How was the weekend?' },
    { from: 'first', text: 'Lovely, thanks. Shall we go through the plan for Friday?' },
  ],
};

const CHINESE: Scene = {
  room: '周会',
  names: ['王芳', '李雷'],
  chat: [
    { from: 'first', text: '早上好，李雷！听得清楚吗？' },
    { from: 'second', text: '很清楚。周末过得怎么样？' },
    { from: 'first', text: '挺好的，谢谢。我们来过一下周五的计划吧？' },
  ],
  language: 'zh-CN',
};

/**
 * Two people (the first in `device`'s window, the second at a desktop window) in a call with their chat; a
 * picture of the first one's window goes to `docs/<file>`. Both leave the room afterwards.
 */
async function picture(
  browser: Browser,
  server: ServerProcess,
  device: BrowserContextOptions,
  file: string,
  scene: Scene = ENGLISH,
) {
  const link = `${server.url}/r/${scene.room}`;
  const first = await Participant.open(browser, link, scene.names[0], device);
  const second = await Participant.open(browser, link, scene.names[1]);
  try {
    await first.join();
    await second.join();
    await expectFlowing(first, second.name);
    await expectFlowing(second, first.name);
    // The tile shows its verification code once the connection is up: the call as it looks in use.
    await first.verificationCode(second.name);
    // On a phone the chat starts closed: opened, as the person would to write.
    const chat = first.page.getByRole('button', { name: 'Chat', exact: true });
    if ((await chat.getAttribute('aria-pressed')) === 'false') await chat.click();
    for (const line of scene.chat) {
      const [writer, reader] = line.from === 'first' ? [first, second] : [second, first];
      await writer.sendChat(line.text);
      await reader.waitForChat(writer.name, line.text);
    }
    if (scene.language) {
      // Switched in the call, as a person would, with the Language control.
      await first.page.getByRole('combobox', { name: 'Language' }).selectOption(scene.language);
      await first.page.getByRole('combobox', { name: '语言' }).waitFor();
    }
    // No focus ring on the Send button or the message box, and no hover on any control.
    await first.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await first.page.mouse.move(0, 0);
    await expectFlowing(first, second.name);
    const path = fileURLToPath(new URL(file, DOCS));
    await first.page.screenshot({ path });
    console.log(`wrote ${path}`);
    await second.leave();
    if (scene.language) {
      await first.page.getByRole('combobox', { name: '语言' }).selectOption('en');
      await first.page.getByRole('combobox', { name: 'Language' }).waitFor();
    }
    await first.leave();
  } finally {
    await first.close();
    await second.close();
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
    await picture(browser, server, {}, 'screenshot-zh-CN.png', CHINESE);
  } finally {
    await browser.close();
  }
} finally {
  await server.stop();
}
