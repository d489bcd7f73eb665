import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_BUDGET_GZIP_BYTES, pageWeight } from '../../scripts/page-weight.js';
import { requireBuiltPage } from '../support/built-page.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('the built room page', () => {
  let server: TestServer;
  beforeAll(async () => {
    requireBuiltPage();
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`loads at most ${PAGE_BUDGET_GZIP_BYTES / 1024} KB gzipped up front, with no inline script`, async () => {
    const weights = await pageWeight();
    const total = weights.reduce((sum, w) => sum + w.gzip, 0);
    expect(total).toBeLessThanOrEqual(PAGE_BUDGET_GZIP_BYTES);
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('is served compressed, hashed assets cached for a year and the page revalidated', async () => {
    const page = await fetch(`${server.url}/r/some-room`, { headers: { 'accept-encoding': 'gzip' } });
    expect(page.headers.get('cache-control')).toContain('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
