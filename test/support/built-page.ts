import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the page the server serves. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Browser tests need the built page; say how to get it instead of failing obscurely. */
export function requireBuiltPage(): void {
  if (!existsSync(`${WEB_ROOT}index.html`)) {
    throw new Error(`No built page in ${WEB_ROOT}: run \`npm run build\` first (\`npm test\` does).`);
  }
}
