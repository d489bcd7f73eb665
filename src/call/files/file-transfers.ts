import type {
  FileAcceptMessage,
  FileCancelMessage,
  FileDeclineMessage,
  FileOfferMessage,
  FileResultMessage,
  PeerId,
} from '../../protocol/index.js';
import { transferOfLabel } from '../../protocol/index.js';
import { MemorySink, type FileSink } from './file-sink.js';
import { IncomingTransfer } from './incoming-transfer.js';
import { OutgoingTransfer } from './outgoing-transfer.js';
import type { Transfer, TransferChange, TransferLink, TransferView } from './transfer.js';

export type { FileSink, TransferLink, TransferView };
export type { TransferChange, TransferOutcome, TransferStage } from './transfer.js';
export { MemorySink };

/** The largest file received into memory: 512 MiB (at least 500 MB, as a phone can still hold). */
export const MEMORY_LIMIT_BYTES = 512 * 1024 * 1024;
/** What all the files arriving into memory at once may announce together. */
const MEMORY_TOTAL_BYTES = 1024 * 1024 * 1024;
/** Files one person may have arriving at once (or waiting for a choice); more are declined as busy. */
const INCOMING_PER_PEER = 4;

/** A file message from a peer, parsed with its schema by the call's router. */
export type FileMessage =
  FileOfferMessage | FileAcceptMessage | FileDeclineMessage | FileCancelMessage | FileResultMessage;

export interface FileTransfersOptions {
  /**
   * Whether a file too large for memory can be written to disk as it arrives (the File System Access API):
   * then the person is asked to choose a place, otherwise the sender is told the limit.
   */
  canSaveToDisk: boolean;
  /** A file offered to us, shown in the chat from now on. */
  onOffer: (view: TransferView) => void;
  /**
   * Something about a transfer changed: `progress` with every chunk (the caller paces its redraws), `stage`
   * when one starts, pauses or ends (worth showing at once: "Arrived intact" should not wait for a timer).
   */
  onChange: (change: TransferChange) => void;
  /** Default {@link MEMORY_LIMIT_BYTES}. */
  memoryLimit?: number;
}

/** A random transfer id, the same for every recipient of one file. */
function newTransferId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Every file sent or received in one call. Loaded on demand by the room session at the first file, which
 * routes file messages and the data channels peers open here. Nothing is trusted from a peer: offers are
 * held to the limits, messages about a transfer count only from its peer, and a transfer's bytes are
 * checked chunk by chunk (see {@link IncomingTransfer}).
 */
export class FileTransfers {
  readonly #options: FileTransfersOptions;
  readonly #transfers = new Map<string, Transfer>();

  constructor(options: FileTransfersOptions) {
    this.#options = options;
  }

  get memoryLimit(): number {
    return this.#options.memoryLimit ?? MEMORY_LIMIT_BYTES;
  }

  /** Sends `file` to each of `peers`; returns the group key its chat line shows. */
  send(file: Blob & { name?: string }, peers: readonly TransferLink[]): string {
    const description = {
      id: newTransferId(),
      name: (file.name ?? '').slice(0, 255) || 'file',
      size: file.size,
      type: file.type.slice(0, 127),
    };
    for (const peer of peers) {
      const transfer = new OutgoingTransfer(peer, description, file, this.#options.onChange);
      this.#transfers.set(transfer.key, transfer);
      transfer.offer();
    }
    this.#options.onChange('stage');
    return `out ${description.id}`;
  }

  /** A file message from `peer`, already parsed. */
  receive(peer: TransferLink, message: FileMessage): void {
    if (message.kind === 'file-offer') return this.#offered(peer, message);
    // What the receiver says is about our outgoing transfer; what the sender says, about our incoming one.
    const outgoing = this.#transfers.get(`out ${peer.info.id} ${message.id}`);
    const incoming = this.#transfers.get(`in ${peer.info.id} ${message.id}`);
    switch (message.kind) {
      case 'file-accept':
        return outgoing instanceof OutgoingTransfer ? outgoing.accepted(message.offset) : undefined;
      case 'file-decline':
        return outgoing instanceof OutgoingTransfer ? outgoing.declined(message) : undefined;
      case 'file-result':
        return outgoing instanceof OutgoingTransfer ? outgoing.result(message.intact) : undefined;
      case 'file-cancel':
        // Either side may cancel; the id names at most one transfer in each direction.
        outgoing?.cancelledByPeer();
        incoming?.cancelledByPeer();
        return;
      default:
        message satisfies never;
    }
  }

  /** A data channel `peer` opened: the bytes of one of its files to us, or nothing we asked for. */
  channelOpened(peer: TransferLink, channel: RTCDataChannel): void {
    const id = transferOfLabel(channel.label);
    const transfer = id && this.#transfers.get(`in ${peer.info.id} ${id}`);
    if (transfer instanceof IncomingTransfer) transfer.attach(channel);
    else channel.close();
  }

  /** Takes an offered file into `sink` (a place on disk the person chose). */
  accept(key: string, sink: FileSink): void {
    const transfer = this.#transfers.get(key);
    if (transfer instanceof IncomingTransfer) transfer.accept(sink);
    else sink.abort();
  }

  decline(key: string): void {
    const transfer = this.#transfers.get(key);
    if (transfer instanceof IncomingTransfer) transfer.decline();
  }

  cancel(key: string): void {
    this.#transfers.get(key)?.cancel();
  }

  /** The person left: what is under way with them ends. */
  peerGone(peerId: PeerId): void {
    for (const transfer of this.#transfers.values())
      if (transfer.link.info.id === peerId) transfer.peerGone();
  }

  views(): TransferView[] {
    return [...this.#transfers.values()].map((transfer) => transfer.view());
  }

  /** Our call ends: everything under way stops (the connections close with it). */
  close(): void {
    for (const transfer of this.#transfers.values()) transfer.peerGone();
  }

  #offered(peer: TransferLink, offer: FileOfferMessage): void {
    const key = `in ${peer.info.id} ${offer.id}`;
    if (this.#transfers.has(key)) return;
    const transfer = new IncomingTransfer(peer, offer, this.#options.onChange);
    this.#transfers.set(key, transfer);
    const reason = this.#refusal(peer, offer);
    if (reason === 'too-large') transfer.decline('too-large', this.memoryLimit);
    else if (reason === 'busy') transfer.decline('busy');
    // Too large for memory but not for disk: the person chooses a place first (the sender waits).
    else if (reason === undefined) transfer.accept(new MemorySink(offer.type));
    this.#options.onOffer(transfer.view());
  }

  /** Why an offer cannot be taken into memory at once: `disk` asks the person for a place. */
  #refusal(peer: TransferLink, offer: FileOfferMessage): 'too-large' | 'busy' | 'disk' | undefined {
    const under = [...this.#transfers.values()].filter(
      (each) =>
        each instanceof IncomingTransfer &&
        !each.finished &&
        !(each.id === offer.id && each.link.info.id === peer.info.id),
    );
    if (under.filter((each) => each.link.info.id === peer.info.id).length >= INCOMING_PER_PEER) return 'busy';
    if (offer.size > this.memoryLimit) return this.#options.canSaveToDisk ? 'disk' : 'too-large';
    // A file over the memory limit goes to disk: it takes none of the memory.
    const inMemory = under
      .filter((each) => each.description.size <= this.memoryLimit)
      .reduce((sum, each) => sum + each.description.size, 0);
    return inMemory + offer.size > MEMORY_TOTAL_BYTES ? 'busy' : undefined;
  }
}
