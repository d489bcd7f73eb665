/**
 * Prints what the room page loads up front in each language: the HTML and every script, stylesheet and font
 * it references, and the language's catalog, raw and compressed. Run by `npm run build` (which fails over the
 * budget); a test holds the heaviest language to the budget too.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

/**
 * Raised from 66 KB to 70 KB with the quality adaptation: each call now tells the others how it shows them
 * and follows what they say (about 1.5 KB), Data saver and its figure, and their words in the catalogs; the
 * budget split and the stats reader load once a call has begun (`call/quality/adapt.ts`).
 */
export const PAGE_BUDGET_GZIP_BYTES = 70 * 1024;

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

/**
 * Catalogs fetched on demand (src/web/i18n), by language: the chunk Vite names after each catalog's file.
 */
export const LANGUAGE_CHUNKS = {
  en: /^assets\/en-[\w-]+\.js$/,
  'zh-CN': /^assets\/zh-cn-[\w-]+\.js$/,
} as const;
export type PageLanguage = keyof typeof LANGUAGE_CHUNKS;

/** Static imports (`import"./x.js"`, `from"./x.js"`) and stylesheets and fonts (`url(x)`) load up front. */
const STATIC_REFERENCE =
  /(?:url\(|\bfrom\s*["']|\bimport\s*["'])\.?\/?((?:assets\/)?[\w.-]+\.(?:woff2?|js|css))/g;
/** `import("./x.js")`: a chunk loaded on demand. */
const DYNAMIC_IMPORT = /\bimport\(\s*["']\.?\/?((?:assets\/)?[\w.-]+\.js)["']/g;

const inAssets = (path: string) => (path.startsWith('assets/') ? path : `assets/${path}`);

/**
 * Weighs what the room page loads before it is drawn in `language` (by default the heaviest one): index.html,
 * what it references (src/href attributes pointing into the build), what those import statically, and the
 * language's catalog chunk.
 */
export async function pageWeight(root = WEB_ROOT, language?: PageLanguage): Promise<AssetWeight[]> {
  if (language === undefined) {
    const all = await Promise.all(
      (Object.keys(LANGUAGE_CHUNKS) as PageLanguage[]).map((each) => pageWeight(root, each)),
    );
    return all.reduce((heaviest, weights) =>
      total(weights).gzip > total(heaviest).gzip ? weights : heaviest,
    );
  }
  const html = await readFile(`${root}index.html`);
  const weights = [weigh('index.html', html)];
  const queue: string[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    queue.push(path);
  };
  for (const match of html.toString().matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css|woff2?))"/g)) {
    if (match[1]) add(match[1]);
  }
  const chunk = LANGUAGE_CHUNKS[language];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    const body = await readFile(`${root}${path}`);
    weights.push(weigh(path, body));
    const text = body.toString();
    for (const match of text.matchAll(STATIC_REFERENCE)) if (match[1]) add(inAssets(match[1]));
    if (chunk) {
      for (const match of text.matchAll(DYNAMIC_IMPORT)) {
        if (match[1] && chunk.test(inAssets(match[1]))) add(inAssets(match[1]));
      }
    }
  }
  if (chunk && !weights.some((w) => chunk.test(w.path))) {
    throw new Error(`No catalog chunk for ${language} is imported by the page (looked for ${chunk})`);
  }
  return weights;
}

function total(weights: AssetWeight[]): Omit<AssetWeight, 'path'> {
  return weights.reduce(
    (sum, w) => ({ raw: sum.raw + w.raw, gzip: sum.gzip + w.gzip, brotli: sum.brotli + w.brotli }),
    { raw: 0, gzip: 0, brotli: 0 },
  );
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const language of Object.keys(LANGUAGE_CHUNKS) as PageLanguage[]) {
    const weights = await pageWeight(WEB_ROOT, language);
    const sum = total(weights);
    console.log(`\nWhat the room page loads up front in ${language}:`);
    for (const w of weights)
      console.log(
        `  ${w.path.padEnd(36)} ${kb(w.raw).padStart(10)} raw ${kb(w.gzip).padStart(9)} gzip ${kb(w.brotli).padStart(9)} brotli`,
      );
    console.log(
      `  ${'total'.padEnd(36)} ${kb(sum.raw).padStart(10)} raw ${kb(sum.gzip).padStart(9)} gzip ${kb(sum.brotli).padStart(9)} brotli (budget ${kb(PAGE_BUDGET_GZIP_BYTES)} gzip)`,
    );
    if (sum.gzip > PAGE_BUDGET_GZIP_BYTES) process.exitCode = 1;
  }
  console.log('');
}
