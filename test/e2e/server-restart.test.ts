import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { chooseRandomFile, downloadSaved, fileCard } from '../support/files.js';
import { Participant } from '../support/participant.js';
import { freePort } from '../support/ports.js';
import { metricValue } from '../support/metrics.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;
/** How long both people may take to be back on a restarted server: reconnect attempts are ≤ 1.5 s apart. */
const REJOIN_BOUND_MS = 10_000;
const BANNER = /Lost the connection to the server/;

/**
 * The signaling server dies mid-call (SIGKILL: it says goodbye to no one and forgets every room) and comes
 * back on the same port, data dir and secret. The call must not notice the outage, and the room must be
 * whole again afterwards without anyone pressing anything.
 */
describe('a call through a signaling server that is killed and started again', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  let browser: Browser;
  let alice: Participant;
  let bob: Participant;
  const room = 'e2e-restart';
  const secret = randomBytes(32).toString('base64url');
  let port: number;

  beforeAll(async () => {
    requireBuiltPage();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-restart-'));
    port = await freePort();
    server = await startServerProcess({ port, dataDir, secret, maxPeers: 2 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts a call between two people, Alice sharing her screen', async () => {
    alice = await Participant.open(browser, `http://127.0.0.1:${port}/r/${room}`, 'Alice');
    await alice.join();
    bob = await Participant.open(browser, `http://127.0.0.1:${port}/r/${room}`, 'Bob');
    await bob.join();
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    await alice.page.getByRole('button', { name: 'Share screen' }).click();
    expect(await bob.framesAdvancing("Alice's screen")).toBeGreaterThanOrEqual(FLOWING);
  });

  it('keeps video and chat going both ways while the server is down, and says the server is away', async () => {
    await server?.kill('SIGKILL');
    server = undefined;
    await alice.page.getByRole('alert').filter({ hasText: BANNER }).waitFor();
    await bob.page.getByRole('alert').filter({ hasText: BANNER }).waitFor();
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    await alice.sendChat('Still there, Bob?');
    await bob.waitForChat('Alice', 'Still there, Bob?');
    await bob.sendChat('Yes, without the server');
    await alice.waitForChat('Bob', 'Yes, without the server');
    // Neither tile is being repaired: the peer connection never depended on the server.
    expect(await alice.tile('Bob').getByRole('status').count()).toBe(0);
    expect(await bob.tile('Alice').getByRole('status').count()).toBe(0);
    // A screen shared before the outage goes on through it (media never went through the server); a new
    // one waits for the server, since it needs a negotiation.
    expect(await bob.framesAdvancing("Alice's screen")).toBeGreaterThanOrEqual(FLOWING);
    const share = alice.page.getByRole('button', { name: 'Share screen' });
    await share.click();
    await bob.tile("Alice's screen").waitFor({ state: 'detached' });
    expect(await share.isDisabled()).toBe(true);
    expect(await share.getAttribute('title')).toBe(
      'Sharing your screen waits for the connection to the server.',
    );
  });

  it('sends a file while the server is down: offer, bytes and verdict go peer to peer', async () => {
    const sent = await chooseRandomFile(
      bob.page.getByRole('button', { name: 'Send file' }),
      'during the outage.bin',
      4 * 1024 * 1024,
    );
    const save = fileCard(alice.page, sent.name).getByRole('link', { name: `Save ${sent.name}` });
    await save.waitFor();
    expect(await downloadSaved(alice.page, save)).toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: sent.name,
    });
    await fileCard(bob.page, sent.name).getByText('Alice received it intact').waitFor();
    expect(await alice.page.getByRole('alert').filter({ hasText: BANNER }).count(), 'still no server').toBe(
      1,
    );
  });

  it('lets both rejoin by themselves when the server is back, and the call goes on as before', async () => {
    server = await startServerProcess({ port, dataDir, secret, maxPeers: 2 });
    // Observed on the server: both people hold their places again (the restart forgot every room).
    await expect
      .poll(() => metricValue(`http://127.0.0.1:${port}`, 'parley_peers_in_calls'), {
        timeout: REJOIN_BOUND_MS,
        interval: 100,
        message: 'people back in calls on the restarted server',
      })
      .toBe(2);
    await alice.page.getByRole('alert').filter({ hasText: BANNER }).waitFor({ state: 'detached' });
    await bob.page.getByRole('alert').filter({ hasText: BANNER }).waitFor({ state: 'detached' });
    // One tile each, no duplicates, still flowing.
    expect(await alice.page.getByRole('figure').count()).toBe(2);
    expect(await bob.page.getByRole('figure').count()).toBe(2);
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    // And sharing works again.
    await alice.page.getByRole('button', { name: 'Share screen' }).click();
    expect(await bob.framesAdvancing("Alice's screen")).toBeGreaterThanOrEqual(FLOWING);
    await bob.sendChat('Server is back');
    await alice.waitForChat('Bob', 'Server is back');
  });

  it('works as before: someone leaves, a newcomer takes the place and connects', async () => {
    await bob.leave();
    await alice.tile('Bob').waitFor({ state: 'detached' });
    const carol = await Participant.open(browser, `http://127.0.0.1:${port}/r/${room}`, 'Carol');
    await carol.join();
    expect(await alice.framesAdvancing('Carol')).toBeGreaterThanOrEqual(FLOWING);
    expect(await carol.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    await carol.sendChat('Hello Alice');
    await alice.waitForChat('Carol', 'Hello Alice');
    await carol.close();
    await bob.close();
    await alice.close();
  });
});
