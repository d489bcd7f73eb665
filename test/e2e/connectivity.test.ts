import { describe, expect, it } from 'vitest';
import { CONNECTIVITY_TIMEOUT_MS } from '../../src/call/connectivity-check.js';
import { coturnAndChromium } from '../support/relay-bed.js';
import { closedUdpPort } from '../support/server.js';

const TURN_SECRET = 'e2e-turn-secret-0123456789abcdef';
/** The figures behind a tile's indicator, as a screen reader hears them. */
const DIRECT_UDP_DETAILS =
  /^(Good|Fair|Poor) connection, direct over UDP: round trip \d+ ms, packet loss [\d.]+%\.$/;

describe('the connectivity check on the lobby, and the path and quality on each tile', () => {
  const bed = coturnAndChromium(TURN_SECRET);

  it('says a direct connection is possible on loopback with the built-in STUN responder', async () => {
    const server = await bed.serve({});
    const alice = await bed.open(server, 'direct', 'Alice');
    await alice.connectionCheck().getByText('A direct connection is possible.').waitFor();
    // No relay is configured, so there is nothing to warn about beside it.
    expect(await alice.connectionCheck().textContent()).toBe('A direct connection is possible.');

    // In the call, each tile shows a direct UDP path and a quality, with the figures for screen readers.
    await alice.join();
    const bob = await bed.open(server, 'direct', 'Bob');
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
    const server = await bed.serve({
      turnUrls: [bed.coturn.url],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const carol = await bed.open(server, 'relay-only', 'Carol');
    await carol.connectionCheck().getByText('Only a relay will work.').waitFor();
  });

  it('shows a relayed path over TCP on each tile when the relay is reached over TCP', async () => {
    const server = await bed.serve({
      turnUrls: [`${bed.coturn.url}?transport=tcp`],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const ivan = await bed.open(server, 'relay-tcp', 'Ivan');
    await ivan.connectionCheck().getByText('Only a relay will work.').waitFor();
    await ivan.join();
    const judy = await bed.open(server, 'relay-tcp', 'Judy');
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
    const server = await bed.serve({
      turnUrls: [bed.coturn.url],
      turnSecret: 'not-the-secret-coturn-has-0123456789',
      icePolicy: 'relay',
    });
    const dave = await bed.open(server, 'refused', 'Dave');
    await dave.connectionCheck().getByText('The relay server refused the credentials.').waitFor();
    // Joining is never held up by the check.
    expect(await dave.page.getByRole('button', { name: 'Join' }).isEnabled()).toBe(true);
  });

  it('says the relay is unreachable when nothing listens at the TURN URL', async () => {
    const server = await bed.serve({
      turnUrls: [`turn:127.0.0.1:${await closedUdpPort()}`],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const erin = await bed.open(server, 'silent', 'Erin');
    await erin
      .connectionCheck()
      .getByText('The relay server is unreachable.')
      .waitFor({ timeout: CONNECTIVITY_TIMEOUT_MS + 15_000 });
  });

  it('warns beside a direct path when the relay refuses, for people who would need it', async () => {
    const server = await bed.serve({
      turnUrls: [bed.coturn.url],
      turnSecret: 'not-the-secret-coturn-has-0123456789',
    });
    const frank = await bed.open(server, 'direct-refused', 'Frank');
    await frank.connectionCheck().getByText('A direct connection is possible.').waitFor();
    await frank
      .connectionCheck()
      .getByText(/relay server refused the credentials, so people behind/)
      .waitFor();
  });

  it('says there is no network when the browser goes offline, and checks again once it is back', async () => {
    const server = await bed.serve({});
    const grace = await bed.open(server, 'offline', 'Grace');
    const check = grace.connectionCheck();
    await check.getByText('A direct connection is possible.').waitFor();
    await grace.context.setOffline(true);
    await check.getByText('No network.').waitFor();
    await check.getByText('This device is offline.', { exact: false }).waitFor();
    await grace.context.setOffline(false);
    await check.getByText('A direct connection is possible.').waitFor();
  });

  it('says there is no network when the Parley server cannot be reached', async () => {
    const server = await bed.serve({});
    const heidi = await bed.open(server, 'no-server', 'Heidi');
    const check = heidi.connectionCheck();
    await check.getByText('A direct connection is possible.').waitFor();
    await server.close();
    await check.getByText('No network.').waitFor();
    await check.getByText('The Parley server cannot be reached.', { exact: false }).waitFor();
  });
});
