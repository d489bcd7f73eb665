import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { ConfigError, reason, settingName } from './errors.js';
import { DEFAULT_WEB_ROOT } from './paths.js';
import { type Config, SETTINGS, type UserKey, setting } from './settings.js';

/**
 * The whole configuration's schema, from the table: a setting without a value is `undefined`, or its
 * `whenUnset` value.
 */
const ASSEMBLED = z.object({
  ...Object.fromEntries(
    SETTINGS.map((entry) => [
      entry.key,
      entry.whenUnset !== undefined
        ? z._default(entry.schema, entry.whenUnset)
        : entry.default === undefined
          ? z.optional(entry.schema)
          : entry.schema,
    ]),
  ),
  webRoot: z.string(),
});

/** Cross-field checks, then the frozen result. */
export function finish(
  values: Partial<Record<UserKey, unknown>>,
  webRoot: string = DEFAULT_WEB_ROOT,
): Config {
  const parsed = ASSEMBLED.safeParse({ ...values, webRoot });
  // Every field was checked one by one already; this only fails on a bug in the table.
  if (!parsed.success) throw new ConfigError(`Internal configuration error: ${parsed.error.message}`);
  // The schema is built from the same table as the type, key by key; TypeScript cannot follow that through
  // Object.fromEntries.
  const config = parsed.data as Config;

  const [cert, key] = [setting('tlsCert'), setting('tlsKey')];
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(`Set both ${settingName(cert)} and ${settingName(key)}, or neither.`);
  }
  if (config.http && config.tlsCert !== undefined) {
    throw new ConfigError(
      `${settingName(setting('http'))} serves plain HTTP; it cannot be combined with ${settingName(cert)}.`,
    );
  }
  if (config.tlsCert !== undefined && config.tlsKey !== undefined)
    checkTlsFiles(config.tlsCert, config.tlsKey);

  if (config.http && config.httpRedirectPort !== undefined) {
    throw new ConfigError(
      `${settingName(setting('http'))} serves plain HTTP; ${settingName(setting('httpRedirectPort'))} redirects to HTTPS and cannot be combined with it.`,
    );
  }

  const [turnUrls, turnSecret] = [setting('turnUrls'), setting('turnSecret')];
  // URLs without a secret would be handed out with no way to log in; a secret alone does nothing.
  if ((config.turnUrls.length === 0) !== (config.turnSecret === undefined)) {
    throw new ConfigError(`Set both ${settingName(turnUrls)} and ${settingName(turnSecret)}, or neither.`);
  }
  if (config.icePolicy === 'relay' && config.turnUrls.length === 0) {
    throw new ConfigError(
      `${settingName(setting('icePolicy'))} relay needs a relay: set ${settingName(turnUrls)} and ${settingName(turnSecret)}.`,
    );
  }

  return Object.freeze({
    ...config,
    dataDir: resolve(config.dataDir),
    tlsCert: config.tlsCert === undefined ? undefined : resolve(config.tlsCert),
    tlsKey: config.tlsKey === undefined ? undefined : resolve(config.tlsKey),
    logFile: config.logFile === undefined ? undefined : resolve(config.logFile),
    turnUrls: Object.freeze([...config.turnUrls]),
    // As browsers write them: lower case, no default port, no trailing slash.
    allowedOrigins: Object.freeze(
      config.allowedOrigins.map((origin) => (origin === 'self' ? origin : new URL(origin).origin)),
    ),
    webRoot: resolve(config.webRoot),
  });
}

/** Fails at start-up, with the setting's name, rather than at the first TLS handshake. */
function checkTlsFiles(certPath: string, keyPath: string): void {
  const [certSetting, keySetting] = [setting('tlsCert'), setting('tlsKey')];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certPath));
  } catch (error) {
    throw new ConfigError(
      `Invalid ${settingName(certSetting)}: cannot read a PEM certificate from ${certPath} (${reason(error)}).`,
    );
  }
  try {
    const key = createPrivateKey(readFileSync(keyPath));
    if (!cert.checkPrivateKey(key)) {
      throw new ConfigError(`Invalid ${settingName(keySetting)}: ${keyPath} is not the key of ${certPath}.`);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `Invalid ${settingName(keySetting)}: cannot read a PEM private key from ${keyPath} (${reason(error)}).`,
    );
  }
}
