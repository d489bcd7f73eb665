import { FILE_CHUNK_BYTES, FILE_SIZE_MAX } from '../../protocol/index.js';

/** Bytes before a chunk's data: its offset in the file, as a big-endian 64-bit unsigned integer. */
export const CHUNK_HEADER_BYTES = 8;

/**
 * One chunk as it goes on the wire: its offset, then its bytes. The offset lets the receiver check that
 * each chunk continues exactly where the last one ended, also after a transfer was resumed.
 */
export function encodeChunk(offset: number, data: Uint8Array): ArrayBuffer {
  const buffer = new ArrayBuffer(CHUNK_HEADER_BYTES + data.byteLength);
  new DataView(buffer).setBigUint64(0, BigInt(offset));
  new Uint8Array(buffer, CHUNK_HEADER_BYTES).set(data);
  return buffer;
}

/**
 * Encodes chunks of `size` bytes into one buffer, used again for each: `RTCDataChannel.send()` takes a copy
 * of the bytes it is given (https://www.w3.org/TR/webrtc/#dom-rtcdatachannel-send), so the buffer is free
 * again once it returns. A file then makes no garbage per chunk (1600 buffers of 64 KiB for 100 MB, which
 * the sender's page held until the next collection). A shorter chunk (a file's last) gets a buffer of its
 * own, so that every chunk is a whole ArrayBuffer of exactly its length.
 */
export function chunkEncoder(size = FILE_CHUNK_BYTES): (offset: number, data: Uint8Array) => ArrayBuffer {
  const buffer = new ArrayBuffer(CHUNK_HEADER_BYTES + size);
  const header = new DataView(buffer, 0, CHUNK_HEADER_BYTES);
  const body = new Uint8Array(buffer, CHUNK_HEADER_BYTES);
  return (offset, data) => {
    if (data.byteLength !== size) return encodeChunk(offset, data);
    header.setBigUint64(0, BigInt(offset));
    body.set(data);
    return buffer;
  };
}

/** A chunk read back, or `undefined` for anything that is not one (empty, too long, past any file's end). */
export function decodeChunk(buffer: ArrayBuffer): { offset: number; data: Uint8Array } | undefined {
  if (buffer.byteLength <= CHUNK_HEADER_BYTES || buffer.byteLength > CHUNK_HEADER_BYTES + FILE_CHUNK_BYTES)
    return undefined;
  const offset = new DataView(buffer).getBigUint64(0);
  if (offset > BigInt(FILE_SIZE_MAX)) return undefined;
  return { offset: Number(offset), data: new Uint8Array(buffer, CHUNK_HEADER_BYTES) };
}

/** The chunks of `bytes`, which start at `offset` in the file: `[offset, data]` pairs of at most `size` bytes. */
export function* chunksOf(
  bytes: Uint8Array,
  offset: number,
  size = FILE_CHUNK_BYTES,
): Generator<[number, Uint8Array]> {
  for (let start = 0; start < bytes.byteLength; start += size)
    yield [offset + start, bytes.subarray(start, Math.min(start + size, bytes.byteLength))];
}
