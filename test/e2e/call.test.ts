import { describe, expect, it } from 'vitest';
import { Participant } from '../support/participant.js';
import { saveTestScreenshot } from '../support/screenshots.js';
import { serverAndChromium } from '../support/server-and-chromium.js';

/** Frames that must be shown in a tile for its video to count as flowing (the fake camera runs at 20 fps). */
const FLOWING = 10;

describe('a call between two people in Chromium', () => {
  const started = serverAndChromium();
  let alice: Participant;
  let bob: Participant;
  const room = 'e2e-call';

  it('fills the room from a room link and shows the camera preview before joining', async () => {
    alice = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Alice');
    expect(await alice.page.getByRole('textbox', { name: 'Room' }).inputValue()).toBe(room);
    expect(await alice.framesAdvancing('You')).toBeGreaterThanOrEqual(FLOWING);
  });

  it('tells the first person that they are waiting for others', async () => {
    await alice.join();
    await alice.page.getByText('Waiting for others to join').waitFor();
  });

  it('lets the second person in; both see each other’s video advancing and hear each other', async () => {
    bob = await Participant.open(started.browser, `${started.server.url}/`, 'Bob');
    await bob.join(room);
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    expect(await alice.loudestAudio('Bob')).toBeGreaterThan(0.02);
    expect(await bob.loudestAudio('Alice')).toBeGreaterThan(0.02);
    await alice.page.getByText('Waiting for others to join').waitFor({ state: 'detached' });
  });

  it('carries chat lines both ways, with who wrote them', async () => {
    await alice.sendChat('Hello Bob');
    await bob.waitForChat('Alice', 'Hello Bob');
    await bob.sendChat('Hi Alice!');
    await alice.waitForChat('Bob', 'Hi Alice!');
  });

  it('shows a line holding HTML as text and runs nothing', async () => {
    const hostile = '<img src=x onerror="window.pwned=1"><b>bold</b><script>window.pwned=2</script>';
    await alice.sendChat(hostile);
    const line = await bob.waitForChat('Alice', hostile);
    expect(await line.locator('img, b, script').count()).toBe(0);
    expect(await bob.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('switches the camera and microphone off and on, and the other person sees it', async () => {
    const camera = alice.page.getByRole('button', { name: 'Camera' });
    const microphone = alice.page.getByRole('button', { name: 'Microphone' });
    expect(await camera.getAttribute('aria-pressed')).toBe('true');
    await camera.click();
    await microphone.click();
    expect(await camera.getAttribute('aria-pressed')).toBe('false');
    expect(await microphone.getAttribute('aria-pressed')).toBe('false');
    await bob.tile('Alice').getByText('Camera off').waitFor();
    await bob.tile('Alice').getByText('Muted').waitFor();

    await camera.click();
    await microphone.click();
    await bob.tile('Alice').getByText('Camera off').waitFor({ state: 'detached' });
    await bob.tile('Alice').getByText('Muted').waitFor({ state: 'detached' });
    expect(await bob.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
  });

  it('takes a screenshot of the in-call page, to look at after the run', async () => {
    await saveTestScreenshot(alice.page, 'call');
  });

  it('tells a third person plainly that the room is full, and does not admit them', async () => {
    const carol = await Participant.open(started.browser, `${started.server.url}/`, 'Carol');
    const alert = await carol.joinExpectingError(room);
    expect(alert).toMatch(/full/i);
    expect(await carol.page.getByRole('button', { name: 'Leave' }).count()).toBe(0);
    await carol.close();
    // The two inside are undisturbed.
    expect(await alice.framesAdvancing('Bob')).toBeGreaterThanOrEqual(FLOWING);
  });

  it('removes the tile of someone who leaves, and a newcomer takes the place and connects', async () => {
    await bob.leave();
    await alice.tile('Bob').waitFor({ state: 'detached' });
    await alice.page.getByText('Waiting for others to join').waitFor();

    const dave = await Participant.open(started.browser, `${started.server.url}/r/${room}`, 'Dave');
    await dave.join();
    expect(await alice.framesAdvancing('Dave')).toBeGreaterThanOrEqual(FLOWING);
    expect(await dave.framesAdvancing('Alice')).toBeGreaterThanOrEqual(FLOWING);
    await dave.sendChat('Dave here');
    await alice.waitForChat('Dave', 'Dave here');
    bob = dave;
  });

  it('removes the tile within a few seconds when someone closes the tab', async () => {
    const closedAt = Date.now();
    await bob.close();
    await alice.tile('Dave').waitFor({ state: 'detached', timeout: 10_000 });
    expect(Date.now() - closedAt).toBeLessThan(10_000);
    await alice.close();
  });
});
