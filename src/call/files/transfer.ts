import type { FileDeclineReason, PeerInfo } from '../../protocol/index.js';
import { RateMeter } from './rate-meter.js';

/** What a transfer needs of the connection to its peer: the call's data channel and channels of its own. */
export interface TransferLink {
  readonly info: PeerInfo;
  readonly session: {
    /** On the call's data channel (kept until it opens, also on a rebuilt connection). */
    send<M extends { kind: string }>(message: M): void;
    /** A new data channel on the connection in use now; undefined when there is none to open one on. */
    openChannel(label: string): RTCDataChannel | undefined;
  };
}

/** Where a transfer stands. */
export type TransferStage =
  /** Sent: waiting for the receiver to take it. */
  | 'offered'
  /** Received, too large for memory: waiting for the person to choose a place on disk, or decline. */
  | 'choosing'
  | 'transferring'
  /** The connection broke: waiting for the repaired one to go on from the last byte that arrived. */
  | 'paused'
  /** Every byte is across: the receiver compares the SHA-256. */
  | 'verifying'
  | 'finished';

/** How a finished transfer ended. */
export type TransferOutcome =
  | { kind: 'done' }
  /** `corrupt`: the SHA-256 did not match; `malformed`: the peer broke the protocol; `write`: the disk. */
  | { kind: 'failed'; why: 'corrupt' | 'malformed' | 'write' }
  | { kind: 'declined'; by: 'self' | 'peer'; reason: FileDeclineReason; limit?: number | undefined }
  | { kind: 'cancelled'; by: 'self' | 'peer' }
  /** The other person left the call. */
  | { kind: 'ended' };

/** What the page shows of one transfer to or from one person. */
export interface TransferView {
  /** Unique in the call: direction, peer, transfer id. */
  key: string;
  /** What a chat line shows together: a file sent to several people is one group. */
  group: string;
  direction: 'in' | 'out';
  peer: { id: string; name: string };
  name: string;
  size: number;
  type: string;
  stage: TransferStage;
  outcome: TransferOutcome | undefined;
  /** Bytes the receiver holds (for the sender: as the receiver last said). */
  bytes: number;
  bytesPerSecond: number | undefined;
  secondsLeft: number | undefined;
  /** Received in memory, complete and intact: the file to save. */
  file: Blob | undefined;
  /** Received and written to the place on disk the person chose. */
  savedToDisk: boolean;
}

export interface TransferDescription {
  id: string;
  name: string;
  size: number;
  type: string;
}

/**
 * What changed about a transfer: `progress` (bytes moved, with every chunk: the page may redraw later) or
 * `stage` (started, paused, finished…: worth showing at once).
 */
export type TransferChange = 'progress' | 'stage';

/** A transfer's bookkeeping shared by both directions: stage, progress, outcome, and telling the page. */
export abstract class Transfer {
  readonly meter = new RateMeter();
  protected stage: TransferStage;
  protected outcome: TransferOutcome | undefined;
  protected bytes = 0;
  protected channel: RTCDataChannel | undefined;

  constructor(
    readonly direction: 'in' | 'out',
    readonly link: TransferLink,
    readonly description: TransferDescription,
    private readonly notify: (change: TransferChange) => void,
    stage: TransferStage,
  ) {
    this.stage = stage;
  }

  /** Tells the page that the stage (or anything but the bytes moved) changed. */
  protected changed(): void {
    this.notify('stage');
  }

  get id(): string {
    return this.description.id;
  }

  get key(): string {
    return `${this.direction} ${this.link.info.id} ${this.id}`;
  }

  get group(): string {
    return this.direction === 'out' ? `out ${this.id}` : this.key;
  }

  get finished(): boolean {
    return this.stage === 'finished';
  }

  view(): TransferView {
    const { name, size, type } = this.description;
    const moving = this.stage === 'transferring';
    return {
      key: this.key,
      group: this.group,
      direction: this.direction,
      peer: { id: this.link.info.id, name: this.link.info.name },
      name,
      size,
      type,
      stage: this.stage,
      outcome: this.outcome,
      bytes: this.bytes,
      bytesPerSecond: moving ? this.meter.bytesPerSecond : undefined,
      secondsLeft: moving ? this.meter.secondsLeft(size) : undefined,
      file: undefined,
      savedToDisk: false,
    };
  }

  /** Ends the transfer on our side (the peer is told by the caller, if at all). */
  protected finish(outcome: TransferOutcome): void {
    if (this.finished) return;
    this.stage = 'finished';
    this.outcome = outcome;
    this.closeChannel();
    this.onFinish(outcome);
    this.changed();
  }

  /** What a direction releases when it ends (the file's bytes in memory). */
  protected abstract onFinish(outcome: TransferOutcome): void;

  protected closeChannel(): void {
    const channel = this.channel;
    this.channel = undefined;
    channel?.close();
  }

  protected progress(bytes: number): void {
    this.bytes = bytes;
    this.meter.record(bytes);
    this.notify('progress');
  }

  /** We stop it: the peer hears `file-cancel`. */
  cancel(): void {
    if (this.finished) return;
    this.link.session.send({ kind: 'file-cancel', id: this.id });
    this.finish({ kind: 'cancelled', by: 'self' });
  }

  /** The peer stopped it. */
  cancelledByPeer(): void {
    this.finish({ kind: 'cancelled', by: 'peer' });
  }

  /** The peer left the call. */
  peerGone(): void {
    this.finish({ kind: 'ended' });
  }

  /** The peer broke the protocol: stop, tell it, and say so. */
  protected broken(): void {
    if (this.finished) return;
    this.link.session.send({ kind: 'file-cancel', id: this.id });
    this.finish({ kind: 'failed', why: 'malformed' });
  }
}
