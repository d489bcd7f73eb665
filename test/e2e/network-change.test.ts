import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Participant } from '../support/participant.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

const FLOWING = 10;
/** Frames over about 4 s at 20 fps: longer than a repair attempt's bound, so a needless rebuild would show. */
const LONG_STRETCH = 80;

interface Counted {
  restarts: number;
  connections: number;
}

/** Counts, in the page, ICE restarts and RTCPeerConnections made from now on. */
async function countRepairs(page: Page): Promise<void> {
  await page.evaluate(() => {
    const counted = { restarts: 0, connections: 0 };
    (window as unknown as { counted: Counted }).counted = counted;
    const prototype = RTCPeerConnection.prototype;
    const restartIce = Object.getOwnPropertyDescriptor(prototype, 'restartIce')?.value as (
      this: RTCPeerConnection,
    ) => void;
    prototype.restartIce = function (this: RTCPeerConnection) {
      counted.restarts += 1;
      restartIce.call(this);
    };
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        counted.connections += 1;
      }
    };
  });
}

const counted = (page: Page) => page.evaluate(() => (window as unknown as { counted: Counted }).counted);

/**
 * A phone moving from Wi-Fi to mobile data, as the page sees it: an `online` event. The page restarts ICE at
 * once; the call carries on over the same RTCPeerConnection, with no tile stuck on "Reconnecting…".
 */
describe('a network change during a call', () => {
  const started = serverAndChromium();

  it('restarts ICE at once and the call carries on over the same connection', async () => {
    const alice = await Participant.open(started.browser, `${started.server.url}/r/e2e-network`, 'Alice');
    await alice.join();
    const bob = await Participant.open(started.browser, `${started.server.url}/r/e2e-network`, 'Bob');
    await bob.join();
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    await countRepairs(alice.page);
    await countRepairs(bob.page);

    await alice.page.evaluate(() => window.dispatchEvent(new Event('online')));
    await alice.page.waitForFunction(() => (window as unknown as { counted: Counted }).counted.restarts > 0);
    expect(await alice.framesAdvancing('Bob', LONG_STRETCH, 15_000)).toBeGreaterThanOrEqual(LONG_STRETCH);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    expect(await counted(alice.page)).toEqual({ restarts: 1, connections: 0 });
    expect(await counted(bob.page)).toEqual({ restarts: 0, connections: 0 });
    expect(await alice.tile('Bob').getByRole('status').count()).toBe(0);
    expect(await alice.page.getByRole('figure').count()).toBe(2);
    await bob.sendChat('Still here');
    await alice.waitForChat('Bob', 'Still here');
    await bob.close();
    await alice.close();
  });
});
