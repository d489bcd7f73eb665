import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { Participant } from '../support/participant.js';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { type TestServer, startTestServer } from '../support/server.js';

/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;
const SECRET = 'a-secret-shared-by-both-nodes-of-the-test';

describe('a call between two people on two servers sharing one Redis, in Chromium', () => {
  let redis: RunningRedis;
  const servers: TestServer[] = [];
  const browsers: Browser[] = [];
  let alice: Participant;
  let bob: Participant;
  const room = 'e2e-two-servers';

  beforeAll(async () => {
    requireBuiltPage();
    redis = await startRedis();
    for (let i = 0; i < 2; i += 1) {
      servers.push(await startTestServer({ redisUrl: redis.url, secret: SECRET }));
      // A browser of its own for each person, as two people on two machines would have.
      browsers.push(await launchChromium());
    }
  });
  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    for (const server of servers) await server.close();
    await redis?.close();
  });

  it('lets each person join through a different server, and both see each other’s video advancing', async () => {
    const [first, second] = servers;
    const [one, two] = browsers;
    if (!first || !second || !one || !two) throw new Error('setup failed');
    expect(first.url).not.toBe(second.url);
    alice = await Participant.open(one, `${first.url}/r/${room}`, 'Alice');
    await alice.join();
    bob = await Participant.open(two, `${second.url}/r/${room}`, 'Bob');
    await bob.join();
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
  });

  it('carries chat lines both ways', async () => {
    await alice.sendChat('Hello from server one');
    await bob.waitForChat('Alice', 'Hello from server one');
    await bob.sendChat('Hello from server two');
    await alice.waitForChat('Bob', 'Hello from server two');
  });
});
