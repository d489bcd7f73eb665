import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from './logger.js';

/** Same floor as the `--secret` setting. */
const MIN_LENGTH = 32;

/**
 * The secret that signs resume tokens: the configured one, or one generated on first start and kept in
 * `<dataDir>/secret`. Keeping it is what lets a client resume its peer id after the server restarts.
 */
export async function loadSecret(dataDir: string, configured?: string, logger?: Logger): Promise<string> {
  if (configured !== undefined) return configured;
  const path = join(dataDir, 'secret');
  try {
    const saved = (await readFile(path, 'utf8')).trim();
    if (saved.length >= MIN_LENGTH) return saved;
    logger?.warn('the saved server secret is too short; making a new one (old resume tokens stop working)');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${secret}\n`, { mode: 0o600 });
  await rename(temporary, path);
  return secret;
}
