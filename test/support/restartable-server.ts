import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { requireBuiltPage } from './built-page.js';
import { freePort } from './ports.js';
import { type ServerProcess, startServerProcess } from './server-process.js';
import { startedInBeforeAll } from './server-and-chromium.js';

/** What {@link restartableServerAndChromium} starts; read its fields inside tests, once `beforeAll` has run. */
export interface RestartableServerAndChromium {
  /** The server process running now; {@link restart} replaces it. */
  readonly server: ServerProcess;
  readonly browser: Browser;
  /** `http://127.0.0.1:PORT`: the same across restarts. */
  readonly url: string;
  /**
   * Kills the server (SIGKILL: a crash, no goodbyes) and starts it again on the same port, data dir and
   * secret, so that resume tokens stay valid and pages find it where it was.
   */
  restart(): Promise<ServerProcess>;
}

/**
 * The real `parley` command in a child process, on a port and data dir of its own, and one headless
 * Chromium, started before the tests of the enclosing `describe` and closed after them: for tests that
 * restart the server under a call.
 */
export function restartableServerAndChromium(prefix: string): RestartableServerAndChromium {
  const secret = randomBytes(32).toString('base64url');
  let dataDir: string | undefined;
  let port: number | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    requireBuiltPage();
    dataDir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    port = await freePort();
    server = await startServerProcess({ port, dataDir, secret });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined) => startedInBeforeAll(value, 'the server and the browser');
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    get url() {
      return `http://127.0.0.1:${started(port)}`;
    },
    async restart() {
      await server?.kill('SIGKILL');
      server = await startServerProcess({ port: started(port), dataDir: started(dataDir), secret });
      return server;
    },
  };
}
