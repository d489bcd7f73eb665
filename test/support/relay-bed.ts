import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/server/index.js';
import { launchChromium } from './browser.js';
import { requireBuiltPage } from './built-page.js';
import { type RunningCoturn, startCoturn } from './coturn.js';
import { Participant } from './participant.js';
import { startedInBeforeAll } from './server-and-chromium.js';
import { type TestServer, startWithStun } from './server.js';

/** What {@link coturnAndChromium} gives a `describe` block; use it inside tests, once `beforeAll` has run. */
export interface RelayBed {
  readonly coturn: RunningCoturn;
  /** A Parley server with its STUN responder on, closed after the block. */
  serve(overrides: Partial<Config>): Promise<TestServer>;
  /** A person on `server`'s page for `room`, in a window of their own, closed after the block. */
  open(server: TestServer, room: string, name: string): Promise<Participant>;
}

/**
 * A real coturn (`use-auth-secret` with `secret`) and one headless Chromium, started before the tests of the
 * enclosing `describe` and closed after them with every server and person the tests opened.
 */
export function coturnAndChromium(secret: string): RelayBed {
  let coturn: RunningCoturn | undefined;
  let browser: Browser | undefined;
  const servers: TestServer[] = [];
  const participants: Participant[] = [];
  beforeAll(async () => {
    requireBuiltPage();
    coturn = await startCoturn({ secret });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const participant of participants) await participant.close();
    await browser?.close();
    for (const server of servers) await server.close();
    await coturn?.close();
  });
  const started = <T>(value: T | undefined) => startedInBeforeAll(value, 'coturn and the browser');
  return {
    get coturn() {
      return started(coturn);
    },
    async serve(overrides) {
      const { server } = await startWithStun(overrides);
      servers.push(server);
      return server;
    },
    async open(server, room, name) {
      const participant = await Participant.open(started(browser), `${server.url}/r/${room}`, name);
      participants.push(participant);
      return participant;
    },
  };
}
