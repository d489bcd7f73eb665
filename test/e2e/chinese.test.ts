import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PHONE, newParticipantContext } from '../support/browser.js';
import { countPresentedFrames } from '../support/media-probes.js';
import { expectPainted } from '../support/painted.js';
import { STEP_TIMEOUT } from '../support/participant.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
/** A room named in Chinese, reached through its link as typed (`/r/周会`; the browser percent-encodes it). */
const ROOM = '周会';
/** The WeChat notice shows the link as the page has it: an ASCII room keeps that comparison plain. */
const IN_APP_ROOM = 'e2e-zhongwen';
/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;
/** Latin words a Chinese page may show: names of things, protocols, and the Language control's "English". */
const LATIN_ALLOWED = new Set(['Parley', 'UDP', 'TCP', 'TURN', 'STUN', 'English', 'Mbps']);
const DESKTOP = { width: 1280, height: 720 };
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 ' +
  'Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) ' +
  'WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

/** A person whose browser prefers Simplified Chinese, on the lobby with the camera preview ready. */
async function openInChinese(url: string, name: string, device: BrowserContextOptions = {}): Promise<Page> {
  const context = await newParticipantContext(started.browser, { locale: 'zh-CN', ...device });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  await page.goto(url);
  await page.getByRole('textbox', { name: '你的名字' }).fill(name);
  await page.getByRole('button', { name: '加入' }).and(page.locator(':enabled')).waitFor();
  return page;
}

/** Every word the page shows or speaks: its visible text, title, accessible names, tooltips, placeholders. */
function pageWords(page: Page): Promise<string> {
  return page.evaluate(() => {
    const texts = [document.title, document.body.innerText];
    for (const element of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
      for (const attribute of ['aria-label', 'title', 'placeholder']) {
        texts.push(element.getAttribute(attribute) ?? '');
      }
    }
    return texts.join('\n');
  });
}

