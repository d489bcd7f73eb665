import {
  FileEndMessage,
  parsePeerMessage,
  type FileDeclineReason,
  type FileReceivedMessage,
} from '../../protocol/index.js';
import { decodeChunk } from './chunks.js';
import { StreamingSha256 } from './streaming-sha256.js';
import type { FileSink } from './file-sink.js';
import {
  Transfer,
  type TransferDescription,
  type TransferLink,
  type TransferChange,
  type TransferOutcome,
  type TransferView,
} from './transfer.js';

/** The receiver tells the sender how far it has got after about this many bytes. */
const REPORT_EVERY_BYTES = 1024 * 1024;

/**
 * A file someone sends us. Every chunk must continue exactly where the last ended and stay within the
 * announced size, so a peer cannot make the page hold more than it said; the SHA-256 is computed as the
 * chunks arrive and compared with the sender's at the end. A broken connection pauses it: the receiver asks
 * the (repaired or rebuilt) connection for the rest, from the bytes it holds.
 */
export class IncomingTransfer extends Transfer {
  readonly #hash = new StreamingSha256();
  #sink: FileSink | undefined;
  /**
   * The sink's writes still under way, in order (a disk sink's are asynchronous; memory's are done at once,
   * so a transfer into memory makes no promise per chunk). Rejects once one has failed.
   */
  #writes: Promise<void> | undefined;
  #reported = 0;
  #file: Blob | undefined;
  #savedToDisk = false;

  constructor(
    link: TransferLink,
    description: TransferDescription,
    changed: (change: TransferChange) => void,
  ) {
    super('in', link, description, changed, 'choosing');
  }

  /** Takes the file into `sink`: the sender starts at once. */
  accept(sink: FileSink): void {
    if (this.stage !== 'choosing') return sink.abort();
    this.#sink = sink;
    this.stage = 'transferring';
    this.link.session.send({ kind: 'file-accept', id: this.id, offset: 0 });
    this.changed();
  }

  /** Refuses the file, before or while it arrives; `reason` says why to the sender. */
  decline(reason: FileDeclineReason = 'declined', limit?: number): void {
    if (this.finished) return;
    this.link.session.send({
      kind: 'file-decline',
      id: this.id,
      reason,
      ...(limit !== undefined && { limit }),
    });
    this.finish({ kind: 'declined', by: 'self', reason, limit });
  }

  /** A data channel the sender opened for this transfer: the bytes come on it (again, after a repair). */
  attach(channel: RTCDataChannel): void {
    if (this.stage !== 'transferring' && this.stage !== 'paused') return channel.close();
    this.closeChannel();
    this.channel = channel;
    this.stage = 'transferring';
    this.meter.reset();
    channel.binaryType = 'arraybuffer';
    channel.addEventListener('message', ({ data }) => {
      if (this.channel !== channel) return;
      if (data instanceof ArrayBuffer) this.#chunk(data);
      else void this.#end(data);
    });
    channel.addEventListener('close', () => {
      if (this.channel !== channel || this.stage !== 'transferring') return;
      this.channel = undefined;
      this.stage = 'paused';
      this.changed();
      // Waits in the call's outbox while the connection is rebuilt, and goes out on the new one.
      this.link.session.send({ kind: 'file-accept', id: this.id, offset: this.bytes });
    });
    this.changed();
  }

  override view(): TransferView {
    return { ...super.view(), file: this.#file, savedToDisk: this.#savedToDisk };
  }

  protected onFinish(outcome: TransferOutcome): void {
    if (outcome.kind !== 'done') this.#sink?.abort();
    this.#sink = undefined;
  }

  #chunk(buffer: ArrayBuffer): void {
    const chunk = decodeChunk(buffer);
    const { size } = this.description;
    const sink = this.#sink;
    if (!sink || !chunk || chunk.offset !== this.bytes || this.bytes + chunk.data.byteLength > size)
      return this.broken();
    const { data } = chunk;
    this.#write(sink, data);
    this.#hash.update(data);
    this.progress(this.bytes + data.byteLength);
    if (this.bytes - this.#reported >= REPORT_EVERY_BYTES || this.bytes === size) this.#report();
  }

  #report(): void {
    this.#reported = this.bytes;
    const message: FileReceivedMessage = { kind: 'file-received', bytes: this.bytes };
    if (this.channel?.readyState === 'open') this.channel.send(JSON.stringify(message));
  }

  async #end(frame: unknown): Promise<void> {
    const end = parsePeerMessage(frame, (kind) => (kind === 'file-end' ? FileEndMessage : undefined));
    if (!end || this.stage !== 'transferring' || this.bytes !== this.description.size) return this.broken();
    this.stage = 'verifying';
    this.changed();
    const intact = (await this.#hash.hex()) === end.sha256;
    const sink = this.#sink;
    try {
      await this.#writes;
      if (!intact || !sink || this.finished) throw new Error('not kept');
      this.#file = await sink.close();
      this.#savedToDisk = sink.kind === 'disk';
    } catch {
      if (this.finished) return;
      this.link.session.send({ kind: 'file-result', id: this.id, intact: false });
      return this.finish({ kind: 'failed', why: intact ? 'write' : 'corrupt' });
    }
    this.link.session.send({ kind: 'file-result', id: this.id, intact: true });
    this.finish({ kind: 'done' });
  }

  #write(sink: FileSink, data: Uint8Array): void {
    const pending = this.#writes;
    let written: void | Promise<void>;
    try {
      written = pending ? pending.then(() => sink.write(data)) : sink.write(data);
    } catch {
      return this.#writeFailed();
    }
    if (!written) return;
    const writes: Promise<void> = written.then(() => {
      if (this.#writes === writes) this.#writes = undefined;
    });
    this.#writes = writes;
    // The writes chained after a failed one fail with it; the transfer ends at the first.
    writes.catch(() => this.#writeFailed());
  }

  #writeFailed(): void {
    if (this.finished) return;
    this.link.session.send({ kind: 'file-cancel', id: this.id });
    this.finish({ kind: 'failed', why: 'write' });
  }
}
