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

/** Keeps the chunks in memory and hands them over as one Blob (typed only as a picture, if at all). */
export class MemorySink implements FileSink {
  readonly kind = 'memory';
  #parts: Uint8Array[] = [];

  constructor(private readonly type: string) {}

  write(bytes: Uint8Array): void {
    this.#parts.push(bytes);
  }

  close(): Promise<Blob> {
    const type = KEPT_TYPES.test(this.type) ? this.type : 'application/octet-stream';
    const blob = new Blob(this.#parts as BlobPart[], { type });
    this.#parts = [];
    return Promise.resolve(blob);
  }

  abort(): void {
    this.#parts = [];
  }
}
