import { afterEach, describe, expect, it } from 'vitest';
import { codeForFingerprints } from '../../src/call/verification.js';
import { launchFirefox } from '../support/firefox.js';
import { FirefoxParticipant } from '../support/firefox-participant.js';
import { Participant } from '../support/participant.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

const CODE = /^\d{3}( \d{3}){4}$/;

/** The codes a page should show: one per connected peer connection, computed here from its getStats. */
async function codesFromStats(person: Participant): Promise<string[]> {
  const pairs = await person.certificateFingerprints();
  const codes = await Promise.all(pairs.map(({ local, remote }) => codeForFingerprints([local], [remote])));
  return codes.sort();
}

describe('the verification code in Chromium', () => {
  const started = serverAndChromium({ maxPeers: 3 });
  const people: Participant[] = [];

  afterEach(async () => {
    for (const person of people.splice(0)) await person.close();
  });

  async function enter(room: string, names: string[]): Promise<Participant[]> {
    const entered: Participant[] = [];
    for (const name of names) {
      const person = await Participant.open(
        started.browser,
        `${started.server.url}/r/${room}`,
        name,
        undefined,
        {
          recordPeerConnections: true,
        },
      );
      people.push(person);
      await person.join();
      entered.push(person);
    }
    return entered;
  }

  it('shows both people the same code, the one their certificates give', async () => {
    const [ann, ben] = (await enter('verify-pair', ['Ann', 'Ben'])) as [Participant, Participant];
    const seenByAnn = await ann.verificationCode('Ben');
    const seenByBen = await ben.verificationCode('Ann');
    expect(seenByAnn).toMatch(CODE);
    expect(seenByBen).toBe(seenByAnn);
    expect(await codesFromStats(ann)).toEqual([seenByAnn]);
    expect(await codesFromStats(ben)).toEqual([seenByAnn]);

    // At phone size the whole code stays readable inside the tile.
    await ann.page.setViewportSize({ width: 360, height: 740 });
    const tile = await ann.tile('Ben').boundingBox();
    const code = await ann.tile('Ben').getByRole('note', { name: 'Verification code' }).boundingBox();
    expect(tile && code).toBeTruthy();
    if (tile && code) {
      expect(code.x).toBeGreaterThanOrEqual(tile.x);
      expect(code.x + code.width).toBeLessThanOrEqual(tile.x + tile.width);
      expect(code.height).toBeLessThan(30); // one line, not wrapped digit by digit
    }
  });

  it('shows the same code in Chromium and in Firefox, whose descriptions are written differently', async () => {
    const firefox = await launchFirefox();
    try {
      const [ann] = (await enter('verify-firefox', ['Ann'])) as [Participant];
      const fox = await FirefoxParticipant.open(firefox, `${started.server.url}/r/verify-firefox`, 'Fox');
      try {
        await fox.join();
        const code = await ann.verificationCode('Fox');
        expect(code).toMatch(CODE);
        expect(await fox.verificationCode('Ann')).toBe(code);
        // Firefox's fingerprint, as Chromium's getStats reports it, gives the same code.
        expect(await codesFromStats(ann)).toEqual([code]);
      } finally {
        await fox.close();
      }
    } finally {
      await firefox.close();
    }
  });

  it('gives each pair of a three-person mesh its own code, the same on both sides', async () => {
    const [ann, ben, cat] = (await enter('verify-mesh', ['Ann', 'Ben', 'Cat'])) as [
      Participant,
      Participant,
      Participant,
    ];
    const pairs = [
      [ann, ben],
      [ann, cat],
      [ben, cat],
    ] as const;
    const codes: string[] = [];
    for (const [one, other] of pairs) {
      const code = await one.verificationCode(other.name);
      expect(code, `${one.name} and ${other.name}`).toMatch(CODE);
      expect(await other.verificationCode(one.name), `${other.name} sees ${one.name}`).toBe(code);
      codes.push(code);
    }
    expect(new Set(codes).size).toBe(3);
    for (const person of [ann, ben, cat]) {
      const shown = await Promise.all(
        [ann, ben, cat].filter((p) => p !== person).map((p) => person.verificationCode(p.name)),
      );
      expect(await codesFromStats(person), person.name).toEqual(shown.sort());
    }
  });
});
