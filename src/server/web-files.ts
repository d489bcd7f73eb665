import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

/** Hashed build output: its name changes with its content, so browsers may keep it for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Everything else: keep, but ask whether it changed (cheap with the ETag). */
const REVALIDATE = 'no-cache';

interface WebFile {
  readonly extension: string;
  readonly identity: Buffer;
  readonly gzip: Buffer;
  readonly brotli: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
}

/**
 * The built page (about 130 KB), read and compressed once, and served from memory. Reading files and
 * compressing on the fly would run on libuv's thread pool, the same four threads that hash room
 * passwords: a burst of password joins could then hold the page back for seconds. From memory, serving
 * the page never waits for that pool.
 */
export class WebFiles {
  readonly #root: string;
  #files = new Map<string, WebFile>();

  constructor(root: string) {
    this.#root = root;
    this.#load();
  }

  /** Whether the page is built; looks again when it was not, so a build after start is picked up. */
  get built(): boolean {
    if (!this.#files.has('/index.html')) this.#load();
    return this.#files.has('/index.html');
  }

  /** Sends `/index.html` for any page route (the page reads the room from its own path). */
  sendPage(req: Request, res: Response): boolean {
    return this.#send(req, res, '/index.html');
  }

  /** An express handler for every other built file; passes on what is not one. */
  readonly assets = (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !this.#send(req, res, req.path)) next();
  };

  #send(req: Request, res: Response, path: string): boolean {
    const file = this.#files.get(path);
    if (!file) return false;
    res.set({ 'Cache-Control': file.cacheControl, ETag: file.etag, Vary: 'Accept-Encoding' });
    res.type(file.extension);
    if (req.fresh) {
      res.status(304).end();
      return true;
    }
    const encoding = req.acceptsEncodings('br', 'gzip', 'identity');
    if (encoding === 'br' || encoding === 'gzip') res.set('Content-Encoding', encoding);
    res.send(encoding === 'br' ? file.brotli : encoding === 'gzip' ? file.gzip : file.identity);
    return true;
  }

  #load(): void {
    if (!existsSync(join(this.#root, 'index.html'))) return;
    const files = new Map<string, WebFile>();
    for (const path of walk(this.#root)) {
      const identity = readFileSync(path);
      const name = `/${relative(this.#root, path).split(sep).join('/')}`;
      files.set(name, {
        extension: extname(path),
        identity,
        gzip: gzipSync(identity, { level: 9 }),
        brotli: brotliCompressSync(identity, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`,
        cacheControl: name.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
      });
    }
    this.#files = files;
  }
}

function walk(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return walk(path);
    return entry.isFile() ? [path] : [];
  });
}
