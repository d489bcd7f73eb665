import type { FileSink } from '../call/files/file-sink.js';
import { safeFileName } from './safe-file-name.js';

/** Bytes gathered before each write to disk. */
const WRITE_BYTES = 4 * 1024 * 1024;

/** The part of the File System Access API used here (not yet in TypeScript's DOM types). */
interface SaveFilePicker {
  showSaveFilePicker(options: { suggestedName: string }): Promise<{
    createWritable(): Promise<{
      write(data: Uint8Array): Promise<void>;
      close(): Promise<void>;
      abort(): Promise<void>;
    }>;
  }>;
}

function picker(): SaveFilePicker | undefined {
  const candidate = window as unknown as Partial<SaveFilePicker>;
  return typeof candidate.showSaveFilePicker === 'function' ? (candidate as SaveFilePicker) : undefined;
}

/**
 * Writes a file to disk as it arrives, where the File System Access API is
 * (https://wicg.github.io/file-system-access/#api-showsavefilepicker): asks the person where to save `name` (a click must lead here: the browser's picker needs a user gesture)
 * and writes there as bytes arrive; undefined when they close the picker.
 */
export async function chooseDiskSink(name: string): Promise<FileSink | undefined> {
  const api = picker();
  if (!api) return undefined;
  let handle;
  try {
    handle = await api.showSaveFilePicker({ suggestedName: safeFileName(name) });
  } catch {
    return undefined;
  }
  const writable = await handle.createWritable();
  // Each write crosses to the browser's file process: chunks are gathered into a few MiB per write.
  let batch: Uint8Array[] = [];
  let batched = 0;
  const flush = async () => {
    if (batched === 0) return;
    const bytes = new Uint8Array(batched);
    let at = 0;
    for (const part of batch) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    batch = [];
    batched = 0;
    await writable.write(bytes);
  };
  return {
    kind: 'disk',
    write: (bytes) => {
      batch.push(bytes);
      batched += bytes.byteLength;
      return batched >= WRITE_BYTES ? flush() : undefined;
    },
    close: async () => {
      await flush();
      await writable.close();
      return undefined;
    },
    abort: () => void writable.abort().catch(() => undefined),
  };
}
