import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE, launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { type TestServer, startTestServer } from '../support/server.js';

const FLOWING = 10;
const ROOM = 'e2e-devices';

/** The device our own preview's camera track comes from. */
function previewCamera(page: Page): Promise<string | undefined> {
  return page
    .getByRole('figure', { name: 'You', exact: true })
    .locator('video')
    .evaluate(
      (video: HTMLVideoElement) =>
        (video.srcObject as MediaStream | null)?.getVideoTracks()[0]?.getSettings().deviceId,
    );
}

/** What each connected connection of the page sends as video, and how many negotiations it has seen. */
function sentVideo(
  page: Page,
): Promise<{ device: string | undefined; live: boolean; negotiations: number }[]> {
  return page.evaluate(() => {
    const all = (window as unknown as { parleyPeerConnections: RTCPeerConnection[] }).parleyPeerConnections;
    return all
      .filter((pc) => pc.connectionState === 'connected')
      .map((pc) => {
        const track = pc.getSenders().find((sender) => sender.track?.kind === 'video')?.track;
        return {
          device: track?.getSettings().deviceId,
          live: track?.readyState === 'live',
          negotiations: (pc as unknown as { negotiations?: number }).negotiations ?? 0,
        };
      });
  });
}

/** From now on, counts each offer or answer every connection of the page applies locally. */
function countNegotiations(page: Page): Promise<void> {
  return page.evaluate(() => {
    const all = (window as unknown as { parleyPeerConnections: RTCPeerConnection[] }).parleyPeerConnections;
    for (const pc of all) {
      const counted = pc as unknown as { negotiations: number };
      counted.negotiations = 0;
      pc.addEventListener('signalingstatechange', () => (counted.negotiations += 1));
    }
  });
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  return dialog;
}

/**
 * Chromium's fake capture makes each further device in another pixel format: the second one (`fake_device_1`)
 * is a 16-bit depth camera, which previews but which WebRTC sends no frames of; the third is an ordinary
 * camera again. So three are made, and the call switches between the first and the third.
 */
const SENDABLE = ['fake_device_0', 'fake_device_2'];

describe('choosing devices (fake cameras and microphones)', () => {
  let server: TestServer;
  let browser: Browser;
  let ann: Participant;
  let bob: Participant;
  let cameras: string[];

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
    browser = await launchChromium({
      fakeMedia: false,
      extraArgs: ['--use-fake-device-for-media-stream=device-count=3', '--use-fake-ui-for-media-stream'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists both cameras and microphones in the lobby, applies a choice at once, and remembers it', async () => {
    ann = await Participant.open(
      browser,
      `${server.url}/r/${ROOM}`,
      'Ann',
      {},
      { recordPeerConnections: true },
    );
    const dialog = await openSettings(ann.page);
    const camera = dialog.getByRole('combobox', { name: 'Camera' });
    const listed = await camera
      .locator('option')
      .evaluateAll((options) => options.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
    expect(listed.map(([, label]) => label)).toEqual(['fake_device_0', 'fake_device_1', 'fake_device_2']);
    cameras = listed.filter(([, label]) => SENDABLE.includes(label!)).map(([id]) => id!);
    // Chromium lists its "Default" microphone too: the one that follows the system's choice.
    expect(
      await dialog.getByRole('combobox', { name: 'Microphone' }).locator('option').count(),
    ).toBeGreaterThanOrEqual(2);
    expect(await dialog.getByRole('combobox', { name: 'Speaker' }).count()).toBe(1);
    await expectPainted(dialog.getByRole('heading', { name: 'Settings' }), 'the dialog title');
    await saveTestScreenshot(ann.page, 'devices-settings-lobby');

    const first = await previewCamera(ann.page);
    expect(first).toBe(cameras[0]);
    const other = cameras[1]!;
    await camera.selectOption(other);
    await expect.poll(() => previewCamera(ann.page)).toBe(other);

    // The sounds of joins and leaves can be turned off here, and that is kept too.
    await dialog.getByRole('checkbox', { name: 'Play a sound when someone joins or leaves' }).uncheck();
    expect(await ann.page.evaluate(() => localStorage.getItem('parley:sounds'))).toBe('off');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    await ann.page.reload();
    await ann.page.getByRole('textbox', { name: 'Your name' }).fill('Ann');
    await ann.page.getByRole('button', { name: 'Join' }).and(ann.page.locator(':enabled')).waitFor();
    expect(await previewCamera(ann.page), 'the camera chosen last time').toBe(other);
  });

  it('switches the camera in a call with no new offer: the new track is sent and Bob’s frames keep advancing', async () => {
    await ann.join();
    bob = await Participant.open(browser, `${server.url}/r/${ROOM}`, 'Bob');
    await bob.join();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);
    const before = await sentVideo(ann.page);
    expect(before).toHaveLength(1);
    await countNegotiations(ann.page);

    const dialog = await openSettings(ann.page);
    const next = cameras.find((id) => id !== before[0]!.device)!;
    await dialog.getByRole('combobox', { name: 'Camera' }).selectOption(next);
    await expect.poll(async () => (await sentVideo(ann.page))[0]?.device).toBe(next);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);
    expect(await sentVideo(ann.page)).toEqual([{ device: next, live: true, negotiations: 0 }]);
  });

  it('says so and goes on with the other camera when the one in use is unplugged', async () => {
    // On the third camera, so that the one the page falls back to (the first listed) is a sendable one.
    const dialog = await openSettings(ann.page);
    await dialog.getByRole('combobox', { name: 'Camera' }).selectOption(cameras[1]!);
    await expect.poll(async () => (await sentVideo(ann.page))[0]?.device).toBe(cameras[1]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    const inUse = (await sentVideo(ann.page))[0]?.device;
    expect(inUse).toBeDefined();
    // What the browser does when the camera goes away: the capture ends and its track says so.
    await ann.page
      .getByRole('figure', { name: 'You', exact: true })
      .locator('video')
      .evaluate((video: HTMLVideoElement) => {
        const track = (video.srcObject as MediaStream).getVideoTracks()[0]!;
        track.stop();
        track.dispatchEvent(new Event('ended'));
      });
    const notice = ann.page
      .getByRole('status')
      .getByText('Your camera was disconnected. Now using fake_device_0.', { exact: true });
    await notice.waitFor();
    await saveTestScreenshot(ann.page, 'devices-unplugged');
    await expectPainted(notice, 'the unplug notice');
    await expect
      .poll(async () => (await sentVideo(ann.page))[0])
      .toMatchObject({ live: true, negotiations: 0 });
    expect((await sentVideo(ann.page))[0]!.device).not.toBe(inUse);
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);
    await bob.close();
    await ann.close();
  });

  it('offers Switch camera on a phone, which flips to the other camera', async () => {
    const phone = await Participant.open(browser, `${server.url}/r/${ROOM}-phone`, 'Pia', PHONE);
    const before = await previewCamera(phone.page);
    const flip = phone.page.getByRole('button', { name: 'Switch camera' });
    await expectPainted(flip, 'Switch camera on a phone');
    await flip.click();
    await expect.poll(() => previewCamera(phone.page)).not.toBe(before);
    await phone.join();
    await expectPainted(
      phone.page.getByRole('button', { name: 'Switch camera' }),
      'Switch camera in the call',
    );
    await saveTestScreenshot(phone.page, 'devices-phone-call');
    await phone.close();
  });
});
