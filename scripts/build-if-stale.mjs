/**
 * `npm start` runs this first: it builds the page and the server only when their sources changed since the
 * last build, so `npm start -- --help` and a rejected setting answer at once instead of after a rebuild.
 * "Changed" is judged by content (a SHA-256 over every input file), not by modification times, which a
 * fresh clone or a `git checkout` resets.
 *
 *   node scripts/build-if-stale.mjs           build if stale, then record the inputs
 *   node scripts/build-if-stale.mjs --record  only record (the end of `npm run build`)
 *
 * Plain JavaScript, so it runs before anything is compiled.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const record = join(root, 'dist', '.build-inputs');
const outputs = [join(root, 'dist', 'cli.js'), join(root, 'dist', 'web', 'index.html')];
const inputs = [
  'src',
  'scripts',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'vite.config.ts',
];

function files(path) {
  if (!existsSync(path)) return [];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const child = join(path, entry.name);
    return entry.isDirectory() ? files(child) : [child];
  });
}

function list(path) {
  try {
    return files(path);
  } catch (error) {
    // readdirSync on a file: the input is the file itself.
    if (error && error.code === 'ENOTDIR') return [path];
    throw error;
  }
}

/** Tests beside the code are not built: editing one leaves the build as it is. */
const built = (file) => !/\.test\.tsx?$/.test(file);

function fingerprint() {
  const hash = createHash('sha256');
  const all = inputs
    .flatMap((input) => list(join(root, input)))
    .filter(built)
    .sort();
  for (const file of all) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const current = fingerprint();
if (process.argv.includes('--record')) {
  writeFileSync(record, `${current}\n`);
  process.exit(0);
}

const recorded = existsSync(record) ? readFileSync(record, 'utf8').trim() : '';
if (recorded === current && outputs.every((output) => existsSync(output))) process.exit(0);

process.stderr.write('parley: building the page and the server (sources changed since the last build)\n');
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
process.exit(build.status ?? 1);
