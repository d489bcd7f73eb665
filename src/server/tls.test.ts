import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTls, machineAddresses } from './tls.js';

describe('loadTls', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-tls-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('generates a certificate on first start and saves it with a private key file', async () => {
    const tls = await loadTls({ dataDir });
    expect(tls.source).toBe('generated');
    expect(tls.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const saved = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8');
    expect(saved).toBe(tls.cert);
    expect((await stat(join(dataDir, 'tls', 'key.pem'))).mode & 0o777).toBe(0o600);

    const x509 = new X509Certificate(tls.cert);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    for (const ip of machineAddresses()) expect(x509.checkIP(ip), ip).toBe(ip);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    const daysValid = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / 86_400_000;
    expect(daysValid).toBeGreaterThan(360);
    expect(daysValid).toBeLessThan(370);
  });

  it('reuses the saved certificate on later starts', async () => {
    const first = await loadTls({ dataDir });
    const second = await loadTls({ dataDir });
    expect(second.source).toBe('reused');
    expect(second.fingerprint256).toBe(first.fingerprint256);
  });

  it('replaces a saved certificate that is unreadable', async () => {
    await mkdir(join(dataDir, 'tls'));
    await writeFile(join(dataDir, 'tls', 'cert.pem'), 'not a certificate');
    await writeFile(join(dataDir, 'tls', 'key.pem'), 'not a key');
    expect((await loadTls({ dataDir })).source).toBe('generated');
  });

  it('replaces a saved certificate that has expired', async () => {
    const old = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date('2020-01-01'),
      notAfterDate: new Date('2021-01-01'),
    });
    await mkdir(join(dataDir, 'tls'));
    await writeFile(join(dataDir, 'tls', 'cert.pem'), old.cert);
    await writeFile(join(dataDir, 'tls', 'key.pem'), old.private);
    const tls = await loadTls({ dataDir });
    expect(tls.source).toBe('generated');
    expect(tls.cert).not.toBe(old.cert);
  });

  it('serves a configured certificate as it is', async () => {
    const pems = await generate([{ name: 'commonName', value: 'parley.example' }], {
      keyType: 'ec',
      algorithm: 'sha256',
    });
    const [tlsCert, tlsKey] = [join(dataDir, 'c.pem'), join(dataDir, 'k.pem')];
    await writeFile(tlsCert, pems.cert);
    await writeFile(tlsKey, pems.private);
    const tls = await loadTls({ dataDir, tlsCert, tlsKey });
    expect(tls).toMatchObject({ source: 'configured', cert: pems.cert, key: pems.private });
    expect(tls.fingerprint256).toBe(new X509Certificate(pems.cert).fingerprint256);
  });
});
