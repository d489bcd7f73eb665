import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where browser tests put their screenshots: under `test-results/`, which git ignores. */
export const TEST_SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/**
 * Saves what `page` shows now as `test-results/screenshots/<name>.png`, to look at after a run; resolves
 * with the path. Tests never write into the tree git tracks: the README's pictures come from
 * `npm run screenshots` (scripts/screenshots.ts).
 */
export async function saveTestScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(TEST_SCREENSHOTS, { recursive: true });
  const path = join(TEST_SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
