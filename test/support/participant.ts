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
  /** The verification code shown on `name`'s tile ("482 913 077 245 316"), once it is there. */
  verificationCode(name: string): Promise<string>;
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
   * the window (a phone, say); by default it is a 1280x720 desktop window. With `recordPeerConnections`, the
   * page's RTCPeerConnections are kept where {@link certificateFingerprints} can read their stats (the page
   * itself exposes none).
   */
  static async open(
    browser: Browser,
    url: string,
    name: string,
    device: BrowserContextOptions = {},
    {
      recordPeerConnections = false,
      init,
    }: { recordPeerConnections?: boolean; init?: (() => void) | undefined } = {},
  ): Promise<Participant> {
    const context = await newParticipantContext(browser, device);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    if (recordPeerConnections) await page.addInitScript(recordPeerConnectionsInPage);
    // Runs in the page before its own scripts: what the test changes in the browser, said by the test.
    if (init) await page.addInitScript(init);
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

  /** The lobby's connectivity check, found as a screen reader finds it: the live region by its name. */
  connectionCheck(): Locator {
    return this.page.getByRole('status', { name: 'Connection check' });
  }

  tile(name: string): Locator {
    return this.page.getByRole('figure', { name, exact: true });
  }

  async sendChat(text: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Message' }).fill(text);
    await this.page
      .getByRole('button', { name: 'Send', exact: true })
      .and(this.page.locator(':enabled'))
      .click();
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

  /** The verification code shown on `name`'s tile, once it is there. */
  async verificationCode(name: string): Promise<string> {
    const code = this.tile(name).getByRole('note', { name: 'Verification code' });
    await code.waitFor();
    return (await code.locator('.tile__code-digits').textContent()) ?? '';
  }

  /**
   * For each connected RTCPeerConnection of the page (opened with `recordPeerConnections`), the local and
   * remote certificate fingerprints its DTLS transport reports in getStats, as `sha-256 AB:CD:…`.
   */
  async certificateFingerprints(): Promise<{ local: string; remote: string }[]> {
    return this.page.evaluate(async () => {
      const all = (window as unknown as { parleyPeerConnections?: RTCPeerConnection[] })
        .parleyPeerConnections;
      if (!all) throw new Error('open the participant with recordPeerConnections');
      const pairs: { local: string; remote: string }[] = [];
      for (const pc of all.filter((pc) => pc.connectionState === 'connected')) {
        const stats = [...(await pc.getStats()).values()] as Record<string, string>[];
        const certificate = (id: string | undefined) => {
          const found = stats.find((s) => s.type === 'certificate' && s.id === id);
          if (!found) throw new Error(`no certificate stats ${id}`);
          return `${found.fingerprintAlgorithm?.toLowerCase()} ${found.fingerprint?.toUpperCase()}`;
        };
        for (const transport of stats.filter((s) => s.type === 'transport' && s.dtlsState === 'connected'))
          pairs.push({
            local: certificate(transport.localCertificateId),
            remote: certificate(transport.remoteCertificateId),
          });
      }
      return pairs;
    });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Runs in the page before its own scripts: remembers every RTCPeerConnection it makes. */
function recordPeerConnectionsInPage(): void {
  const Native = window.RTCPeerConnection;
  const all: RTCPeerConnection[] = [];
  Object.assign(window, { parleyPeerConnections: all });
  window.RTCPeerConnection = class extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      all.push(this);
    }
  };
}
