import { describe, expect, it } from 'vitest';
import { Participant } from '../support/participant.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;
const PASSWORD = 'plum-tractor-88';

/** Everything a page could have kept the password in: its address, its storage. */
async function wherePasswordsCouldHide(participant: Participant): Promise<string> {
  return participant.page.evaluate(() =>
    JSON.stringify([
      location.href,
      history.state,
      { ...localStorage },
      { ...sessionStorage },
      document.cookie,
    ]),
  );
}

describe('a password-protected room in Chromium', () => {
  const started = serverAndChromium();
  let alice: Participant;
  let bob: Participant;
  const room = 'e2e-private';
  /** What either page wrote to its console. */
  const consoleLines: string[] = [];
  const listen = (person: Participant) =>
    person.page.on('console', (message) => consoleLines.push(message.text()));

  it('lets the first person lock the room they open, and shows it is protected', async () => {
    alice = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Alice');
    listen(alice);
    await alice.join(undefined, PASSWORD);
    await alice.page.getByText('Password-protected').waitFor();
    const link = alice.page.getByRole('status').getByRole('link');
    expect(await link.getAttribute('href')).toBe(`${started.server.url}/r/${room}`);
  });

  it('asks the second person for the password, with the field focused', async () => {
    bob = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Bob');
    listen(bob);
    const alert = await bob.joinExpectingAlert(/needs a password/);
    expect(alert).toBe(`The room “${room}” needs a password. Enter it and press Join.`);
    expect(await bob.passwordFieldFocused()).toBe(true);
    expect(await bob.page.getByRole('button', { name: 'Leave' }).count()).toBe(0);
  });

  it('says plainly when the password is wrong, and lets them try again', async () => {
    await bob.fillPassword('plum-tractor-89');
    expect(await bob.joinExpectingAlert(/not right/)).toBe('That password is not right. Try again.');
    expect(await bob.page.getByRole('button', { name: 'Leave' }).count()).toBe(0);
    expect(await bob.passwordFieldFocused()).toBe(true);
    // The hint under the field no longer says the password is optional: it says what to do now.
    const hint = bob.page.locator('#room-password-hint');
    expect(await hint.textContent()).toBe('That password did not open the room. Check it and type it again.');
    expect(await bob.passwordField().getAttribute('aria-describedby')).toBe('room-password-hint');
  });

  it('lets them in with the right one: both see each other’s video advancing', async () => {
    await bob.join(undefined, PASSWORD);
    await bob.page.getByText('Password-protected').waitFor();
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
  });

  it('kept the password out of the address, the storage and the console of both pages', async () => {
    for (const person of [alice, bob]) expect(await wherePasswordsCouldHide(person)).not.toContain('plum');
    expect(consoleLines.join('\n')).not.toContain('plum');
    await bob.close();
    await alice.close();
  });
});
