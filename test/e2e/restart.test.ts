import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { Participant } from '../support/participant.js';
import { freePort } from '../support/ports.js';
import { type TestServer, startTestServer } from '../support/server.js';

const BANNER = 'Lost the connection to the server';

describe('the server restarts during a call (memory state), in Chromium', () => {
  let browser: Browser;
  let dataDir: string;
  const servers: TestServer[] = [];
  const people: Participant[] = [];

  beforeAll(async () => {
    requireBuiltPage();
    browser = await launchChromium();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
  });
  afterAll(async () => {
    for (const person of people) await person.close();
    await browser?.close();
    for (const server of servers) await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('the pages reconnect on their own, take their places back, and the room works as before', async () => {
    const port = await freePort();
    // The caller's data dir: the restarted server has the same secret, so the resume tokens still verify.
    const first = await startTestServer({ port, dataDir, maxPeers: 3 });
    servers.push(first);
    const url = `${first.url}/r/restart`;
    const [ann, ben] = [
      await Participant.open(browser, url, 'Ann'),
      await Participant.open(browser, url, 'Ben'),
    ];
    people.push(ann, ben);
    await ann.join();
    await ben.join();
    expect(await ann.framesAdvancing('Ben')).toBeGreaterThanOrEqual(10);

    // What SIGTERM does (test/integration/shutdown.test.ts runs the real command).
    await first.close();
    await ann.page.getByText(BANNER).waitFor();
    await ben.page.getByText(BANNER).waitFor();
    // Media is peer to peer: the call goes on without the server.
    expect(await ann.framesAdvancing('Ben')).toBeGreaterThanOrEqual(10);

    const second = await startTestServer({ port, dataDir, maxPeers: 3 });
    servers.push(second);
    // socket.io's own reconnection brings the pages back (its back-off reaches 5 s between tries).
    await ann.page.getByText(BANNER).waitFor({ state: 'detached', timeout: 20_000 });
    await ben.page.getByText(BANNER).waitFor({ state: 'detached', timeout: 20_000 });

    // Cat's join is answered with whoever the server now has in the room: Ann and Ben must have resumed
    // for Cat to offer to them and see them.
    const cat = await Participant.open(browser, url, 'Cat');
    people.push(cat);
    await cat.join();
    expect(await cat.framesAdvancing('Ann')).toBeGreaterThanOrEqual(10);
    expect(await cat.framesAdvancing('Ben')).toBeGreaterThanOrEqual(10);
    expect(await ann.framesAdvancing('Cat')).toBeGreaterThanOrEqual(10);
    // Ben is still one tile for Ann, not a second one under a new id.
    await ann.page.getByText('3 of 3').waitFor();
  });
});
