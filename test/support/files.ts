import { createHash, randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdtemp, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { onTestFinished } from 'vitest';
import type { Participant } from './participant.js';

/**
 * Files for transfer tests, written to disk by the test and handed to the page's own file chooser (the
 * hidden input behind a "Send file" button) by path, as if the person had picked them: Chromium reads them
 * from disk as it would any chosen file. (Files made inside the page live in Chromium's blob store, which
 * under memory pressure now and then failed to read back a large one with NotReadableError.)
 */
export interface MadeFile {
  name: string;
  size: number;
  /** SHA-256 of the bytes. */
  sha256: string;
}

/**
 * Writes a file named `name` whose bytes are `block(index)` for index 0, 1, … until `size` bytes, into a
 * folder of its own that is removed when the running test ends. Returns its path and SHA-256.
 */
export async function writeTestFile(
  name: string,
  size: number,
  block: (index: number) => Uint8Array,
): Promise<{ path: string; sha256: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-test-file-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, name);
  const hash = createHash('sha256');
  const out = await open(path, 'w');
  try {
    for (let written = 0, index = 0; written < size; index++) {
      const bytes = block(index).subarray(0, size - written);
      hash.update(bytes);
      await out.write(bytes);
      written += bytes.byteLength;
    }
  } finally {
    await out.close();
  }
  return { path, sha256: hash.digest('hex') };
}

/**
 * Writes a file of `size` random bytes named `name` and chooses it in the file input next to `button` (the
 * chat's Send file, or a tile's Send a file to …). Chromium takes the type from the name's extension.
 */
export async function chooseRandomFile(button: Locator, name: string, size: number): Promise<MadeFile> {
  const { path, sha256 } = await writeTestFile(name, size, () => randomBytes(1024 * 1024));
  await chooseFile(button, path);
  return { name, size, sha256 };
}

/** Chooses the file at `path` in the file input next to `button`, as the person would. */
export async function chooseFile(button: Locator, path: string): Promise<void> {
  await button.waitFor();
  await button.locator('xpath=following-sibling::input[@type="file"][1]').setInputFiles(path);
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
