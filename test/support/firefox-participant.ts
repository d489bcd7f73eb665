import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, ElementHandle, Locator, Page } from 'puppeteer-core';
import { waitForDownload, writeTestFile, type MadeFile, type SavedFile } from './files.js';
import { countPresentedFrames, loudestLevel } from './media-probes.js';
import { STEP_TIMEOUT, type CallParticipant } from './participant.js';

/**
 * Puppeteer's ARIA selector: an element by its accessible role and name, as a screen reader finds it.
 * Over WebDriver BiDi it is answered by Firefox's own accessibility tree (`browsingContext.locateNodes`).
 */
export function byRole(role: string, name: string): string {
  return `::-p-aria([name=${JSON.stringify(name)}][role=${JSON.stringify(role)}])`;
}

/**
 * A person using Parley in Firefox, driven like {@link Participant} in Chromium: only through accessible
 * roles and names, in a browser context of their own.
 */
export class FirefoxParticipant implements CallParticipant {
  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    /** Where the browser saves what this person downloads, when {@link open} was given one. */
    readonly downloadPath?: string,
  ) {}

  /**
   * Opens the page (optionally a room link) and waits for the camera preview to be ready. With
   * `downloadPath`, downloads are saved there without asking (see {@link saveFile}).
   */
  static async open(
    browser: Browser,
    url: string,
    name: string,
    { downloadPath }: { downloadPath?: string } = {},
  ): Promise<FirefoxParticipant> {
    const context =
      downloadPath === undefined
        ? await browser.createBrowserContext()
        : await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    await page.goto(url);
    const participant = new FirefoxParticipant(name, context, page, downloadPath);
    await participant.fill('Your name', name);
    // Join is enabled once the browser has answered the request for camera and microphone.
    await participant.button('Join').wait();
    return participant;
  }

  async join(room?: string): Promise<void> {
    if (room !== undefined) await this.fill('Room', room);
    await this.button('Join').click();
    await this.page.locator(byRole('button', 'Leave')).wait();
  }

  async sendChat(text: string): Promise<void> {
    await this.fill('Message', text);
    await this.button('Send').click();
  }

  async waitForChat(author: string, text: string): Promise<void> {
    // The same question as Participant's: a list item of the chat log naming the author, with a part whose
    // whole text is the message.
    await this.page.waitForFunction(
      (author, text) =>
        [...document.querySelectorAll('[role="log"] li')].some(
          (line) =>
            line.textContent?.includes(author) === true &&
            [...line.querySelectorAll('*')].some((part) => part.textContent === text),
        ),
      {},
      author,
      text,
    );
  }

  async framesAdvancing(name: string, target = 10, withinMs = 10_000): Promise<number> {
    const video = await this.tileVideo(name);
    return video.evaluate(countPresentedFrames, { target, withinMs });
  }

  async loudestAudio(name: string, threshold = 0.02, withinMs = 10_000): Promise<number> {
    const video = await this.tileVideo(name);
    return video.evaluate(loudestLevel, { threshold, withinMs });
  }

  async verificationCode(name: string): Promise<string> {
    const tile = await this.page.locator(byRole('figure', name)).waitHandle();
    const code = await tile.waitForSelector(byRole('note', 'Verification code'));
    if (!code) throw new Error(`${this.name} sees no verification code on ${name}'s tile`);
    return code.evaluate((element) => element.querySelector('.tile__code-digits')?.textContent ?? '');
  }

  /** The video element of `name`'s tile, once it is there. */
  async tileVideo(name: string): Promise<ElementHandle<HTMLVideoElement>> {
    const tile = await this.page.locator(byRole('figure', name)).waitHandle();
    const video = await tile.waitForSelector('video', { visible: false });
    if (!video) throw new Error(`${this.name} sees no video element in ${name}'s tile`);
    return video;
  }

  /**
   * Writes a file of `size` random bytes named `name` and chooses it in the file input behind the button
   * named `button` ("Send file", "Send a file to Ann"), as {@link chooseRandomFile} does in Chromium.
   */
  async chooseRandomFile(button: string, name: string, size: number): Promise<MadeFile> {
    const { path, sha256 } = await writeTestFile(name, size, () => randomBytes(1024 * 1024));
    const handle = await this.page.locator(byRole('button', button)).waitHandle();
    const input = await handle.waitForSelector('xpath/following-sibling::input[@type="file"][1]');
    if (!input) throw new Error(`no file input after the button ${button}`);
    await (input as ElementHandle<HTMLInputElement>).uploadFile(path);
    return { name, size, sha256 };
  }

  /** Waits until the chat's card of the file `name` shows `text` (its status, say). */
  async waitForFileText(name: string, text: string, timeout = STEP_TIMEOUT): Promise<void> {
    await this.page.waitForFunction(
      (name, text) =>
        [...document.querySelectorAll('[role="log"] li')].some(
          (line) =>
            line.querySelector('.file__name')?.textContent === name &&
            line.textContent?.includes(text) === true,
        ),
      { timeout },
      name,
      text,
    );
  }

  /**
   * Clicks "Save <name>" as the person would and reads what Firefox downloaded into {@link downloadPath}
   * (which must be empty): its SHA-256, size and the name it was saved under.
   */
  async saveFile(name: string, size: number): Promise<SavedFile> {
    if (this.downloadPath === undefined) throw new Error('open the participant with a downloadPath');
    const downloaded = waitForDownload(this.downloadPath, size);
    // If the click fails, that is the error to report, not the wait's timeout after it.
    downloaded.catch(() => undefined);
    await this.page.locator(byRole('link', `Save ${name}`)).click();
    return downloaded;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** An enabled button: Puppeteer's locators wait for that before they click. */
  private button(name: string): Locator<HTMLButtonElement> {
    return this.page
      .locator(byRole('button', name))
      .filter((element): element is HTMLButtonElement => !(element as HTMLButtonElement).disabled);
  }

  private async fill(label: string, value: string): Promise<void> {
    await this.page.locator(byRole('textbox', label)).fill(value);
  }
}
