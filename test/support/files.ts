import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

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
  const sha256 = await input.evaluate(
    async (element: HTMLInputElement, { name, size, type }) => {
      const bytes = new Uint8Array(size);
      // getRandomValues fills at most 64 KiB per call.
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      const file = new File([bytes], name, { type });
      const transfer = new DataTransfer();
      transfer.items.add(file);
      element.files = transfer.files;
      element.dispatchEvent(new Event('change', { bubbles: true }));
      return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    },
    { name, size, type },
  );
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
