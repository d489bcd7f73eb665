import type { FileSink } from '../call/files/file-sink.js';
import { safeFileName } from './safe-file-name.js';

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
  return {
    kind: 'disk',
    write: (bytes) => writable.write(bytes),
    close: async () => {
      await writable.close();
      return undefined;
    },
    abort: () => void writable.abort().catch(() => undefined),
  };
}
