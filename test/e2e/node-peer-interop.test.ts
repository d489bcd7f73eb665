import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltPage } from '../support/built-page.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant } from '../support/firefox-participant.js';
import { chatArrives, nodePeers } from '../support/node-peers.js';
import { Participant, type CallParticipant } from '../support/participant.js';
import { coturnAndChromium } from '../support/relay-bed.js';
import { serverAndChromium } from '../support/server-and-chromium.js';
import { type TestServer, startTestServer } from '../support/server.js';

/** Frames that must be shown in the Node peer's tile for its echoed video to count as flowing. */
const FLOWING = 10;
const TURN_SECRET = 'e2e-node-peer-turn-secret-0123456789';

/**
 * A person in `browser` and a Node peer echoing their media, in one room: chat both ways, and the person's
 * own camera coming back through the Node peer, decoded and shown in its tile.
 */
async function callWithEcho(
  person: CallParticipant,
  peer: Awaited<ReturnType<ReturnType<typeof nodePeers>['echo']>>,
) {
  const heard = chatArrives(peer, `Hello from ${person.name}`);
  await person.sendChat(`Hello from ${person.name}`);
  expect(await heard).toEqual({ name: person.name, text: `Hello from ${person.name}` });
  peer.sendChat('Hello from Node');
  await person.waitForChat('Echo', 'Hello from Node');
  expect(await person.framesAdvancing('Echo'), 'the echoed video plays').toBeGreaterThanOrEqual(FLOWING);
}

describe('a Node peer in a call with Chromium', () => {
  const env = serverAndChromium();
  const nodePeer = nodePeers();

  it('Chromium joins the Node peer (Chromium offers): chat both ways, the echoed video advancing', async () => {
    const echo = await nodePeer.echo(env.server.url, 'node-first', 'Echo');
    const ann = await Participant.open(env.browser, `${env.server.url}/r/node-first`, 'Ann');
    try {
      await ann.join();
      await callWithEcho(ann, echo);
    } finally {
      await ann.close();
    }
  });

  it('the Node peer joins Chromium (the Node peer offers): the same', async () => {
    const ann = await Participant.open(env.browser, `${env.server.url}/r/node-second`, 'Ann');
    try {
      await ann.join();
      const echo = await nodePeer.echo(env.server.url, 'node-second', 'Echo');
      await callWithEcho(ann, echo);
    } finally {
      await ann.close();
    }
  });
});

describe('a Node peer in a call with Firefox', () => {
  let server: TestServer;
  let firefox: FirefoxBrowser;
  const nodePeer = nodePeers();
  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
    firefox = await launchFirefox();
  });
  afterAll(async () => {
    await firefox?.close();
    await server?.close();
  });

  it.each(['node-first', 'node-second'])('%s: chat both ways, the echoed video advancing', async (room) => {
    const first = room === 'node-first';
    const echo = first ? await nodePeer.echo(server.url, room, 'Echo') : undefined;
    const fay = await FirefoxParticipant.open(firefox, `${server.url}/r/${room}`, 'Fay');
    try {
      await fay.join();
      await callWithEcho(fay, echo ?? (await nodePeer.echo(server.url, room, 'Echo')));
    } finally {
      await fay.close();
    }
  });
});

describe('a Node peer in a relay-only call through coturn', () => {
  const bed = coturnAndChromium(TURN_SECRET);
  const nodePeer = nodePeers();

  it('connects through the relay, with chat and the echoed video', async () => {
    const server = await bed.serve({
      turnUrls: [bed.coturn.url],
      turnSecret: TURN_SECRET,
      icePolicy: 'relay',
    });
    const echo = await nodePeer.echo(server.url, 'relayed', 'Echo');
    const ann = await bed.open(server, 'relayed', 'Ann');
    await ann.join();
    await ann.tile('Echo').getByText('Relayed · UDP', { exact: true }).waitFor();
    await callWithEcho(ann, echo);
  });
});
