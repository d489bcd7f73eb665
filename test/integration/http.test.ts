import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../support/server.js';

const INDEX =
  '<!doctype html><title>Parley test page</title><script type="module" src="/assets/x-abc.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('parley '.repeat(400))});\n`;

describe('HTTP', () => {
  let webRoot: string;
  let server: TestServer;

  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'parley-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(join(webRoot, 'index.html'), INDEX);
    await writeFile(join(webRoot, 'assets', 'x-abc.js'), SCRIPT);
    await writeFile(join(webRoot, 'robots.txt'), 'User-agent: *\n');
    server = await startTestServer({ webRoot });
  });
  afterAll(async () => {
    await server.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { headers });

  it('serves the page with a strict Content-Security-Policy and no X-Powered-By', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
    const csp = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives.get('default-src')).toBe("'self'");
    expect(directives.get('script-src')).toBe("'self' 'wasm-unsafe-eval'");
    expect(directives.get('style-src')).toBe("'self'");
    expect(directives.get('img-src')).toBe("'self' data: blob:");
    expect(directives.get('media-src')).toBe("'self' blob: mediastream:");
    expect(directives.get('connect-src')).toBe(
      `'self' ws://${new URL(server.url).host} wss://${new URL(server.url).host}`,
    );
    expect(directives.get('object-src')).toBe("'none'");
    expect(directives.get('base-uri')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    expect(directives.has('upgrade-insecure-requests')).toBe(false);
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('permissions-policy')).toBe(
      'camera=(self), microphone=(self), display-capture=(self), compute-pressure=(self)',
    );
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves a Host header it does not trust out of the policy', async () => {
    const { request } = await import('node:http');
    const csp = await new Promise<string>((resolve, reject) => {
      const req = request(server.url, { headers: { host: "evil.example'; script-src *" } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      });
      req.on('error', reject);
      req.end();
    });
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain('evil');
  });

  it('serves the page for a room link', async () => {
    for (const path of ['/r/some-room', '/r/some-room/']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(INDEX);
    }
  });

  it('caches content-hashed assets for a year, and compresses them', async () => {
    const response = await get('/assets/x-abc.js', { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(await response.text()).toBe(SCRIPT);
  });

  it('has other static files revalidated', async () => {
    const response = await get('/robots.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers /healthz', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 404 for what is not there, without revealing the stack', async () => {
    for (const path of [
      '/nope',
      '/assets/missing.js',
      '/r/',
      '/r/a/b',
      '/../package.json',
      '/socket.io.js',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-security-policy'), path).toContain("default-src 'self'");
    }
  });
});

describe('HTTP without a built client', () => {
  it('answers 503 with what to do, and keeps running', async () => {
    const webRoot = await mkdtemp(join(tmpdir(), 'parley-noweb-'));
    const server = await startTestServer({ webRoot });
    try {
      for (const path of ['/', '/r/x']) {
        const response = await fetch(`${server.url}${path}`);
        expect(response.status).toBe(503);
        expect(await response.text()).toContain('npm run build');
      }
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      await rm(webRoot, { recursive: true, force: true });
    }
  });
});
