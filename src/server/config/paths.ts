import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';

/** package.json's version, read from both `src/server/config/` and `dist/server/config/`. */
export const PARLEY_VERSION = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'))).version;

/** `<repo>/dist/web/`, from both `src/server/config/paths.ts` and `dist/server/config/paths.js`. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));
