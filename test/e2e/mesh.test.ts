import { describe, expect, it } from 'vitest';
import { Participant } from '../support/participant.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

describe('a three-person mesh room (max 3) in Chromium', () => {
  const started = serverAndChromium({ maxPeers: 3 });
  const people: Participant[] = [];

  it('connects every pair: each person sees both others’ video advancing and gets their chat', async () => {
    for (const name of ['Ann', 'Ben', 'Cat']) {
      const person = await Participant.open(started.browser, `${started.server.url}/r/mesh`, name);
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
