import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Participant } from './participant.js';

/**
 * Files for transfer tests, made inside the sender's page (24 MB does not go through the driver's
 * protocol quickly) and handed to the page's own file chooser: the hidden input behind a "Send file"
 * button, as if the person had picked them.
 */
export interface MadeFile {
  name: string;
  size: number;
  /** SHA-256 of the bytes, computed in the page with WebCrypto. */
  sha256: string;
}

/**
 * Makes a file of `size` random bytes named `name` in `page` and chooses it in the file input next to
 * `button` (the chat's Send file, or a tile's Send a file to …). Returns its SHA-256.
 */
export async function chooseRandomFile(
  page: Page,
  button: Locator,
  name: string,
  size: number,
  type = 'application/octet-stream',
): Promise<MadeFile> {
  await button.waitFor();
  const input = button.locator('xpath=following-sibling::input[@type="file"][1]');
  const sha256 = await input.evaluate(putRandomFile, { name, size, type });
  return { name, size, sha256 };
}

/**
 * Clicks a "Save <name>" link as the person would and reads what the browser downloaded: its SHA-256, size
 * and the name the browser saved it under.
 */
export async function downloadSaved(
  page: Page,
  link: Locator,
): Promise<{ sha256: string; size: number; savedAs: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await download.path();
  const bytes = await readFile(path);
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.byteLength,
    savedAs: download.suggestedFilename(),
  };
}

/** The chat's card of the file `name`: the list item holding it. */
export function fileCard(page: Page, name: string): Locator {
  return page
    .getByRole('log')
    .getByRole('listitem')
    .filter({ has: page.locator('.file__name', { hasText: name }) });
}

/**
 * Runs in the page: makes a file of `size` random bytes named `name`, puts it in the file `input` (or the
 * first file input after it, when it is the Send file button) as if the person had chosen it, and returns
 * its SHA-256 in hex. Self-contained, so that either driver (Playwright, Puppeteer) can run it.
 */
export async function putRandomFile(
  element: Element,
  { name, size, type }: { name: string; size: number; type: string },
): Promise<string> {
  let input: Element | null = element;
  while (input && !(input instanceof HTMLInputElement && input.type === 'file'))
    input = input.nextElementSibling;
  if (!input) throw new Error('no file input after the button');
  const bytes = new Uint8Array(size);
  // getRandomValues fills at most 64 KiB per call.
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const file = new File([bytes], name, { type });
  // A file made in the page is handed to the browser's blob store in the background; read its last byte so
  // that it is there, as a file on disk would be, before it is chosen.
  await file.slice(size - 1).arrayBuffer();
  const transfer = new DataTransfer();
  transfer.items.add(file);
  input.files = transfer.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a download left in a folder: its SHA-256, size and the name the browser gave it. */
export interface SavedFile {
  sha256: string;
  size: number;
  savedAs: string;
}

/**
 * Waits (on the folder's change events) for a browser that saves downloads into `dir` to finish one of
 * `size` bytes, and reads it. Firefox first makes an empty file under the final name, writes `*.part` and
 * renames it at the end: the download is complete once no `.part` file is left and the file has its size.
 */
export async function waitForDownload(dir: string, size: number, timeoutMs = 30_000): Promise<SavedFile> {
  const complete = async (): Promise<string | undefined> => {
    const names = await readdir(dir);
    if (names.some((each) => each.endsWith('.part'))) return undefined;
    for (const each of names) {
      const info = await stat(join(dir, each)).catch(() => undefined);
      if (info?.isFile() && info.size === size) return each;
    }
    return undefined;
  };
  const savedAs = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, found?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve(found!);
    };
    const check = () =>
      void complete().then(
        (found) => found !== undefined && settle(undefined, found),
        (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
      );
    const watcher = watch(dir, check);
    const timer = setTimeout(
      () =>
        void readdir(dir).then((names) =>
          settle(
            new Error(
              `no complete download of ${size} bytes in ${dir} after ${timeoutMs} ms: ${names.join(', ')}`,
            ),
          ),
        ),
      timeoutMs,
    );
    check();
  });
  const bytes = await readFile(join(dir, savedAs));
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength, savedAs };
}

/** One data channel the page created, as {@link recordDataChannelsInPage} keeps it (in the page only). */
export interface RecordedChannel {
  label: string;
  pc: RTCPeerConnection;
  channel: RTCDataChannel;
  /** Text frames that arrived on it, in order. */
  received: string[];
  /** File bytes the page handed to `send` in binary chunks, the 8-byte offset headers not counted. */
  fileBytesSent: number;
  /** The offset in the first binary chunk sent: where a file's channel started. */
  firstOffset: number | undefined;
  /** Date.now() when the page created it. */
  createdAt: number;
}

/**
 * An init script (runs before the page's own scripts): keeps every data channel the page creates, with the
 * connection it belongs to, on `window.parleyDataChannels` ({@link RecordedChannel}[]), so a test can read
 * what arrived on the call's channel (label `chat`), count what went out on a file's channel, or send frames
 * of its own as the page. The page's channels behave exactly as without it.
 */
export function recordDataChannelsInPage(): void {
  const channels: RecordedChannel[] = [];
  const byChannel = new WeakMap<RTCDataChannel, RecordedChannel>();
  Object.assign(window, { parleyDataChannels: channels });
  // Both are only ever called with the instance, through `call`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const create = RTCPeerConnection.prototype.createDataChannel;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const send = RTCDataChannel.prototype.send as (this: RTCDataChannel, data: unknown) => void;
  RTCPeerConnection.prototype.createDataChannel = function (
    this: RTCPeerConnection,
    label: string,
    init?: RTCDataChannelInit,
  ) {
    const channel = create.call(this, label, init);
    const record: RecordedChannel = {
      label,
      pc: this,
      channel,
      received: [],
      fileBytesSent: 0,
      firstOffset: undefined,
      createdAt: Date.now(),
    };
    channels.push(record);
    byChannel.set(channel, record);
    channel.addEventListener('message', ({ data }) => {
      if (typeof data === 'string') record.received.push(data);
    });
    return channel;
  };
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: unknown) {
    const record = byChannel.get(this);
    if (record && data instanceof ArrayBuffer && data.byteLength >= 8) {
      record.firstOffset ??= Number(new DataView(data).getBigUint64(0));
      record.fileBytesSent += data.byteLength - 8;
    }
    send.call(this, data);
  };
}

/**
 * Reloads a participant's lobby page with {@link recordDataChannelsInPage} installed before the page's own
 * scripts, fills in their name again and waits for Join, as `Participant.open` left it. Call it before join.
 */
export async function recordDataChannels(participant: Participant): Promise<void> {
  const { page } = participant;
  await page.addInitScript(recordDataChannelsInPage);
  await page.reload();
  await page.getByRole('textbox', { name: 'Your name' }).fill(participant.name);
  await page.getByRole('button', { name: 'Join' }).and(page.locator(':enabled')).waitFor();
}
