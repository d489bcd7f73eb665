import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { Participant } from '../support/participant.js';
import { startTestServer } from '../support/server.js';

describe('joining without a camera or microphone', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let withDevices: Browser;
  let withoutDevices: Browser;

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
    withDevices = await launchChromium();
    // No fake devices: this browser has no camera and no microphone at all.
    withoutDevices = await launchChromium({ fakeMedia: false });
  });
  afterAll(async () => {
    await Promise.all([withDevices?.close(), withoutDevices?.close()]);
    await server?.close();
  });

  it('says why, joins with chat, and still sees the other person', async () => {
    const eve = await Participant.open(withoutDevices, `${server.url}/r/no-devices`, 'Eve');
    await eve.page.getByText('No camera or microphone was found. You can still join and chat.').waitFor();
    expect(await eve.page.getByRole('button', { name: 'Camera' }).isDisabled()).toBe(true);
    await eve.join();
    // In the call, the notice no longer invites her to join what she has joined.
    await eve.page.getByText('No camera or microphone was found. You can still chat.').waitFor();
    expect(await eve.page.getByText(/still join/i).count()).toBe(0);

    const finn = await Participant.open(withDevices, `${server.url}/r/no-devices`, 'Finn');
    await finn.join();
    expect(await eve.framesAdvancing('Finn')).toBeGreaterThanOrEqual(10);
    await finn.tile('Eve').getByText('Camera off').waitFor();

    await eve.sendChat('I can only type');
    await finn.waitForChat('Eve', 'I can only type');
    await finn.sendChat('Loud and clear');
    await eve.waitForChat('Finn', 'Loud and clear');
  });
});
