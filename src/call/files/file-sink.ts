/**
 * Where the bytes of a file we receive go, in order: memory (a Blob once complete), or a file on disk the
 * person chose (the page's File System Access sink). A sink is written only with bytes that continue the
 * file, never past its announced size.
 */
export interface FileSink {
  /** Where the file ends up: `memory` gives a Blob at the end, `disk` has written it where it was asked. */
  readonly kind: 'memory' | 'disk';
  write(bytes: Uint8Array): void | Promise<void>;
  /** The file is complete and intact: the Blob (memory), or undefined once the disk file is closed. */
  close(): Promise<Blob | undefined>;
  /** The transfer failed or was cancelled: throw away what was written. */
  abort(): void;
}

/**
 * Types a received file keeps: pictures, for the preview. Anything else becomes a plain download
 * (`application/octet-stream`): a `blob:` URL is of Parley's origin, and opened as `text/html` or
 * `image/svg+xml` it would run the sender's script there, outside the page's Content-Security-Policy.
 */
export const KEPT_TYPES = /^image\/(?:png|jpeg|gif|webp|avif|bmp)$/;

/**
 * Bytes a {@link MemorySink} gathers before it hands them to a Blob of their own. A Blob's bytes live in
 * the browser's blob store, which may keep them on disk, not in the page: the page then holds at most this
 * much of a file as it arrives, instead of all of it, and does not copy the whole file at the end (100 MB
 * took ~0.1 s, and the page briefly held it twice).
 */
export const MEMORY_SINK_PART_BYTES = 8 * 1024 * 1024;

/** Keeps the file in Blobs as it arrives and hands them over as one (typed only as a picture, if at all). */
export class MemorySink implements FileSink {
  readonly kind = 'memory';
  #blobs: Blob[] = [];
  #chunks: Uint8Array[] = [];
  #chunkBytes = 0;

  constructor(
    private readonly type: string,
    private readonly partBytes = MEMORY_SINK_PART_BYTES,
  ) {}

  /** Bytes of the file the page holds itself: what came since the last Blob was made. */
  get bytesInPage(): number {
    return this.#chunkBytes;
  }

  write(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#chunkBytes += bytes.byteLength;
    if (this.#chunkBytes >= this.partBytes) this.#fold();
  }

  close(): Promise<Blob> {
    this.#fold();
    const type = KEPT_TYPES.test(this.type) ? this.type : 'application/octet-stream';
    const blob = new Blob(this.#blobs, { type });
    this.#blobs = [];
    return Promise.resolve(blob);
  }

  abort(): void {
    this.#blobs = [];
    this.#chunks = [];
    this.#chunkBytes = 0;
  }

  #fold(): void {
    if (this.#chunks.length === 0) return;
    this.#blobs.push(new Blob(this.#chunks as BlobPart[]));
    this.#chunks = [];
    this.#chunkBytes = 0;
  }
}
