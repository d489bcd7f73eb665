import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import type { Config } from './config/index.js';
import type { Logger } from './logger.js';

/** What the HTTPS server needs, plus the fingerprint people compare when their browser warns them. */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate, colon-separated hex, as browsers show it. */
  fingerprint256: string;
  /** Where the material came from. */
  source: 'configured' | 'generated' | 'reused';
}

/** A generated certificate is replaced when it has less than this left, so it never expires mid-call. */
const RENEW_BEFORE_MS = 24 * 60 * 60 * 1000;
const VALID_FOR_DAYS = 365;

/**
 * The certificate to serve: the configured one if there is one; otherwise a self-signed one generated on
 * first start, kept in `<dataDir>/tls/` and reused until it expires (so browsers that were told to trust it
 * keep trusting it). Camera and microphone need a secure context, and a LAN address over plain HTTP is not
 * one: https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia
 */
export async function loadTls(
  config: Pick<Config, 'dataDir' | 'tlsCert' | 'tlsKey'>,
  logger?: Logger,
): Promise<TlsMaterial> {
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    const [cert, key] = await Promise.all([
      readFile(config.tlsCert, 'utf8'),
      readFile(config.tlsKey, 'utf8'),
    ]);
    return { cert, key, fingerprint256: new X509Certificate(cert).fingerprint256, source: 'configured' };
  }

  const dir = join(config.dataDir, 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  const existing = await readUsable(certPath, keyPath);
  if (existing.ok) {
    const missing = machineAddresses().filter((ip) => !existing.x509.checkIP(ip));
    if (missing.length > 0) {
      logger?.warn(
        { missing: missing.length },
        'the saved certificate does not cover every current network address; delete the tls folder in the data dir to make a new one',
      );
    }
    return {
      cert: existing.cert,
      key: existing.key,
      fingerprint256: existing.x509.fingerprint256,
      source: 'reused',
    };
  }
  if (existing.why !== 'missing') logger?.warn({ why: existing.why }, 'replacing the saved certificate');

  const { cert, key } = await generateSelfSigned();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomically(certPath, cert, 0o644);
  await writeAtomically(keyPath, key, 0o600);
  logger?.info({ path: certPath }, 'generated a self-signed certificate');
  return { cert, key, fingerprint256: new X509Certificate(cert).fingerprint256, source: 'generated' };
}

type Usable =
  | { ok: true; cert: string; key: string; x509: X509Certificate }
  | { ok: false; why: 'missing' | 'unreadable' | 'expired' | 'mismatched' };

async function readUsable(certPath: string, keyPath: string): Promise<Usable> {
  let cert: string;
  let key: string;
  try {
    [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    return { ok: false, why: code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  try {
    const x509 = new X509Certificate(cert);
    if (Date.parse(x509.validTo) - Date.now() < RENEW_BEFORE_MS) return { ok: false, why: 'expired' };
    if (!x509.checkPrivateKey(createPrivateKey(key))) return { ok: false, why: 'mismatched' };
    return { ok: true, cert, key, x509 };
  } catch {
    return { ok: false, why: 'unreadable' };
  }
}

/**
 * The addresses a browser on this machine or the LAN may use to reach us: localhost, the loopbacks and
 * every non-internal interface address.
 */
export function machineAddresses(): string[] {
  const lan = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    // A link-local IPv6 address needs a zone id in a URL, which browsers do not accept.
    .filter((entry) => !(entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80:')))
    .map((entry) => entry.address);
  return [...new Set(['127.0.0.1', '::1', ...lan])];
}

/** A P-256 key (fast to make, accepted by every browser) and a SHA-256 signature, valid for a year. */
async function generateSelfSigned(): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000); // a little slack for clocks that run behind
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_FOR_DAYS * 24 * 60 * 60 * 1000);
  const pems = await generate([{ name: 'commonName', value: 'Parley (self-signed)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          ...machineAddresses().map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Write then rename, so a crash mid-write never leaves half a key behind. */
async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode); // the umask may have taken bits off
  await rename(temporary, path);
}
