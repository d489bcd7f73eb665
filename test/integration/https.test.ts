import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, ackSchema } from '../../src/protocol/index.js';
import { type TestServer, startTestServer } from '../support/server.js';

/** GET over TLS, trusting only `ca`: the request fails unless the certificate is valid for the URL's host. */
function get(url: string, ca: string) {
  return new Promise<{
    status: number;
    headers: Record<string, unknown>;
    fingerprint256: string;
    body: string;
  }>((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      if (!(res.socket instanceof TLSSocket)) throw new TypeError('not a TLS connection');
      const fingerprint256 = res.socket.getPeerCertificate().fingerprint256;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, fingerprint256, body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS with a generated certificate', () => {
  let dataDir: string;
  let first: TestServer;
  let cert: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-https-'));
    first = await startTestServer({ dataDir, http: false });
    cert = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8');
  });
  afterAll(async () => {
    await first.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves https://localhost with the certificate it reports', async () => {
    expect(first.url).toBe(`https://localhost:${first.port}`);
    const response = await get(`${first.url}/healthz`, cert);
    expect(response.status).toBe(200);
    expect(response.fingerprint256).toBe(first.fingerprint256);
    expect(new X509Certificate(cert).fingerprint256).toBe(first.fingerprint256);
  });

  it('names localhost and 127.0.0.1 in the certificate', () => {
    const san = new X509Certificate(cert).subjectAltName ?? '';
    expect(san.split(', ')).toEqual(expect.arrayContaining(['DNS:localhost', 'IP Address:127.0.0.1']));
  });

  it('sends HSTS and allows only wss: for sockets', async () => {
    const response = await get(`${first.url}/healthz`, cert);
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(String(response.headers['content-security-policy'])).toContain(
      `connect-src 'self' wss://localhost:${first.port};`,
    );
  });

  it('runs signaling over wss', async () => {
    const socket = io(first.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ca: cert,
    });
    try {
      const response = ackSchema('join').parse(
        await socket.emitWithAck('join', { v: PROTOCOL_VERSION, room: 'secure', name: 'Ann' }),
      );
      expect(response).toMatchObject({ ok: true, created: true });
    } finally {
      socket.close();
    }
  });

  it('reuses the certificate on the next start', async () => {
    const second = await startTestServer({ dataDir, http: false });
    try {
      expect(second.fingerprint256).toBe(first.fingerprint256);
      expect((await get(`${second.url}/healthz`, cert)).fingerprint256).toBe(first.fingerprint256);
    } finally {
      await second.close();
    }
  });
});
