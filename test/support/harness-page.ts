import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { newParticipantContext } from './browser.js';

/** A made-up localhost origin: localhost counts as a secure context, so getUserMedia works there. */
const ORIGIN = 'http://localhost:1';

/**
 * Opens a blank page that runs `entry` (a TypeScript file, bundled here with esbuild). Requests are answered
 * by Playwright's router, so no server is involved at all.
 */
export async function openHarnessPage(browser: Browser, entry: string): Promise<Page> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const context = await newParticipantContext(browser);
  const page = await context.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/harness.js') return route.fulfill({ contentType: 'text/javascript', body: script });
    return route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><script src="/harness.js"></script>',
    });
  });
  await page.goto(`${ORIGIN}/`);
  return page;
}
