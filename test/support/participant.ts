import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { newParticipantContext } from './browser.js';

/** Milliseconds any single UI step may take before a test fails with a clear message. */
const STEP_TIMEOUT = 15_000;

/**
 * A person using Parley in a browser, driven only through what they would see and click: accessible roles
 * and names, exactly as a screen reader finds them.
 */
export class Participant {
  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** Opens the page (optionally a room link) and waits for the camera preview to be ready. */
  static async open(browser: Browser, url: string, name: string): Promise<Participant> {
    const context = await newParticipantContext(browser);
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

  /** The lobby's room password field (labelled "Password"), found by its label as a screen reader would. */
  passwordField(): Locator {
    return this.page.getByLabel('Password', { exact: true });
  }

  async fillPassword(password: string): Promise<void> {
    await this.passwordField().fill(password);
  }

  /** Whether the room password field has the keyboard focus, once the page has had `withinMs` to put it there. */
  async passwordFieldFocused(withinMs = STEP_TIMEOUT): Promise<boolean> {
    const field = await this.passwordField().elementHandle();
    return this.page
      .waitForFunction((element) => document.activeElement === element, field, { timeout: withinMs })
      .then(
        () => true,
        () => false,
      );
  }

  /** Presses Join (with a room password, if given) and waits until the call screen is shown. */
  async join(room?: string, password?: string): Promise<void> {
    if (room !== undefined) await this.fillRoom(room);
    if (password !== undefined) await this.fillPassword(password);
    await this.page.getByRole('button', { name: 'Join' }).click();
    await this.page.getByRole('button', { name: 'Leave' }).waitFor();
  }

  /** Presses Join and waits for an alert whose text matches `text`; returns that text. */
  async joinExpectingAlert(text: RegExp): Promise<string> {
    await this.page.getByRole('button', { name: 'Join' }).and(this.page.locator(':enabled')).click();
    const alert = this.page.getByRole('alert').filter({ hasText: text });
    await alert.waitFor();
    return (await alert.textContent()) ?? '';
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
    return video.evaluate(
      (element, { target, withinMs }) =>
        new Promise<number>((resolve) => {
          const v = element as HTMLVideoElement;
          let first: number | undefined;
          let latest = 0;
          const timer = setTimeout(() => resolve(first === undefined ? 0 : latest - first), withinMs);
          const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
            first ??= meta.presentedFrames;
            latest = meta.presentedFrames;
            if (latest - first >= target) {
              clearTimeout(timer);
              resolve(latest - first);
            } else {
              v.requestVideoFrameCallback(onFrame);
            }
          };
          v.requestVideoFrameCallback(onFrame);
        }),
      { target, withinMs },
    );
  }

  /**
   * Listens to the sound coming out of `name`'s tile (Web Audio analyser on the tile's stream) and resolves
   * with the loudest level heard, as soon as it passes `threshold` or when `withinMs` has passed. The fake
   * microphone beeps, so a connected call is clearly above silence.
   */
  async loudestAudio(name: string, threshold = 0.02, withinMs = 10_000): Promise<number> {
    const video = this.tile(name).locator('video');
    await video.waitFor({ state: 'attached' });
    return video.evaluate(
      (element, { threshold, withinMs }) =>
        new Promise<number>((resolve) => {
          const stream = (element as HTMLVideoElement).srcObject;
          if (!(stream instanceof MediaStream) || stream.getAudioTracks().length === 0) return resolve(0);
          const context = new AudioContext();
          const analyser = context.createAnalyser();
          context.createMediaStreamSource(stream).connect(analyser);
          const samples = new Float32Array(analyser.fftSize);
          let loudest = 0;
          const finish = () => {
            clearInterval(poll);
            clearTimeout(timer);
            void context.close();
            resolve(loudest);
          };
          const timer = setTimeout(finish, withinMs);
          // The analyser has no event of its own; sample it at the audio render rate.
          const poll = setInterval(() => {
            analyser.getFloatTimeDomainData(samples);
            for (const sample of samples) loudest = Math.max(loudest, Math.abs(sample));
            if (loudest >= threshold) finish();
          }, 20);
        }),
      { threshold, withinMs },
    );
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
