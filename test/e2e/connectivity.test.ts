import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTIVITY_TIMEOUT_MS } from '../../src/call/connectivity-check.js';
import type { Config } from '../../src/server/index.js';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { type RunningCoturn, startCoturn } from '../support/coturn.js';
import { Participant } from '../support/participant.js';
import { type TestServer, startTestServer } from '../support/server.js';

const TURN_SECRET = 'e2e-turn-secret-0123456789abcdef';
/** The figures behind a tile's indicator, as a screen reader hears them. */
const DIRECT_UDP_DETAILS =
  /^(Good|Fair|Poor) connection, direct over UDP: round trip \d+ ms, packet loss [\d.]+%\.$/;

/** A UDP port nothing listens on: bound by us for a moment, then released. */
async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/**
 * A server with its built-in STUN responder on a port of its own, drawn below Linux's ephemeral range
 * (where browsers keep binding UDP sockets); another is tried if taken.
 */
async function startWithStun(overrides: Partial<Config> = {}): Promise<TestServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestServer({ ...overrides, stunPort: randomInt(5_000, 10_000) });
    } catch (error) {
      if (!String(error).includes('EADDRINUSE') || attempt >= 20) throw error;
    }
  }
}

describe('the connectivity check on the lobby, and the path and quality on each tile', () => {
  let coturn: RunningCoturn;
  let browser: Browser;
  const servers: TestServer[] = [];
  const participants: Participant[] = [];

  const serve = async (overrides: Partial<Config>) => {
    const server = await startWithStun(overrides);
    servers.push(server);
    return server;
  };
  const open = async (server: TestServer, room: string, name: string) => {
    const participant = await Participant.open(browser, `${server.url}/r/${room}`, name);
    participants.push(participant);
    return participant;
  };

  beforeAll(async () => {
    requireBuiltPage();
    coturn = await startCoturn({ secret: TURN_SECRET });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const participant of participants) await participant.close();
    await browser?.close();
    for (const server of servers) await server.close();
    await coturn?.close();
  });

  it('says a direct connection is possible on loopback with the built-in STUN responder', async () => {
    const server = await serve({});
    const alice = await open(server, 'direct', 'Alice');
    await alice.connectionCheck().getByText('A direct connection is possible.').waitFor();
    // No relay is configured, so there is nothing to warn about beside it.
    expect(await alice.connectionCheck().textContent()).toBe('A direct connection is possible.');

    // In the call, each tile shows a direct UDP path and a quality, with the figures for screen readers.
    await alice.join();
    const bob = await open(server, 'direct', 'Bob');
    await bob.join();
    for (const [viewer, other] of [
      [alice, 'Bob'],
      [bob, 'Alice'],
    ] as const) {
      await viewer.tile(other).getByText('Direct · UDP', { exact: true }).waitFor();
      await viewer.tile(other).getByText(DIRECT_UDP_DETAILS).waitFor();
    }
  });

  it('says only a relay will work when the server asks for relayed calls and coturn answers', async () => {
    const server = await serve({ turnUrls: [coturn.url], turnSecret: TURN_SECRET, icePolicy: 'relay' });
    const carol = await open(server, 'relay-only', 'Carol');
    await carol.connectionCheck().getByText('Only a relay will work.').waitFor();
  });

  it('shows a relayed path over TCP on each tile when the relay is reached over TCP', async () => {
    const server = await serve({
      turnUrls: [`${coturn.url}?transport=tcp`],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const ivan = await open(server, 'relay-tcp', 'Ivan');
    await ivan.connectionCheck().getByText('Only a relay will work.').waitFor();
    await ivan.join();
    const judy = await open(server, 'relay-tcp', 'Judy');
    await judy.join();
    for (const [viewer, other] of [
      [ivan, 'Judy'],
      [judy, 'Ivan'],
    ] as const) {
      await viewer.tile(other).getByText('Relayed · TCP', { exact: true }).waitFor();
      await viewer
        .tile(other)
        .getByText(/connection, relayed, TCP to the relay: round trip \d+ ms/)
        .waitFor();
    }
  });

  it('says the relay refused the credentials when the TURN secret is not coturn’s', async () => {
    const server = await serve({
      turnUrls: [coturn.url],
      turnSecret: 'not-the-secret-coturn-has-0123456789',
      icePolicy: 'relay',
    });
    const dave = await open(server, 'refused', 'Dave');
    await dave.connectionCheck().getByText('The relay server refused the credentials.').waitFor();
    // Joining is never held up by the check.
    expect(await dave.page.getByRole('button', { name: 'Join' }).isEnabled()).toBe(true);
  });

  it('says the relay is unreachable when nothing listens at the TURN URL', async () => {
    const server = await serve({
      turnUrls: [`turn:127.0.0.1:${await closedUdpPort()}`],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const erin = await open(server, 'silent', 'Erin');
    await erin
      .connectionCheck()
      .getByText('The relay server is unreachable.')
      .waitFor({ timeout: CONNECTIVITY_TIMEOUT_MS + 15_000 });
  });

  it('warns beside a direct path when the relay refuses, for people who would need it', async () => {
    const server = await serve({
      turnUrls: [coturn.url],
      turnSecret: 'not-the-secret-coturn-has-0123456789',
    });
    const frank = await open(server, 'direct-refused', 'Frank');
    await frank.connectionCheck().getByText('A direct connection is possible.').waitFor();
    await frank
      .connectionCheck()
      .getByText(/relay server refused the credentials, so people behind/)
      .waitFor();
  });

  it('says there is no network when the browser goes offline, and checks again once it is back', async () => {
    const server = await serve({});
    const grace = await open(server, 'offline', 'Grace');
    const check = grace.connectionCheck();
    await check.getByText('A direct connection is possible.').waitFor();
    await grace.context.setOffline(true);
    await check.getByText('No network.').waitFor();
    await check.getByText('This device is offline.', { exact: false }).waitFor();
    await grace.context.setOffline(false);
    await check.getByText('A direct connection is possible.').waitFor();
  });

  it('says there is no network when the Parley server cannot be reached', async () => {
    const server = await serve({});
    const heidi = await open(server, 'no-server', 'Heidi');
    const check = heidi.connectionCheck();
    await check.getByText('A direct connection is possible.').waitFor();
    await server.close();
    await check.getByText('No network.').waitFor();
    await check.getByText('The Parley server cannot be reached.', { exact: false }).waitFor();
  });
});
