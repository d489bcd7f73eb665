/**
 * In-memory stand-ins for what file transfers use of a call: data channels that deliver asynchronously and
 * in order, with a send queue that grows and drains (`bufferedAmount`), and a call between two
 * {@link FileTransfers} whose messages are checked against the protocol's schemas on the way. Not a test
 * file itself (vitest runs `*.test.ts` only); the file-transfer tests import it.
 */
import {
  FileAcceptMessage,
  FileCancelMessage,
  FileDeclineMessage,
  FileOfferMessage,
  FileResultMessage,
  type PeerInfo,
  type PeerMessageSchema,
} from '../../protocol/index.js';
import type { FileMessage, FileTransfers, TransferLink } from './file-transfers.js';

type Frame = string | ArrayBuffer;

/** After everything already scheduled, promise continuations included: the pace of a network. */
const later = (task: () => void) => void setImmediate(task);

const sizeOf = (frame: Frame) => (typeof frame === 'string' ? frame.length : frame.byteLength);

/**
 * One end of a data channel. A frame sent waits in this end's queue (counted in `bufferedAmount`) and is
 * handed to the other end one frame per macrotask; `bufferedamountlow` fires when the queue drains to the
 * threshold, as in the browser. `close()` on either end closes both: what is still queued is lost, as on a
 * broken connection, and both ends fire `close`.
 */
