import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { newParticipantContext } from './browser.js';
import { countPresentedFrames, loudestLevel } from './media-probes.js';

/** Milliseconds any single UI step may take before a test fails with a clear message. */
export const STEP_TIMEOUT = 15_000;

/**
 * What a call test does with a person, whichever browser they use: {@link Participant} drives Chromium
 * (playwright-core), `FirefoxParticipant` drives Firefox (puppeteer-core over WebDriver BiDi).
 */
export interface CallParticipant {
  readonly name: string;
  /** Presses Join (after filling in `room`, if given) and waits until the call screen is shown. */
  join(room?: string): Promise<void>;
  sendChat(text: string): Promise<void>;
  /** Waits for a chat line with exactly this text, from `author`. */
  waitForChat(author: string, text: string): Promise<unknown>;
  /** Frames presented in `name`'s tile, up to `target`, within `withinMs`; 0 for a frozen tile. */
  framesAdvancing(name: string, target?: number, withinMs?: number): Promise<number>;
  /** The loudest level heard from `name`'s tile, returned as soon as it passes `threshold`. */
  loudestAudio(name: string, threshold?: number, withinMs?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A person using Parley in a browser, driven only through what they would see and click: accessible roles
 * and names, exactly as a screen reader finds them.
 */
export class Participant implements CallParticipant {
  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /**
   * Opens the page (optionally a room link) and waits for the camera preview to be ready. `device` changes
   * the window (a phone, say); by default it is a 1280x720 desktop window.
   */
  static async open(
    browser: Browser,
    url: string,
    name: string,
    device: BrowserContextOptions = {},
  ): Promise<Participant> {
    const context = await newParticipantContext(browser, device);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    await page.goto(url);
    const participant = new Participant(name, context, page);
    await page.getByRole('textbox', { name: 'Your name' }).fill(name);
    // Join is enabled once the browser has answered the request for camera and microphone.
    await page.getByRole('button', { name: 'Join' }).and(page.locator(':enabled')).waitFor();
    return participant;
  }

  async fillRoom(room: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Room' }).fill(room);
  }

  /** Presses Join and waits until the call screen is shown. */
  async join(room?: string): Promise<void> {
    if (room !== undefined) await this.fillRoom(room);
    await this.page.getByRole('button', { name: 'Join' }).click();
    await this.page.getByRole('button', { name: 'Leave' }).waitFor();
  }

  /** Presses Join and returns the alert that explains why joining failed. */
  async joinExpectingError(room: string): Promise<string> {
    await this.fillRoom(room);
    await this.page.getByRole('button', { name: 'Join' }).click();
    const alert = this.page.getByRole('alert');
    await alert.waitFor();
    return (await alert.textContent()) ?? '';
  }

  async leave(): Promise<void> {
    await this.page.getByRole('button', { name: 'Leave' }).click();
    await this.page.getByRole('button', { name: 'Join' }).waitFor();
  }

  /** The lobby's connectivity check, found as a screen reader finds it: the live region by its name. */
  connectionCheck(): Locator {
    return this.page.getByRole('status', { name: 'Connection check' });
  }

  tile(name: string): Locator {
    return this.page.getByRole('figure', { name, exact: true });
  }

  async sendChat(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Message' }).fill(text);
    await this.page.getByRole('button', { name: 'Send' }).and(this.page.locator(':enabled')).click();
  }

  /** Waits for a chat line with exactly this text, from `author`. */
  async waitForChat(author: string, text: string): Promise<Locator> {
    const line = this.page
      .getByRole('log')
      .getByRole('listitem')
      .filter({ hasText: author })
      .filter({ has: this.page.getByText(text, { exact: true }) });
    await line.waitFor();
    return line;
  }

  /**
   * Counts video frames presented in `name`'s tile, waiting (on requestVideoFrameCallback, not a timer)
   * until `target` new frames have been shown or `withinMs` has passed. A frozen or black tile returns 0.
   */
  async framesAdvancing(name: string, target = 10, withinMs = 10_000): Promise<number> {
    const video = this.tile(name).locator('video');
    await video.waitFor({ state: 'attached' });
    return video.evaluate(countPresentedFrames, { target, withinMs });
  }

  /**
   * Listens to the sound coming out of `name`'s tile and resolves with the loudest level heard, as soon as
   * it passes `threshold` or when `withinMs` has passed.
   */
  async loudestAudio(name: string, threshold = 0.02, withinMs = 10_000): Promise<number> {
    const video = this.tile(name).locator('video');
    await video.waitFor({ state: 'attached' });
    return video.evaluate(loudestLevel, { threshold, withinMs });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