/** The Latin words left on the page once names (of people, the room, its link) are taken out. */
async function englishLeft(page: Page, names: string[]): Promise<string[]> {
  let text = await pageWords(page);
  for (const name of names) text = text.replaceAll(name, ' ');
  return (text.match(/[A-Za-z][A-Za-z'-]+/g) ?? []).filter((word) => !LATIN_ALLOWED.has(word));
}

function framesAdvancing(page: Page, name: string): Promise<number> {
  const video = page.getByRole('figure', { name, exact: true }).locator('video');
  return video.evaluate(countPresentedFrames, { target: FLOWING, withinMs: 10_000 });
}

const started = serverAndChromium();

describe('Parley in Simplified Chinese (Chromium, locale zh-CN)', () => {
  let wang: Page;
  let li: Page;
  const link = () => `${started.server.url}/r/${ROOM}`;

  it('reads the lobby in Chinese: language, title, fields and buttons, and no English left', async () => {
    wang = await openInChinese(link(), '王芳');
    expect(await wang.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await wang.title()).toBe('Parley · 视频通话');
    const language = wang.getByRole('combobox', { name: '语言' });
    expect(await language.inputValue()).toBe('zh-CN');
    expect(await wang.getByRole('textbox', { name: '房间' }).inputValue()).toBe(ROOM);
    await wang.getByLabel('密码', { exact: true }).waitFor();
    await wang.getByRole('button', { name: '新房间' }).waitFor();
    await wang.getByRole('status', { name: '连接检查' }).getByText('可以直接连接。').waitFor();
    expect(await englishLeft(wang, [ROOM, encodeURI(link()), link()])).toEqual([]);
  });

  it('paints the lobby’s Chinese text where it belongs, on a desktop and on a phone', async () => {
    for (const size of [DESKTOP, PHONE.viewport]) {
      await wang.setViewportSize(size);
      const at = `${size.width}x${size.height}`;
      await expectPainted(wang.locator('.lobby__tagline'), `tagline at ${at}`, { scroll: true });
      await expectPainted(wang.getByRole('combobox', { name: '语言' }), `Language at ${at}`, {
        scroll: true,
      });
      await expectPainted(wang.getByText('你的名字', { exact: true }), `name label at ${at}`, {
        scroll: true,
      });
      await expectPainted(wang.getByRole('button', { name: '加入' }), `Join at ${at}`, { scroll: true });
      await expectPainted(wang.getByRole('status', { name: '连接检查' }), `check at ${at}`, { scroll: true });
    }
    await wang.setViewportSize(DESKTOP);
  });

  it('reads the call in Chinese, and a chat line in Chinese arrives', async () => {
    await wang.getByRole('button', { name: '加入' }).click();
    await wang.getByText('正在等待其他人加入。').waitFor();
    // The call header shows the room's name as typed.
    await wang.locator('header').getByText(ROOM, { exact: true }).first().waitFor();
    li = await openInChinese(link(), '李雷');
    await li.getByRole('button', { name: '加入' }).click();
    await li.getByRole('button', { name: '离开' }).waitFor();
    expect(await framesAdvancing(wang, '李雷')).toBeGreaterThanOrEqual(FLOWING);
    expect(await framesAdvancing(li, '王芳')).toBeGreaterThanOrEqual(FLOWING);
    await wang.getByRole('figure', { name: '李雷' }).getByRole('note', { name: '验证码' }).waitFor();
    await wang
      .getByRole('figure', { name: '李雷' })
      .getByText(/^直连 · UDP$/)
      .waitFor();

    const line = '你好！听得到吗？';
    await wang.getByRole('textbox', { name: '消息' }).fill(line);
    await wang.getByRole('button', { name: '发送', exact: true }).click();
    await li
      .getByRole('log')
      .getByRole('listitem')
      .filter({ hasText: '王芳' })
      .filter({ has: li.getByText(line, { exact: true }) })
      .waitFor();
    for (const page of [wang, li])
      expect(await englishLeft(page, [ROOM, encodeURI(link()), link()])).toEqual([]);
    expect(await wang.getByText(`2 / 2 人`).count()).toBe(1);
  });

  it('paints the call’s Chinese text where it belongs, on a desktop and on a phone', async () => {
    for (const size of [DESKTOP, PHONE.viewport]) {
      await wang.setViewportSize(size);
      const at = `${size.width}x${size.height}`;
      await mkdir(SCREENSHOTS, { recursive: true });
      await wang.screenshot({ path: `${SCREENSHOTS}call-zh-CN-${at}.png` });
      for (const name of ['离开', '麦克风', '摄像头']) {
        await expectPainted(wang.getByRole('button', { name }), `${name} at ${at}`);
      }
      for (const name of ['发送', '发送文件', '聊天', '举手', '表情回应', '省流量', '通话详情'])
        await expectPainted(wang.getByRole('button', { name, exact: true }), `${name} at ${at}`);
      await expectPainted(wang.getByRole('combobox', { name: '语言' }), `Language at ${at}`);
      await expectPainted(wang.getByRole('textbox', { name: '消息' }), `Message at ${at}`);
      await expectPainted(wang.getByRole('figure', { name: '李雷' }).locator('.tile__name'), `name at ${at}`);
      await expectPainted(wang.getByRole('note', { name: '验证码' }), `code at ${at}`);
    }
    await wang.setViewportSize(DESKTOP);
  });

  it('reads Call details in Chinese, the figures in Chinese units', async () => {
    await wang.getByRole('button', { name: '通话详情', exact: true }).click();
    const dialog = wang.getByRole('dialog', { name: '通话详情' });
    const li = dialog.getByRole('region', { name: '李雷' });
    await expect.poll(() => li.textContent(), { timeout: 10_000 }).toMatch(/接收VP8 · \d+×\d+ · \d+ 帧\/秒/);
    expect(await li.textContent()).toMatch(/往返时间\d+毫秒/);
    await expectPainted(li.getByText('往返时间'), 'the round trip’s label');
    await expectPainted(dialog.getByRole('button', { name: '复制诊断信息' }), 'Copy diagnostics', {
      scroll: true,
    });
    await mkdir(SCREENSHOTS, { recursive: true });
    await wang.screenshot({ path: `${SCREENSHOTS}call-details-zh-CN.png` });
    // Codec names and the units' own abbreviations are the only Latin left.
    const units = new Set(['VP', 'kb', 'Mb', 'MB', 'kB', 'GB']);
    expect(
      (await englishLeft(wang, [ROOM, encodeURI(link()), link()])).filter((word) => !units.has(word)),
    ).toEqual([]);
    await dialog.getByRole('button', { name: '关闭' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('switches to English in the call and back, at once, the call going on', async () => {
    await wang.getByRole('combobox', { name: '语言' }).selectOption('en');
    await wang.getByRole('button', { name: 'Leave' }).waitFor();
    expect(await wang.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await wang.title()).toBe('周会 · 2 people · Parley');
    await wang.getByRole('textbox', { name: 'Message' }).waitFor();
    await wang.getByRole('figure', { name: 'You', exact: true }).waitFor();
    expect(await framesAdvancing(wang, '李雷')).toBeGreaterThanOrEqual(FLOWING);
    expect(await framesAdvancing(li, '王芳')).toBeGreaterThanOrEqual(FLOWING);
    expect(await wang.evaluate(() => localStorage.getItem('parley:language'))).toBe('en');

    await wang.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await wang.getByRole('button', { name: '离开' }).waitFor();
    expect(await wang.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await wang.title()).toBe('周会 · 2 人 · Parley');
    expect(await framesAdvancing(wang, '李雷')).toBeGreaterThanOrEqual(FLOWING);
    await li.context().close();
    await wang.context().close();
  });

  it('tells someone inside WeChat how to open the link in their browser, the link ready to copy', async () => {
    const url = `${started.server.url}/r/${IN_APP_ROOM}`;
    const inApp = await openInChinese(url, '张伟', {
      ...PHONE,
      userAgent: WECHAT_UA,
      permissions: ['camera', 'microphone', 'clipboard-read', 'clipboard-write'],
    });
    const notice = inApp.getByRole('alert').filter({ hasText: '微信' });
    await notice.getByText('你是在微信里打开这个链接的。').waitFor();
    await notice.getByText(/右上角的“…”菜单，选择“在浏览器打开”/).waitFor();
    expect(await notice.getByRole('textbox', { name: '本页链接' }).inputValue()).toBe(url);
    await expectPainted(notice, 'the notice on a phone');
    // It comes first on the page, above the lobby's own text.
    const [noticeBox, joinBox] = [
      await notice.boundingBox(),
      await inApp.locator('.lobby__header').boundingBox(),
    ];
    expect(noticeBox && joinBox && noticeBox.y < joinBox.y).toBe(true);
    await notice.getByRole('button', { name: '复制' }).click();
    await notice.getByRole('button', { name: '已复制' }).waitFor();
    expect(await inApp.evaluate(() => navigator.clipboard.readText())).toBe(url);
    expect(await englishLeft(inApp, [ROOM, url])).toEqual([]);
    await inApp.screenshot({ path: `${SCREENSHOTS}wechat-zh-CN.png` });
    // The call is still offered where the app allows it.
    await inApp.getByRole('button', { name: '加入' }).click();
    await inApp.getByRole('button', { name: '离开' }).waitFor();
    await inApp.context().close();
  });
});