export class FakeChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  binaryType: BinaryType = 'blob';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  /** Every frame sent from this end, in order (binary ones copied when sent). */
  readonly sent: Frame[] = [];
  /** The most this end ever had queued. */
  maxBuffered = 0;
  /** Listeners for each event type now registered: shows what the code using this end waits for. */
  readonly listening = new Map<string, number>();
  #other: FakeChannel = this;
  #queue: Frame[] = [];
  #held = false;
  #draining = false;

  private constructor(readonly label: string) {
    super();
  }

  /** Two connected ends, `connecting` until {@link open}. */
  static pair(label: string): [FakeChannel, FakeChannel] {
    const one = new FakeChannel(label);
    const other = new FakeChannel(label);
    one.#other = other;
    other.#other = one;
    return [one, other];
  }

  /** The type the transfer code takes: it uses only what this class has. */
  get asRTC(): RTCDataChannel {
    return this as unknown as RTCDataChannel;
  }

  /** Soon opens both ends (those still connecting), firing `open` on each. */
  open(): void {
    later(() => {
      for (const end of [this, this.#other]) {
        if (end.readyState !== 'connecting') continue;
        end.readyState = 'open';
        end.dispatchEvent(new Event('open'));
      }
    });
  }

  send(data: unknown): void {
    if (this.readyState !== 'open') throw new DOMException('The channel is not open.', 'InvalidStateError');
    if (typeof data !== 'string' && !(data instanceof ArrayBuffer))
      throw new TypeError('The fake channel carries strings and ArrayBuffers only.');
    const frame = typeof data === 'string' ? data : data.slice(0);
    this.sent.push(frame);
    this.#queue.push(frame);
    this.bufferedAmount += sizeOf(frame);
    this.maxBuffered = Math.max(this.maxBuffered, this.bufferedAmount);
    this.#drain();
  }

  close(): void {
    for (const end of [this, this.#other]) {
      if (end.readyState === 'closing' || end.readyState === 'closed') continue;
      end.readyState = 'closing';
      end.#queue = [];
      end.bufferedAmount = 0;
      later(() => {
        end.readyState = 'closed';
        end.dispatchEvent(new Event('close'));
      });
    }
  }

  /** Stops handing frames to the other end: they pile up here, as behind a slow link. */
  hold(): void {
    this.#held = true;
  }

  release(): void {
    this.#held = false;
    this.#drain();
  }

  /** Binary frames sent from this end, decoded as chunks are: each one's offset and data length. */
  get chunksSent(): { offset: number; bytes: number }[] {
    return this.sent
      .filter((frame): frame is ArrayBuffer => typeof frame !== 'string')
      .map((frame) => ({ offset: Number(new DataView(frame).getBigUint64(0)), bytes: frame.byteLength - 8 }));
  }

  /** String frames sent from this end, parsed. */
  get messagesSent(): unknown[] {
    return this.sent
      .filter((frame) => typeof frame === 'string')
      .map((frame) => JSON.parse(frame) as unknown);
  }

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    super.addEventListener(type, listener, options);
    // Listeners added `once` are not counted: only the explicit add/remove pairs (a wait for a drain) are.
    if (typeof options === 'object' && options.once) return;
    this.listening.set(type, (this.listening.get(type) ?? 0) + 1);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    super.removeEventListener(type, listener, options);
    this.listening.set(type, Math.max(0, (this.listening.get(type) ?? 0) - 1));
  }

  #drain(): void {
    if (this.#draining || this.#held || !this.#queue.length) return;
    this.#draining = true;
    later(() => {
      this.#draining = false;
      if (this.#held || this.readyState !== 'open') return;
      const frame = this.#queue.shift();
      if (frame === undefined) return;
      const before = this.bufferedAmount;
      this.bufferedAmount -= sizeOf(frame);
      const to = this.#other;
      if (to.readyState === 'open') {
        const data = typeof frame === 'string' || to.binaryType === 'arraybuffer' ? frame : new Blob([frame]);
        to.dispatchEvent(new MessageEvent('message', { data }));
      }
      const low = this.bufferedAmountLowThreshold;
      if (before > low && this.bufferedAmount <= low) this.dispatchEvent(new Event('bufferedamountlow'));
      this.#drain();
    });
  }
}

const SCHEMAS: Record<FileMessage['kind'], PeerMessageSchema<FileMessage>> = {
  'file-offer': FileOfferMessage,
  'file-accept': FileAcceptMessage,
  'file-decline': FileDeclineMessage,
  'file-cancel': FileCancelMessage,
  'file-result': FileResultMessage,
};

/** A message on the call's data channel, as the receiving side got it. */
export interface Said {
  from: string;
  to: string;
  message: FileMessage;
}

/** One person in a {@link FakeCall}. */
export interface Party {
  info: PeerInfo;
  transfers: FileTransfers;
}

/**
 * A call between parties: each message on the call's data channel goes through JSON and its schema (a
 * message the schema refuses throws at the sender), then reaches the other party soon; a transfer channel
 * one opens reaches the other's `channelOpened` soon, and then both ends open.
 */
export class FakeCall {
  /** Every message sent on the call's channel, in order. */
  readonly said: Said[] = [];
  /** Every transfer channel opened, the opener's end, in order. */
  readonly opened: FakeChannel[] = [];
  /** The other ends of {@link opened}, handed to the other party. */
  readonly handed: FakeChannel[] = [];
  /** New transfer channels start held (see {@link FakeChannel.hold}). */
  holdNewChannels = false;
  readonly #links = new Map<string, TransferLink>();

  /** The link on which `from` reaches `to` (the same object each time). */
  link(from: Party, to: Party): TransferLink {
    const key = `${from.info.id} ${to.info.id}`;
    let link = this.#links.get(key);
    if (link) return link;
    link = {
      info: to.info,
      session: {
        send: (message) => {
          const copy = JSON.parse(JSON.stringify(message)) as { kind: FileMessage['kind'] };
          const schema = SCHEMAS[copy.kind];
          if (!schema) throw new Error(`No file message is of kind ${copy.kind}.`);
          const parsed = schema.parse(copy);
          this.said.push({ from: from.info.id, to: to.info.id, message: parsed });
          later(() => to.transfers.receive(this.link(to, from), parsed));
        },
        openChannel: (label) => {
          const [local, remote] = FakeChannel.pair(label);
          if (this.holdNewChannels) local.hold();
          this.opened.push(local);
          this.handed.push(remote);
          later(() => {
            to.transfers.channelOpened(this.link(to, from), remote.asRTC);
            local.open();
          });
          return local.asRTC;
        },
      },
    };
    this.#links.set(key, link);
    return link;
  }

  /** The messages of `kind` sent so far. */
  messages<K extends FileMessage['kind']>(kind: K): Extract<FileMessage, { kind: K }>[] {
    return this.said
      .map(({ message }) => message)
      .filter((message): message is Extract<FileMessage, { kind: K }> => message.kind === kind);
  }
}

/**
 * Waits for a condition without a fixed sleep: it is checked at every `changed()` (pass it as the
 * transfers' `onChange`) and after each macrotask, and fails after a number of turns of the event loop
 * (a test whose condition never holds fails quickly, saying what it waited for).
 */
export class Waiter {
  readonly #checks = new Set<() => void>();

  readonly changed = (): void => {
    for (const check of [...this.#checks]) check();
  };

  until(condition: () => boolean, what: string, turns = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let left = turns;
      const check = () => {
        if (!condition()) return false;
        this.#checks.delete(check);
        resolve();
        return true;
      };
      if (check()) return;
      this.#checks.add(check);
      const turn = () => {
        if (!this.#checks.has(check) || check()) return;
        if (--left > 0) return void setImmediate(turn);
        this.#checks.delete(check);
        reject(new Error(`Gave up waiting until ${what}.`));
      };
      setImmediate(turn);
    });
  }
}

/** Lets everything scheduled so far happen (a few turns of the event loop), for "nothing happens" checks. */
export async function settle(turns = 20): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
