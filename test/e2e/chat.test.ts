import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { expectPainted } from '../support/painted.js';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { type TestServer, startTestServer } from '../support/server.js';

const ROOM = 'e2e-chat';

describe('the chat and reactions', () => {
  let server: TestServer;
  let chromium: Browser;
  let ann: Participant;
  let bob: Participant;

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer({ maxPeers: 4 });
    chromium = await launchChromium();
    ann = await Participant.open(chromium, `${server.url}/r/${ROOM}`, 'Ann');
    await ann.join();
    bob = await Participant.open(chromium, `${server.url}/r/${ROOM}`, 'Bob');
    await bob.join();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(10);
  });
  afterAll(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('makes http(s) links clickable, opening in a new tab without an opener; everything else stays text', async () => {
    const text = 'notes at https://example.com/wiki/A_(b). not javascript:alert(1) nor www.example.org';
    await ann.sendChat(text);
    const line = await bob.waitForChat('Ann', text);
    const links = line.getByRole('link');
    expect(await links.count()).toBe(1);
    const link = links.first();
    expect(await link.textContent()).toBe('https://example.com/wiki/A_(b)');
    expect(await link.getAttribute('href')).toBe('https://example.com/wiki/A_(b)');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    await expectPainted(link, 'the link in the chat');
  });

  it('shows a raised hand and a reaction on the sender’s tile, for everyone', async () => {
    const raise = ann.page.getByRole('button', { name: 'Raise hand' });
    await raise.click();
    expect(await raise.getAttribute('aria-pressed')).toBe('true');
    const badge = bob.tile('Ann').getByText('Hand raised');
    await badge.waitFor();
    await expectPainted(badge, 'the raised hand on Ann’s tile');
    await ann.page.getByRole('button', { name: 'Reactions' }).click();
    await ann.page
      .getByRole('group', { name: 'Reactions' })
      .getByRole('button', { name: 'Thumbs up' })
      .click();
    await bob.tile('Ann').getByRole('img', { name: 'Ann: 👍' }).waitFor();
    await ann.tile('You').getByRole('img', { name: 'You: 👍' }).waitFor();
    await saveTestScreenshot(bob.page, 'chat-hand-reaction');
    // Gone after a few seconds.
    await bob.tile('Ann').getByRole('img', { name: 'Ann: 👍' }).waitFor({ state: 'detached', timeout: 8000 });
  });

  it('gives someone who joins late the recent chat, marked as earlier, and the hand still raised', async () => {
    await bob.sendChat('a line before Cy came');
    await ann.waitForChat('Bob', 'a line before Cy came');
    const cy = await Participant.open(chromium, `${server.url}/r/${ROOM}`, 'Cy');
    await cy.join();
    const earlier = await cy.waitForChat('Bob', 'a line before Cy came');
    expect(await earlier.getAttribute('class')).toContain('chat__line--earlier');
    await cy.page
      .getByRole('log')
      .getByText(/^Earlier messages, as (Ann|Bob) shared them$/)
      .waitFor();
    await cy.tile('Ann').getByText('Hand raised').waitFor();
    // What is said after joining comes after the earlier lines, unmarked.
    await ann.sendChat('welcome Cy');
    const live = await cy.waitForChat('Ann', 'welcome Cy');
    expect(await live.getAttribute('class')).not.toContain('chat__line--earlier');
    await saveTestScreenshot(cy.page, 'chat-earlier-messages');
    await cy.close();
  });
});
