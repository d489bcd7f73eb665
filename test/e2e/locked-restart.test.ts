import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, join } from '../integration/clients.js';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { Participant } from '../support/participant.js';
import { freePort } from '../support/ports.js';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

const PASSWORD = 'lantern-orchard-52';

/**
 * A locked room, a server restart that forgets it, and a stranger who opens the room anew, open, before the
 * page is back. The page's resume is refused (the room is not the one it was admitted to); it joins afresh,
 * and must then say what the room is now: open, not "Password-protected".
 */
describe('a locked room that a stranger opens anew while the server restarts', () => {
  let dataDir: string;
  let server: ServerProcess | undefined;
  let browser: Browser;
  const secret = randomBytes(32).toString('base64url');
  const room = 'e2e-reopened';
  let port: number;

  beforeAll(async () => {
    requireBuiltPage();
    dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-reopened-'));
    port = await freePort();
    server = await startServerProcess({ port, dataDir, secret });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the room as it is after the page rejoins', async () => {
    const alice = await Participant.open(browser, `http://127.0.0.1:${port}/r/${room}`, 'Alice');
    await alice.join(undefined, PASSWORD);
    await alice.page.getByText('Password-protected').waitFor();

    // Offline first, so the page cannot reconnect before the stranger is in.
    await alice.context.setOffline(true);
    await server?.kill('SIGKILL');
    server = await startServerProcess({ port, dataDir, secret });
    const stranger = await connect(server.url);
    try {
      expect(await join(stranger.socket, room, 'Stranger')).toMatchObject({
        created: true,
        protected: false,
      });
      await alice.context.setOffline(false);
      const arrival = await stranger.inbox.waitFor((r) => r.event === 'peer-joined');
      expect(arrival.payload).toMatchObject({ peer: { name: 'Alice' } });
      await expect.poll(() => alice.page.getByText('Password-protected').count()).toBe(0);
    } finally {
      stranger.socket.close();
    }
  });
});
