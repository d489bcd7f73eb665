/**
 * Prints what the room page loads up front: the HTML and every script, stylesheet and font it references,
 * raw and compressed. Run by `npm run build`; a test holds the total to the budget.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

export const PAGE_BUDGET_GZIP_BYTES = 60 * 1024;

export interface AssetWeight {
  path: string;
  raw: number;
  gzip: number;
  brotli: number;
}

const WEB_ROOT = fileURLToPath(new URL('../dist/web/', import.meta.url));

function weigh(path: string, body: Buffer): AssetWeight {
  return {
    path,
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Weighs index.html and what it references (src/href attributes pointing into the build). */
export async function pageWeight(root = WEB_ROOT): Promise<AssetWeight[]> {
  const html = await readFile(`${root}index.html`);
  const weights = [weigh('index.html', html)];
  const referenced = new Set<string>();
  for (const match of html.toString().matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css|woff2?))"/g)) {
    if (match[1]) referenced.add(match[1]);
  }
  for (const path of referenced) weights.push(weigh(path, await readFile(`${root}${path}`)));
  // Fonts and chunks pulled in by the stylesheets and the entry script are loaded up front too.
  for (const path of [...referenced]) {
    const text = (await readFile(`${root}${path}`)).toString();
    for (const match of text.matchAll(
      /(?:url\(|import\(?\s*["'])\.?\/?((?:assets\/)?[\w.-]+\.(?:woff2?|js|css))/g,
    )) {
      const nested = match[1]?.startsWith('assets/') ? match[1] : `assets/${match[1] ?? ''}`;
      if (match[1] && !referenced.has(nested)) {
        referenced.add(nested);
        weights.push(weigh(nested, await readFile(`${root}${nested}`)));
      }
    }
  }
  return weights;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const weights = await pageWeight();
  const total = weights.reduce(
    (sum, w) => ({ raw: sum.raw + w.raw, gzip: sum.gzip + w.gzip, brotli: sum.brotli + w.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
  console.log('\nWhat the room page loads up front:');
  for (const w of weights)
    console.log(
      `  ${w.path.padEnd(36)} ${kb(w.raw).padStart(10)} raw ${kb(w.gzip).padStart(9)} gzip ${kb(w.brotli).padStart(9)} brotli`,
    );
  console.log(
    `  ${'total'.padEnd(36)} ${kb(total.raw).padStart(10)} raw ${kb(total.gzip).padStart(9)} gzip ${kb(total.brotli).padStart(9)} brotli (budget ${kb(PAGE_BUDGET_GZIP_BYTES)} gzip)\n`,
  );
}
