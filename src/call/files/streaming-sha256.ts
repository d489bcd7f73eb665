import { sha256 as jsSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createSHA256 } from 'hash-wasm';

/** What a transfer needs of a hash: bytes in, in order, and the hex digest at the end. */
interface Hasher {
  update(bytes: Uint8Array): void;
  hex(): string;
}

/**
 * The SHA-256 of a file, taken in as it streams (WebCrypto hashes only whole buffers). WebAssembly
 * (hash-wasm, https://github.com/Daninet/hash-wasm) where the page may compile it, 2 to 6 times the speed
 * of JavaScript on the receiver's busiest thread; @noble/hashes where it may not (a Content-Security-Policy
 * without `'wasm-unsafe-eval'`, set by a proxy in front of Parley, say). The WebAssembly hasher is made
 * asynchronously: bytes given before it is ready wait for it, in order.
 */
export class StreamingSha256 {
  #hasher: Hasher | undefined;
  readonly #ready: Promise<Hasher>;
  #waiting: Uint8Array[] = [];

  constructor() {
    this.#ready = makeHasher().then((hasher) => {
      for (const bytes of this.#waiting) hasher.update(bytes);
      this.#waiting = [];
      this.#hasher = hasher;
      return hasher;
    });
  }

  update(bytes: Uint8Array): void {
    if (this.#hasher) this.#hasher.update(bytes);
    else this.#waiting.push(bytes);
  }

  /** The digest of everything given, in lowercase hex. Call once. */
  async hex(): Promise<string> {
    return (await this.#ready).hex();
  }
}

/** Whether WebAssembly may be compiled here; asked once. */
let wasm: Promise<boolean> | undefined;

async function makeHasher(): Promise<Hasher> {
  wasm ??= createSHA256().then(
    () => true,
    () => false,
  );
  if (await wasm) {
    const hasher = await createSHA256();
    hasher.init();
    return { update: (bytes) => void hasher.update(bytes), hex: () => hasher.digest('hex') };
  }
  const hash = jsSha256.create();
  return { update: (bytes) => void hash.update(bytes), hex: () => bytesToHex(hash.digest()) };
}
