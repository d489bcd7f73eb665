import { describe, expect, it } from 'vitest';
import { MemorySink } from './file-sink.js';

/** `length` bytes counting up from `first` (mod 256), so that order and gaps show. */
function counting(first: number, length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (first + i) & 0xff);
}

describe('MemorySink', () => {
  it('gives back every byte in order across the Blobs it made on the way, never holding a part more', async () => {
    const sink = new MemorySink('application/pdf', 1000);
    let written = 0;
    let most = 0;
    for (const length of [300, 300, 300, 300, 999, 1, 1000, 2500, 7]) {
      sink.write(counting(written, length));
      written += length;
      most = Math.max(most, sink.bytesInPage);
    }
    expect(most).toBeLessThan(1000);
    const blob = await sink.close();
    expect(blob.size).toBe(written);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(counting(0, written));
    expect(sink.bytesInPage).toBe(0);
  });

  it('keeps a picture type and makes anything else a plain download', async () => {
    const picture = new MemorySink('image/png');
    picture.write(counting(0, 10));
    expect((await picture.close()).type).toBe('image/png');
    const page = new MemorySink('text/html');
    page.write(counting(0, 10));
    expect((await page.close()).type).toBe('application/octet-stream');
  });

  it('an empty file is an empty Blob', async () => {
    expect((await new MemorySink('').close()).size).toBe(0);
  });

  it('throws away what it holds when aborted', async () => {
    const sink = new MemorySink('', 1000);
    sink.write(counting(0, 1500));
    sink.write(counting(0, 500));
    sink.abort();
    expect(sink.bytesInPage).toBe(0);
    expect((await sink.close()).size).toBe(0);
  });
});
