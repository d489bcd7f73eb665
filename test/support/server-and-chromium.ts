import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { requireBuiltPage } from './built-page.js';
import { type TestServer, startTestServer } from './server.js';

/** What {@link serverAndChromium} starts; read its fields inside tests, once `beforeAll` has run. */
export interface ServerAndChromium {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * A Parley server on its defaults and one headless Chromium, started before the tests of the enclosing
 * `describe` and closed after them: what most browser tests need.
 */
export function serverAndChromium(): ServerAndChromium {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('The server and browser start in beforeAll; read them in a test.');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
  };
}
