import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { requireBuiltPage } from '../support/built-page.js';
import { Participant } from '../support/participant.js';
import { startTestServer } from '../support/server.js';

describe('a three-person mesh room (max 3) in Chromium', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let browser: Browser;
  const people: Participant[] = [];

  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer({ maxPeers: 3 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('connects every pair: each person sees both others’ video advancing and gets their chat', async () => {
    for (const name of ['Ann', 'Ben', 'Cat']) {
      const person = await Participant.open(browser, `${server.url}/r/mesh`, name);
      await person.join();
      people.push(person);
    }
    for (const viewer of people) {
      for (const other of people) {
        if (other === viewer) continue;
        expect(
          await viewer.framesAdvancing(other.name),
          `${viewer.name} sees ${other.name}`,
        ).toBeGreaterThanOrEqual(10);
      }
    }
    const [ann, ben, cat] = people as [Participant, Participant, Participant];
    await cat.sendChat('hello mesh');
    await ann.waitForChat('Cat', 'hello mesh');
    await ben.waitForChat('Cat', 'hello mesh');
    await ann.page.getByText('3 of 3').waitFor();
  });
});
