import { describe, expect, it } from 'vitest';
import { CONNECT_TIMEOUT_MS } from '../../src/call/peer-session.js';
import { coturnAndChromium } from '../support/relay-bed.js';
import { closedUdpPort } from '../support/server.js';

const TURN_SECRET = 'e2e-turn-secret-0123456789abcdef';
/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;

describe('a call through coturn with credentials Parley minted', () => {
  const bed = coturnAndChromium(TURN_SECRET);

  it('connects two people over the relay only: video both ways and chat', async () => {
    const server = await bed.serve({
      turnUrls: [bed.coturn.url],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const alice = await bed.open(server, 'relayed', 'Alice');
    await alice.join();
    const bob = await bed.open(server, 'relayed', 'Bob');
    await bob.join();

    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    // Each tile says the media is relayed, and how this browser reaches the relay (bed.coturn.url is UDP).
    await alice.tile('Bob').getByText('Relayed · UDP', { exact: true }).waitFor();
    await bob
      .tile('Alice')
      .getByText(/connection, relayed, UDP to the relay: round trip \d+ ms/)
      .waitFor();
    await alice.sendChat('Through the relay');
    await bob.waitForChat('Alice', 'Through the relay');
    await bob.sendChat('Received');
    await alice.waitForChat('Bob', 'Received');
    // coturn's side: it relayed for a Parley peer id, under a username Parley minted (`<expiry>:<peer id>`).
    expect(bed.coturn.log()).toMatch(
      /user <\d+:[A-Za-z0-9_-]{12}>: incoming packet CREATE_PERMISSION processed, success/,
    );
  });

  it('tells the person on the tile when the relay refuses the credentials, instead of connecting for ever', async () => {
    const server = await bed.serve({
      turnUrls: [bed.coturn.url],
      turnSecret: 'not-the-secret-coturn-has-0123456789',
      icePolicy: 'relay',
    });
    const carol = await bed.open(server, 'refused', 'Carol');
    await carol.join();
    const dave = await bed.open(server, 'refused', 'Dave');
    await dave.join();

    await dave.tile('Carol').getByText('The relay server refused the credentials').waitFor();
    await carol.tile('Dave').getByText('The relay server refused the credentials').waitFor();
  });

  it('says it could not connect when the relay never answers, once the connect timeout has passed', async () => {
    // A TURN URL where nothing listens: no refusal to report, only a connection that never comes.
    const server = await bed.serve({
      turnUrls: [`turn:127.0.0.1:${await closedUdpPort()}`],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const erin = await bed.open(server, 'silent', 'Erin');
    await erin.join();
    const frank = await bed.open(server, 'silent', 'Frank');
    await frank.join();

    const wait = { timeout: CONNECT_TIMEOUT_MS + 15_000 };
    await frank.tile('Erin').getByText('Could not connect to Erin').waitFor(wait);
    await erin.tile('Frank').getByText('Could not connect to Frank').waitFor(wait);
  });
});
