import type { FileEndMessage } from '../../protocol/index.js';
import {
  FileReceivedMessage,
  fileChannelLabel,
  parsePeerMessage,
  type FileDeclineMessage,
} from '../../protocol/index.js';
import { chunkEncoder, chunksOf } from './chunks.js';
import { StreamingSha256 } from './streaming-sha256.js';
import {
  Transfer,
  type TransferChange,
  type TransferDescription,
  type TransferLink,
  type TransferOutcome,
} from './transfer.js';

/** Bytes read from the file at a time: a few chunks, so the page holds little of the file at once. */
const READ_BYTES = 1024 * 1024;
/** Parts read ahead of the one being sent. */
const READS_AHEAD = 3;
/**
 * Above this much queued on the channel, wait for `bufferedamountlow` (at {@link LOW_WATER}). Chromium closes
 * a channel whose queue passes 16 MiB; a few MiB keep the link busy on any path without holding much.
 */
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 1024 * 1024;

/**
 * A file we send to one person. It is offered, and sent from the offset the receiver accepts (0 at first,
 * what already arrived after a broken connection), on a data channel of its own, at the pace the channel
 * drains. The SHA-256 is computed as the file is read, each byte once even when a resume reads it again, and
 * follows the last chunk on the same channel.
 */
export class OutgoingTransfer extends Transfer {
  readonly #file: Blob;
  readonly #hash = new StreamingSha256();
  /** Bytes of the file the hash has taken in. */
  #hashed = 0;
  #digest: Promise<string> | undefined;
  /** Counts the pumps started, so that an older one stops at its next step. */
  #run = 0;

  constructor(
    link: TransferLink,
    description: TransferDescription,
    file: Blob,
    changed: (change: TransferChange) => void,
  ) {
    super('out', link, description, changed, 'offered');
    this.#file = file;
  }

  /** Tells the receiver about the file; nothing is sent before it accepts. */
  offer(): void {
    const { id, name, size, type } = this.description;
    this.link.session.send({ kind: 'file-offer', id, name, size, type });
  }

  /** The receiver takes the file from `offset`: (re)open the channel and send from there. */
  accepted(offset: number): void {
    if (this.finished) return;
    if (offset > this.description.size) return this.broken();
    this.closeChannel();
    const channel = this.link.session.openChannel(fileChannelLabel(this.id));
    // No connection to open it on: the receiver asks again once the connection is back.
    if (!channel) return this.#pause();
    this.channel = channel;
    channel.binaryType = 'arraybuffer';
    channel.bufferedAmountLowThreshold = LOW_WATER;
    channel.addEventListener('message', ({ data }) => {
      if (this.channel !== channel) return;
      const message = parsePeerMessage(data, (kind) =>
        kind === 'file-received' ? FileReceivedMessage : undefined,
      );
      if (!message || message.bytes > this.description.size) return this.broken();
      this.progress(message.bytes);
    });
    channel.addEventListener('close', () => {
      if (this.channel === channel) this.#pause();
    });
    this.stage = 'transferring';
    this.meter.reset();
    this.bytes = offset;
    this.changed();
    const run = ++this.#run;
    whenOpen(channel).then(
      (open) => (open ? this.#pump(channel, offset, run) : undefined),
      () => undefined,
    );
  }

  declined(message: FileDeclineMessage): void {
    this.finish({ kind: 'declined', by: 'peer', reason: message.reason, limit: message.limit });
  }

  /** The receiver compared the SHA-256. */
  result(intact: boolean): void {
    if (this.stage !== 'verifying' && this.stage !== 'transferring') return;
    if (intact) this.bytes = this.description.size;
    this.finish(intact ? { kind: 'done' } : { kind: 'failed', why: 'corrupt' });
  }

  protected onFinish(_outcome: TransferOutcome): void {
    this.#run++;
  }

  #pause(): void {
    if (this.finished || this.stage === 'verifying') return;
    this.channel = undefined;
    this.stage = 'paused';
    this.changed();
  }

  async #pump(channel: RTCDataChannel, from: number, run: number): Promise<void> {
    const { size } = this.description;
    const current = () => run === this.#run && this.channel === channel && channel.readyState === 'open';
    // A receiver can only hold what was sent, so this is only ever a gap when it claims more: hash it anyway.
    await this.#hashUpTo(from);
    // The next parts are read while this one is sent: a Blob is read from the browser's blob store, a
    // round trip away, which on a busy machine takes as long as sending a part.
    const reads: { start: number; bytes: Promise<ArrayBuffer> }[] = [];
    let readFrom = from;
    const readAhead = () => {
      while (reads.length < READS_AHEAD && readFrom < size) {
        const end = Math.min(size, readFrom + READ_BYTES);
        const bytes = this.#file.slice(readFrom, end).arrayBuffer();
        // A part read ahead of a transfer that then stops is never awaited: its failure is nobody's.
        bytes.catch(() => undefined);
        reads.push({ start: readFrom, bytes });
        readFrom = end;
      }
    };
    const encode = chunkEncoder();
    while (reads.length > 0 || readFrom < size) {
      readAhead();
      const part = reads.shift()!;
      const bytes = new Uint8Array(await part.bytes);
      readAhead();
      if (!current()) return;
      this.#hashPart(part.start, bytes);
      for (const [at, data] of chunksOf(bytes, part.start)) {
        if (channel.bufferedAmount > HIGH_WATER && !(await drained(channel))) return;
        if (!current()) return;
        channel.send(encode(at, data));
      }
    }
    if (!current()) return;
    const sha256 = await (this.#digest ??= this.#hash.hex());
    if (!current()) return;
    const end: FileEndMessage = { kind: 'file-end', sha256 };
    channel.send(JSON.stringify(end));
    this.stage = 'verifying';
    this.changed();
  }

  /** Hashes the part of `bytes` (found at `offset`) the hash has not taken in yet. */
  #hashPart(offset: number, bytes: Uint8Array): void {
    const end = offset + bytes.byteLength;
    if (end <= this.#hashed || offset > this.#hashed) return;
    this.#hash.update(bytes.subarray(this.#hashed - offset));
    this.#hashed = end;
  }

  async #hashUpTo(offset: number): Promise<void> {
    while (this.#hashed < offset) {
      const start = this.#hashed;
      const end = Math.min(offset, start + READ_BYTES);
      this.#hashPart(start, new Uint8Array(await this.#file.slice(start, end).arrayBuffer()));
    }
  }
}

/** Resolves true once the channel is open, false if it closes first. */
function whenOpen(channel: RTCDataChannel): Promise<boolean> {
  if (channel.readyState === 'open') return Promise.resolve(true);
  return new Promise((resolve) => {
    channel.addEventListener('open', () => resolve(true), { once: true });
    channel.addEventListener('close', () => resolve(false), { once: true });
  });
}

/** Resolves true when the queue has drained to the low-water mark, false if the channel closes first. */
function drained(channel: RTCDataChannel): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (open: boolean) => {
      channel.removeEventListener('bufferedamountlow', low);
      channel.removeEventListener('close', closed);
      resolve(open);
    };
    const low = () => done(true);
    const closed = () => done(false);
    channel.addEventListener('bufferedamountlow', low);
    channel.addEventListener('close', closed);
  });
}
