import { describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES, FILE_SIZE_MAX } from '../../protocol/index.js';
import { CHUNK_HEADER_BYTES, chunkEncoder, chunksOf, decodeChunk, encodeChunk } from './chunks.js';

function bytes(length: number, seed = 1): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (i * 31 + seed) & 0xff;
  return data;
}

/** Byte-for-byte equality, without a deep comparison of every element (slow on 64 KiB). */
const same = (a: Uint8Array | undefined, b: Uint8Array) =>
  a !== undefined && Buffer.from(a).equals(Buffer.from(b));

describe('encodeChunk / decodeChunk', () => {
  it.each([
    ['0', 0],
    ['2^32 + 5 (past 32 bits)', 2 ** 32 + 5],
    ['just below FILE_SIZE_MAX', FILE_SIZE_MAX - FILE_CHUNK_BYTES],
    ['FILE_SIZE_MAX itself', FILE_SIZE_MAX],
  ])('round-trips a chunk at offset %s', (_name, offset) => {
    const data = bytes(1000);
    const buffer = encodeChunk(offset, data);
    expect(buffer.byteLength).toBe(CHUNK_HEADER_BYTES + data.byteLength);
    const chunk = decodeChunk(buffer);
    expect(chunk?.offset).toBe(offset);
    expect(chunk?.data).toEqual(data);
  });

  it('puts the offset first, as a big-endian 64-bit integer', () => {
    const buffer = encodeChunk(2 ** 32 + 5, Uint8Array.of(0xaa, 0xbb));
    expect([...new Uint8Array(buffer)]).toEqual([0, 0, 0, 1, 0, 0, 0, 5, 0xaa, 0xbb]);
  });

  it('round-trips a chunk of exactly FILE_CHUNK_BYTES, and one of a single byte', () => {
    const full = bytes(FILE_CHUNK_BYTES, 7);
    const chunk = decodeChunk(encodeChunk(FILE_CHUNK_BYTES, full));
    expect(chunk?.offset).toBe(FILE_CHUNK_BYTES);
    expect(same(chunk?.data, full)).toBe(true);
    expect(decodeChunk(encodeChunk(3, Uint8Array.of(42)))).toEqual({ offset: 3, data: Uint8Array.of(42) });
  });

  it('copies the data: changing the source afterwards does not change the chunk', () => {
    const data = bytes(16);
    const buffer = encodeChunk(0, data);
    data.fill(0);
    expect(decodeChunk(buffer)?.data).toEqual(bytes(16));
  });

  it('rejects an empty buffer, a header alone and anything shorter', () => {
    expect(decodeChunk(new ArrayBuffer(0))).toBeUndefined();
    expect(decodeChunk(new ArrayBuffer(3))).toBeUndefined();
    expect(decodeChunk(new ArrayBuffer(CHUNK_HEADER_BYTES))).toBeUndefined();
    expect(decodeChunk(encodeChunk(0, new Uint8Array(0)))).toBeUndefined();
  });

  it('rejects a buffer longer than a header and FILE_CHUNK_BYTES', () => {
    expect(decodeChunk(encodeChunk(0, new Uint8Array(FILE_CHUNK_BYTES + 1)))).toBeUndefined();
    expect(decodeChunk(new ArrayBuffer(CHUNK_HEADER_BYTES + 10 * FILE_CHUNK_BYTES))).toBeUndefined();
  });

  it('rejects an offset past FILE_SIZE_MAX, up to the largest 64-bit value', () => {
    expect(decodeChunk(encodeChunk(FILE_SIZE_MAX + 1, bytes(4)))).toBeUndefined();
    const buffer = new ArrayBuffer(CHUNK_HEADER_BYTES + 4);
    new DataView(buffer).setBigUint64(0, 2n ** 64n - 1n);
    expect(decodeChunk(buffer)).toBeUndefined();
    // Beyond Number.MAX_SAFE_INTEGER, where a Number could not even hold the offset exactly.
    new DataView(buffer).setBigUint64(0, 2n ** 53n + 1n);
    expect(decodeChunk(buffer)).toBeUndefined();
  });
});

describe('chunksOf', () => {
  it('splits into chunks of FILE_CHUNK_BYTES by default, the last one short, offsets from the start', () => {
    const data = bytes(2 * FILE_CHUNK_BYTES + 100);
    const chunks = [...chunksOf(data, 5000)];
    expect(chunks.map(([offset, part]) => [offset, part.byteLength])).toEqual([
      [5000, FILE_CHUNK_BYTES],
      [5000 + FILE_CHUNK_BYTES, FILE_CHUNK_BYTES],
      [5000 + 2 * FILE_CHUNK_BYTES, 100],
    ]);
    // Together they are the input, byte for byte.
    const joined = new Uint8Array(data.byteLength);
    for (const [offset, part] of chunks) joined.set(part, offset - 5000);
    expect(same(joined, data)).toBe(true);
  });

  it('splits exactly, without an empty last chunk, when the size divides the input', () => {
    const chunks = [...chunksOf(bytes(12), 0, 4)];
    expect(chunks).toEqual([
      [0, bytes(12).subarray(0, 4)],
      [4, bytes(12).subarray(4, 8)],
      [8, bytes(12).subarray(8, 12)],
    ]);
  });

  it('gives one short chunk for input smaller than the size', () => {
    expect([...chunksOf(bytes(3), 2 ** 32 + 5)]).toEqual([[2 ** 32 + 5, bytes(3)]]);
  });

  it('gives nothing for empty input', () => {
    expect([...chunksOf(new Uint8Array(0), 0)]).toEqual([]);
    expect([...chunksOf(new Uint8Array(0), 1234, 4)]).toEqual([]);
  });

  it('gives chunks that encodeChunk and decodeChunk carry unchanged', () => {
    const data = bytes(3 * FILE_CHUNK_BYTES - 1, 9);
    for (const [offset, part] of chunksOf(data, FILE_CHUNK_BYTES)) {
      const chunk = decodeChunk(encodeChunk(offset, part));
      expect(chunk?.offset).toBe(offset);
      expect(same(chunk?.data, part)).toBe(true);
    }
  });
});

describe('chunkEncoder', () => {
  it('encodes full chunks as encodeChunk does, into one buffer used again for each', () => {
    const encode = chunkEncoder();
    const first = bytes(FILE_CHUNK_BYTES, 1);
    const second = bytes(FILE_CHUNK_BYTES, 2);
    const a = encode(0, first);
    expect(same(new Uint8Array(a), new Uint8Array(encodeChunk(0, first)))).toBe(true);
    const b = encode(FILE_CHUNK_BYTES, second);
    // The same buffer, now holding the second chunk (send() copied the first before it was reused).
    expect(b).toBe(a);
    const chunk = decodeChunk(b);
    expect(chunk?.offset).toBe(FILE_CHUNK_BYTES);
    expect(same(chunk?.data, second)).toBe(true);
  });

  it("gives a shorter chunk (a file's last) a buffer of exactly its length", () => {
    const encode = chunkEncoder();
    const full = encode(0, bytes(FILE_CHUNK_BYTES));
    const last = encode(FILE_CHUNK_BYTES, bytes(100, 3));
    expect(last).not.toBe(full);
    expect(last.byteLength).toBe(CHUNK_HEADER_BYTES + 100);
    expect(decodeChunk(last)).toEqual({ offset: FILE_CHUNK_BYTES, data: bytes(100, 3) });
  });
});
