import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltPage } from '../support/built-page.js';
import { type NamespacedCall, startNamespacedCall } from '../support/namespaced-call.js';
import { Participant } from '../support/participant.js';

const FLOWING = 10;
/**
 * Long enough for the connection to fail for good: Chromium heals a 10 s blackout by itself (it keeps checking
 * the pair in use), not a 40 s one (ICE consent expires after 30 s, RFC 7675).
 */
const BLACKOUT_MS = 40_000;
/** How long after the network is back the video may take to flow again; the aim is under 2 s. */
const BACK_WITHIN_MS = 10_000;

/**
 * A call whose UDP is cut off for 40 s (TCP, and so signaling, still works): the tiles say the connection
 * is being repaired, and once UDP is back, video and chat flow again both ways with nobody doing anything.
 * Server and browsers run in a network namespace of their own, so the blackout touches nothing else.
 */
describe('a call through a 40 s UDP blackout', () => {
  let bed: NamespacedCall | undefined;
  let alice: Participant;
  let bob: Participant;
  const room = 'e2e-blackout';

  beforeAll(async () => {
    requireBuiltPage();
    bed = await startNamespacedCall('blackout');
  });
  afterAll(async () => {
    await bed?.close();
  });

  it('starts a call between two people in the namespace, Alice sharing her screen', async () => {
    alice = await Participant.open(bed!.browser, bed!.roomUrl(room), 'Alice');
    await alice.join();
    bob = await Participant.open(bed!.browser, bed!.roomUrl(room), 'Bob');
    await bob.join();
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    await alice.page.getByRole('button', { name: 'Share screen' }).click();
    expect(await bob.framesAdvancing("Alice's screen")).toBeGreaterThanOrEqual(FLOWING);
  });

  it(
    'shows the repair on both tiles, then video, the shared screen and chat flow again once UDP is back',
    async () => {
      const blockedAt = Date.now();
      await bed!.netns.blockUdp();
      try {
        // The failure, as the person sees it. (The wait is event-driven; the blackout's length is the fault.)
        await alice.tile('Bob').getByText('Reconnecting…').waitFor({ timeout: 20_000 });
        await bob.tile('Alice').getByText('Reconnecting…').waitFor({ timeout: 20_000 });
        expect(await alice.framesAdvancing('Bob', FLOWING, 2_000)).toBeLessThan(FLOWING);
        // Still cut off after the connect timeout: the tiles say so, rather than spin.
        await alice.tile('Bob').getByText('Could not connect to Bob').waitFor({ timeout: BLACKOUT_MS });
        await new Promise((resolve) =>
          setTimeout(resolve, Math.max(0, blockedAt + BLACKOUT_MS - Date.now())),
        );
      } finally {
        await bed!.netns.unblockUdp();
      }
      const backAt = Date.now();
      const [fromBob, fromAlice] = await Promise.all([
        alice.framesAdvancing('Bob', FLOWING, BACK_WITHIN_MS),
        bob.framesAdvancing('Alice', FLOWING, BACK_WITHIN_MS),
      ]);
      const flowingAfterMs = Date.now() - backAt;
      expect(fromBob, 'frames from Bob after the blackout').toBeGreaterThanOrEqual(FLOWING);
      expect(fromAlice, 'frames from Alice after the blackout').toBeGreaterThanOrEqual(FLOWING);
      // The rebuilt connection carries the screen too, announced anew.
      expect(
        await bob.framesAdvancing("Alice's screen", FLOWING, BACK_WITHIN_MS),
        'her screen',
      ).toBeGreaterThanOrEqual(FLOWING);
      console.info(`video flowing both ways again ${flowingAfterMs} ms after UDP came back`);
      await alice.tile('Bob').getByRole('status').waitFor({ state: 'detached' });
      await bob.tile('Alice').getByRole('status').waitFor({ state: 'detached' });
      await alice.sendChat('Back again');
      await bob.waitForChat('Alice', 'Back again');
      await bob.sendChat('Welcome back');
      await alice.waitForChat('Bob', 'Welcome back');
      // The same tiles as before: the rebuilt connection replaced the old one rather than adding a second.
      // (Each sees both cameras and Alice's screen.)
      expect(await alice.page.getByRole('figure').count()).toBe(3);
      expect(await bob.page.getByRole('figure').count()).toBe(3);
    },
    BLACKOUT_MS + 60_000,
  );
});
