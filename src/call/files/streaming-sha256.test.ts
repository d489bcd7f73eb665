import { describe, expect, it } from 'vitest';
import { StreamingSha256 } from './streaming-sha256.js';

const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('the streaming SHA-256 (hash-wasm)', () => {
  it('gives the NIST digests, bytes given before the WebAssembly is ready included, in order', async () => {
    const abc = new StreamingSha256();
    abc.update(new TextEncoder().encode('a'));
    abc.update(new TextEncoder().encode('bc'));
    expect(await abc.hex()).toBe(ABC);

    const million = new StreamingSha256();
    const chunk = new Uint8Array(65536).fill(0x61);
    for (let left = 1_000_000; left > 0; left -= chunk.length)
      million.update(chunk.subarray(0, Math.min(chunk.length, left)));
    expect(await million.hex()).toBe(MILLION_A);

    expect(await new StreamingSha256().hex()).toBe(EMPTY);
  });
});
