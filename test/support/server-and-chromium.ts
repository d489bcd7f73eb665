import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/server/index.js';
import { launchChromium } from './browser.js';
import { requireBuiltPage } from './built-page.js';
import { type TestServer, startTestServer } from './server.js';

/** What {@link serverAndChromium} starts; read its fields inside tests, once `beforeAll` has run. */
export interface ServerAndChromium {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * A Parley server (on its defaults, or with `overrides`) and one headless Chromium, started before the tests
 * of the enclosing `describe` and closed after them: what most browser tests need.
 */
export function serverAndChromium(overrides: Partial<Config> = {}): ServerAndChromium {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer(overrides);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined) => startedInBeforeAll(value, 'the server and the browser');
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
  };
}

/** A fixture's value once its `beforeAll` has made it; reading it earlier (at collection time) is a test bug. */
export function startedInBeforeAll<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} start in beforeAll; use them inside a test.`);
  return value;
}
