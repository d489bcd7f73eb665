import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The element is drawn where it says it is, whole inside the window: nothing covers its centre. Checked
 * again until it holds or 3 s have passed: what just arrived is laid out (and a log scrolled to it) a frame
 * or two later, as a person would see it.
 */
export async function expectPainted(locator: Locator, what: string, { scroll = false } = {}): Promise<void> {
  await locator.waitFor();
  if (scroll) await locator.scrollIntoViewIfNeeded();
  await expect
    .poll(() => paintedState(locator), { message: what, timeout: 3000 })
    .toEqual({ hit: true, inside: true });
}

function paintedState(locator: Locator): Promise<{ hit: boolean; inside: boolean }> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      hit: hit !== null && (hit === element || element.contains(hit)),
      inside:
        box.width > 0 &&
        box.height > 0 &&
        box.left >= 0 &&
        box.top >= 0 &&
        box.right <= window.innerWidth &&
        box.bottom <= window.innerHeight,
    };
  });
}
