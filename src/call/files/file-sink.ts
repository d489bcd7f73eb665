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

/** Keeps the chunks in memory and hands them over as one Blob of the sender's type. */
export class MemorySink implements FileSink {
  readonly kind = 'memory';
  #parts: Uint8Array[] = [];

  constructor(private readonly type: string) {}

  write(bytes: Uint8Array): void {
    this.#parts.push(bytes);
  }

  close(): Promise<Blob> {
    // The type is a hint from the sender; only a well-formed one is kept (the link downloads either way).
    const type = /^[\w.+-]+\/[\w.+-]+$/.test(this.type) ? this.type : 'application/octet-stream';
    const blob = new Blob(this.#parts as BlobPart[], { type });
    this.#parts = [];
    return Promise.resolve(blob);
  }

  abort(): void {
    this.#parts = [];
  }
}
