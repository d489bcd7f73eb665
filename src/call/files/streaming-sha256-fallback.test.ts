import { describe, expect, it, vi } from 'vitest';

// A page whose Content-Security-Policy refuses WebAssembly: hash-wasm cannot make its hasher.
vi.mock('hash-wasm', () => ({
  createSHA256: () => Promise.reject(new Error("Refused to compile WebAssembly: no 'wasm-unsafe-eval'")),
}));

const { StreamingSha256 } = await import('./streaming-sha256.js');

describe('the streaming SHA-256 without WebAssembly', () => {
  it('falls back to @noble/hashes and gives the same digest', async () => {
    const hash = new StreamingSha256();
    hash.update(new TextEncoder().encode('abc'));
    expect(await hash.hex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
