import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FILE_CHUNK_BYTES, fileChannelLabel, type PeerInfo } from '../../protocol/index.js';
import { chunksOf, encodeChunk } from './chunks.js';
import { FakeCall, FakeChannel, Waiter, settle, type Party } from './fake-channel.test-support.js';
import {
  FileTransfers,
  MEMORY_LIMIT_BYTES,
  type FileMessage,
  type FileSink,
  type FileTransfersOptions,
  type TransferChange,
  type TransferLink,
  type TransferView,
} from './file-transfers.js';

const ANN: PeerInfo = { id: 'ann-peer-0001', name: 'Ann' };
const BOB: PeerInfo = { id: 'bob-peer-0001', name: 'Bob' };
const CAROL: PeerInfo = { id: 'carol-peer-01', name: 'Carol' };
const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Bytes that look random, the same on every run (xorshift32). */
function noise(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  return data;
}

const sha256Hex = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());
const finished = (view: TransferView | undefined) => view?.stage === 'finished';
const total = (chunks: { bytes: number }[]) => chunks.reduce((sum, chunk) => sum + chunk.bytes, 0);

/** Ann and Bob in a call, each with their own transfers; Ann sends, Bob receives. */
function call(bobOptions: Partial<FileTransfersOptions> = {}) {
  const waiter = new Waiter();
  const fake = new FakeCall();
  const offers: TransferView[] = [];
  const ann: Party = {
    info: ANN,
    transfers: new FileTransfers({ canSaveToDisk: false, onOffer: () => {}, onChange: waiter.changed }),
  };
  const bob: Party = {
    info: BOB,
    transfers: new FileTransfers({
      canSaveToDisk: false,
      onOffer: (view) => offers.push(view),
      onChange: waiter.changed,
      ...bobOptions,
    }),
  };
  const view = (party: Party, key: string) => party.transfers.views().find((each) => each.key === key);

  /** Ann sends `data` to Bob: the transfer's id, and each side's view of it. */
  function send(data: Uint8Array<ArrayBuffer>, name = 'data.bin', type = 'application/octet-stream') {
    const group = ann.transfers.send(new File([data], name, { type }), [fake.link(ann, bob)]);
    const id = group.slice('out '.length);
    return {
      id,
      group,
      outKey: `out ${BOB.id} ${id}`,
      inKey: `in ${ANN.id} ${id}`,
      out: () => view(ann, `out ${BOB.id} ${id}`),
      in: () => view(bob, `in ${ANN.id} ${id}`),
    };
  }

  const until = (condition: () => boolean, what: string) => waiter.until(condition, what);
  return { ann, bob, fake, offers, send, until };
}

/** A sink that stands for a file on disk: keeps what it is given, and can be told to be slow or to fail. */
class DiskSink implements FileSink {
  readonly kind = 'disk';
  readonly parts: Uint8Array[] = [];
  closed = false;
  aborted = false;
  /** While set, each write waits for it. */
  gate: Promise<void> | undefined;
  failWrites = false;

  async write(bytes: Uint8Array): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failWrites) throw new Error('The disk is full.');
    this.parts.push(bytes.slice());
  }

  close(): Promise<undefined> {
    this.closed = true;
    return Promise.resolve(undefined);
  }

  abort(): void {
    this.aborted = true;
  }

  get bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** One side's transfers, driven by hand: links that record what is said, for peers that may not be honest. */
function alone(options: Partial<FileTransfersOptions> = {}) {
  const waiter = new Waiter();
  const said: { to: string; message: FileMessage }[] = [];
  const opened: FakeChannel[] = [];
  const handed: FakeChannel[] = [];
  let connected = true;
  const transfers = new FileTransfers({
    canSaveToDisk: false,
    onOffer: () => {},
    onChange: waiter.changed,
    ...options,
  });
  const link = (info: PeerInfo): TransferLink => ({
    info,
    session: {
      send: (message) => void said.push({ to: info.id, message: message as unknown as FileMessage }),
      openChannel: (label) => {
        if (!connected) return undefined;
        const [local, remote] = FakeChannel.pair(label);
        remote.binaryType = 'arraybuffer';
        opened.push(local);
        handed.push(remote);
        local.open();
        return local.asRTC;
      },
    },
  });
  const fromAnn = link(ANN);
  const fromBob = link(BOB);
  const fromCarol = link(CAROL);
  const view = (key: string) => transfers.views().find((each) => each.key === key);
  const saidTo = (peer: PeerInfo) => said.filter(({ to }) => to === peer.id).map(({ message }) => message);

  /** `from` offers a file: the key of our incoming transfer. */
  function offered(from: TransferLink, size: number, id = 'feedface00000001'): string {
    transfers.receive(from, {
      kind: 'file-offer',
      id,
      name: 'x.bin',
      size,
      type: 'application/octet-stream',
    });
    return `in ${from.info.id} ${id}`;
  }

  /** `from` opens the channel of transfer `id`: its end, once open. */
  async function channelFrom(from: TransferLink, id: string): Promise<FakeChannel> {
    const [theirs, ours] = FakeChannel.pair(fileChannelLabel(id));
    theirs.binaryType = 'arraybuffer';
    transfers.channelOpened(from, ours.asRTC);
    theirs.open();
    await waiter.until(() => theirs.readyState === 'open', 'the channel opens');
    return theirs;
  }

  return {
    transfers,
    said,
    saidTo,
    opened,
    handed,
    fromAnn,
    fromBob,
    fromCarol,
    view,
    offered,
    channelFrom,
    setConnected: (up: boolean) => void (connected = up),
    until: (condition: () => boolean, what: string) => waiter.until(condition, what),
  };
}

describe('FileTransfers between two people', () => {
  it('carries a 3 MiB file intact, with the SHA-256 of its bytes', async () => {
    const { fake, offers, send, until } = call();
    const data = noise(3 * MiB, 42);
    const transfer = send(data, 'holiday.mp4', 'video/mp4');
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');

    const received = transfer.in()!;
    const sent = transfer.out()!;
    expect(received.outcome).toEqual({ kind: 'done' });
    expect(sent.outcome).toEqual({ kind: 'done' });
    expect(received.file).toBeInstanceOf(Blob);
    // Only pictures keep the sender's type: a blob: URL of another type opened in a tab would be a page
    // of Parley's origin (text/html runs the sender's script), so everything else is a plain download.
    expect(received.file!.type).toBe('application/octet-stream');
    expect(received.file!.size).toBe(data.byteLength);
    expect(same(await bytesOf(received.file!), data)).toBe(true);
    expect(received.bytes).toBe(data.byteLength);
    expect(sent.bytes).toBe(data.byteLength);
    expect(sent.file).toBeUndefined();
    expect(received.savedToDisk).toBe(false);

    // What Bob was shown at once: the offer from Ann, already being received into memory.
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      key: transfer.inKey,
      direction: 'in',
      peer: ANN,
      name: 'holiday.mp4',
      size: data.byteLength,
      type: 'video/mp4',
      stage: 'transferring',
    });
    expect(sent).toMatchObject({ key: transfer.outKey, group: transfer.group, direction: 'out', peer: BOB });

    // One channel, chunks of at most FILE_CHUNK_BYTES one after another, then the SHA-256 of the whole file.
    expect(fake.opened).toHaveLength(1);
    const [channel] = fake.opened;
    expect(channel!.label).toBe(fileChannelLabel(transfer.id));
    const chunks = channel!.chunksSent;
    expect(chunks.map(({ offset }) => offset)).toEqual(chunks.map((_, index) => index * FILE_CHUNK_BYTES));
    expect(chunks.every(({ bytes }) => bytes > 0 && bytes <= FILE_CHUNK_BYTES)).toBe(true);
    expect(total(chunks)).toBe(data.byteLength);
    expect(channel!.messagesSent).toEqual([{ kind: 'file-end', sha256: sha256Hex(data) }]);
    expect(channel!.sent.at(-1)).toBe(JSON.stringify({ kind: 'file-end', sha256: sha256Hex(data) }));

    // Bob said how far he had got on the transfer's channel, and the result on the call's channel.
    const reports = fake.handed[0]!.messagesSent as { kind: string; bytes: number }[];
    expect(reports.every(({ kind }) => kind === 'file-received')).toBe(true);
    expect(reports.at(-1)).toEqual({ kind: 'file-received', bytes: data.byteLength });
    expect(reports.map(({ bytes }) => bytes)).toEqual(
      [...reports.map(({ bytes }) => bytes)].sort((a, b) => a - b),
    );
    expect(fake.said.map(({ message }) => message.kind)).toEqual([
      'file-offer',
      'file-accept',
      'file-result',
    ]);
    expect(fake.messages('file-accept')).toEqual([{ kind: 'file-accept', id: transfer.id, offset: 0 }]);
    expect(fake.messages('file-result')).toEqual([{ kind: 'file-result', id: transfer.id, intact: true }]);
    // Done: the channel is closed on both ends.
    await until(() => channel!.readyState === 'closed', 'the channel closes');
  });

  it('tells the page of each chunk as progress (drawn when it suits) and of the end as a new stage (at once)', async () => {
    const bobChanges: TransferChange[] = [];
    const { send, until } = call({ onChange: (change) => bobChanges.push(change) });
    const transfer = send(noise(3 * MiB, 7));
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');

    expect(bobChanges.filter((change) => change === 'progress')).toHaveLength((3 * MiB) / FILE_CHUNK_BYTES);
    // After the last chunk: verifying, then arrived intact, each worth showing without waiting for a timer.
    expect(bobChanges.slice(bobChanges.lastIndexOf('progress') + 1)).toEqual(['stage', 'stage']);
  });

  it('keeps the type of a picture only, never one a browser would run (HTML, SVG)', async () => {
    const { send, until } = call();
    for (const [type, kept] of [
      ['image/png', 'image/png'],
      ['image/jpeg', 'image/jpeg'],
      ['text/html', 'application/octet-stream'],
      ['image/svg+xml', 'application/octet-stream'],
      ['application/xhtml+xml', 'application/octet-stream'],
    ] as const) {
      const transfer = send(new TextEncoder().encode('<b>hi</b>'), 'x', type);
      await until(() => finished(transfer.in()), `${type} arrives`);
      expect(transfer.in()!.file!.type, type).toBe(kept);
    }
  });

  it('carries "abc", with the NIST SHA-256 of "abc", as a plain download', async () => {
    const { fake, send, until } = call();
    const transfer = send(new TextEncoder().encode('abc'), 'abc.txt', 'text/plain');
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.out()!.outcome).toEqual({ kind: 'done' });
    expect(await transfer.in()!.file!.text()).toBe('abc');
    expect(transfer.in()!.file!.type).toBe('application/octet-stream');
    expect(fake.opened[0]!.messagesSent).toEqual([
      { kind: 'file-end', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    ]);
  });

  it('carries an empty file: no chunk, just the SHA-256 of nothing', async () => {
    const { fake, send, until } = call();
    const transfer = send(new Uint8Array(0), 'empty.txt', 'text/plain');
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.out()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.in()!.file!.size).toBe(0);
    expect(fake.opened[0]!.chunksSent).toEqual([]);
    expect(fake.opened[0]!.messagesSent).toEqual([
      { kind: 'file-end', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    ]);
  });

  it('does not keep a type that is not a plain MIME type', async () => {
    const { send, until } = call();
    const transfer = send(noise(100), 'page.html', 'text/html; charset=utf-8"><script>');
    await until(() => finished(transfer.in()), 'Bob finishes');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.in()!.file!.type).toBe('application/octet-stream');
  });

  it('waits for the queue to drain above 4 MiB queued, and carries the file once it does', async () => {
    const { fake, send, until } = call();
    fake.holdNewChannels = true;
    const data = noise(6 * MiB, 7);
    const transfer = send(data);
    await until(() => (fake.opened[0]?.listening.get('bufferedamountlow') ?? 0) > 0, 'Ann waits for a drain');
    const channel = fake.opened[0]!;
    expect(channel.bufferedAmount).toBeGreaterThan(4 * MiB);
    expect(channel.bufferedAmount).toBeLessThanOrEqual(4 * MiB + 8 + FILE_CHUNK_BYTES);
    expect(channel.bufferedAmountLowThreshold).toBeGreaterThan(0);
    expect(channel.bufferedAmountLowThreshold).toBeLessThan(4 * MiB);
    const sentBefore = channel.sent.length;
    await settle();
    expect(channel.sent.length).toBe(sentBefore);

    channel.release();
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(same(await bytesOf(transfer.in()!.file!), data)).toBe(true);
    expect(channel.maxBuffered).toBeLessThanOrEqual(4 * MiB + 8 + FILE_CHUNK_BYTES);
    expect(channel.listening.get('bufferedamountlow') ?? 0).toBe(0);
  });

  it('resumes where the receiver got to when the transfer channel breaks', async () => {
    const { fake, send, until } = call();
    const data = noise(3 * MiB, 3);
    const transfer = send(data);
    await until(() => (transfer.in()?.bytes ?? 0) >= MiB, 'about 1 MiB arrives');
    fake.opened[0]!.close();
    await until(() => transfer.in()?.stage === 'paused', 'Bob pauses');
    const held = transfer.in()!.bytes;
    expect(held).toBeGreaterThanOrEqual(MiB);
    expect(held).toBeLessThan(data.byteLength);

    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.out()!.outcome).toEqual({ kind: 'done' });
    expect(same(await bytesOf(transfer.in()!.file!), data)).toBe(true);

    expect(fake.messages('file-accept').map(({ offset }) => offset)).toEqual([0, held]);
    expect(fake.opened).toHaveLength(2);
    const [first, second] = fake.opened.map((channel) => channel.chunksSent);
    // The second channel starts at what Bob held, and carries exactly the rest: nothing resent from 0.
    expect(second![0]!.offset).toBe(held);
    expect(total(second!)).toBe(data.byteLength - held);
    expect(total(first!) + total(second!)).toBeLessThan(2 * data.byteLength);
    expect(fake.opened[1]!.messagesSent).toEqual([{ kind: 'file-end', sha256: sha256Hex(data) }]);
  });

  it('resumes when the channel breaks after every byte was sent but before all arrived', async () => {
    const { fake, send, until } = call();
    fake.holdNewChannels = true;
    const data = noise(3 * MiB, 5);
    const transfer = send(data);
    await until(() => transfer.out()?.stage === 'verifying', 'Ann has sent everything');
    fake.holdNewChannels = false;
    fake.opened[0]!.release();
    await until(() => (transfer.in()?.bytes ?? 0) >= MiB, 'about 1 MiB arrives');
    fake.opened[0]!.close();
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');

    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.out()!.outcome).toEqual({ kind: 'done' });
    expect(same(await bytesOf(transfer.in()!.file!), data)).toBe(true);
    const [, held] = fake.messages('file-accept').map(({ offset }) => offset);
    expect(fake.opened[1]!.chunksSent[0]!.offset).toBe(held);
    // The same SHA-256 both times (the second from the digest kept, the hash is not fed twice).
    expect(fake.opened[0]!.messagesSent).toEqual([{ kind: 'file-end', sha256: sha256Hex(data) }]);
    expect(fake.opened[1]!.messagesSent).toEqual([{ kind: 'file-end', sha256: sha256Hex(data) }]);
  });

  it('stops on both sides when the sender cancels mid-way', async () => {
    const { ann, fake, send, until } = call();
    const transfer = send(noise(3 * MiB));
    await until(() => (transfer.in()?.bytes ?? 0) >= MiB, 'about 1 MiB arrives');
    ann.transfers.cancel(transfer.outKey);
    expect(transfer.out()!.outcome).toEqual({ kind: 'cancelled', by: 'self' });
    await until(() => finished(transfer.in()), 'Bob hears of it');
    expect(transfer.in()!.outcome).toEqual({ kind: 'cancelled', by: 'peer' });
    expect(transfer.in()!.file).toBeUndefined();
    expect(transfer.in()!.bytes).toBeLessThan(3 * MiB);
    expect(fake.messages('file-cancel')).toEqual([{ kind: 'file-cancel', id: transfer.id }]);
    await until(() => fake.opened[0]!.readyState === 'closed', 'the channel closes');
    await settle();
    expect(transfer.out()!.outcome).toEqual({ kind: 'cancelled', by: 'self' });
    expect(transfer.in()!.outcome).toEqual({ kind: 'cancelled', by: 'peer' });
    expect(fake.messages('file-result')).toEqual([]);
  });

  it('stops on both sides when the receiver cancels mid-way', async () => {
    const { bob, fake, send, until } = call();
    const transfer = send(noise(3 * MiB));
    await until(() => (transfer.in()?.bytes ?? 0) >= MiB, 'about 1 MiB arrives');
    bob.transfers.cancel(transfer.inKey);
    expect(transfer.in()!.outcome).toEqual({ kind: 'cancelled', by: 'self' });
    expect(transfer.in()!.file).toBeUndefined();
    await until(() => finished(transfer.out()), 'Ann hears of it');
    expect(transfer.out()!.outcome).toEqual({ kind: 'cancelled', by: 'peer' });
    const sentBytes = total(fake.opened[0]!.chunksSent);
    await settle();
    // Ann sends nothing more, and opens no other channel.
    expect(total(fake.opened[0]!.chunksSent)).toBe(sentBytes);
    expect(fake.opened).toHaveLength(1);
    expect(transfer.in()!.outcome).toEqual({ kind: 'cancelled', by: 'self' });
  });

  it('tells the sender when the receiver declines', async () => {
    // Too large for memory, so Bob is asked first and can say no before a byte moves.
    const { bob, fake, send, until } = call({ canSaveToDisk: true, memoryLimit: MiB });
    const transfer = send(noise(2 * MiB));
    await until(() => transfer.in()?.stage === 'choosing', 'Bob is asked');
    bob.transfers.decline(transfer.inKey);
    await until(() => finished(transfer.out()), 'Ann hears of it');
    expect(transfer.out()!.outcome).toEqual({ kind: 'declined', by: 'peer', reason: 'declined' });
    expect(transfer.in()!.outcome).toEqual({ kind: 'declined', by: 'self', reason: 'declined' });
    expect(fake.messages('file-decline')).toEqual([
      { kind: 'file-decline', id: transfer.id, reason: 'declined' },
    ]);
    expect(fake.opened).toEqual([]);
  });

  it('tells the sender when the receiver declines a file already arriving', async () => {
    const { bob, send, until } = call();
    const transfer = send(noise(3 * MiB));
    await until(() => (transfer.in()?.bytes ?? 0) > 0, 'bytes arrive');
    bob.transfers.decline(transfer.inKey);
    await until(() => finished(transfer.out()), 'Ann hears of it');
    expect(transfer.out()!.outcome).toEqual({ kind: 'declined', by: 'peer', reason: 'declined' });
    expect(transfer.in()!.outcome).toEqual({ kind: 'declined', by: 'self', reason: 'declined' });
    expect(transfer.in()!.file).toBeUndefined();
  });

  it('ends what is under way when the other person leaves, and keeps what is done', async () => {
    const { ann, bob, send, until } = call();
    const done = send(noise(1000), 'small.bin');
    await until(() => finished(done.in()) && finished(done.out()), 'the small file arrives');
    const transfer = send(noise(3 * MiB), 'large.bin');
    await until(() => (transfer.in()?.bytes ?? 0) >= MiB, 'about 1 MiB arrives');

    // Someone else leaving changes nothing.
    ann.transfers.peerGone(CAROL.id);
    bob.transfers.peerGone(CAROL.id);
    expect(transfer.out()!.outcome).toBeUndefined();
    expect(transfer.in()!.stage).toBe('transferring');

    ann.transfers.peerGone(BOB.id);
    bob.transfers.peerGone(ANN.id);
    expect(transfer.out()!.outcome).toEqual({ kind: 'ended' });
    expect(transfer.in()!.outcome).toEqual({ kind: 'ended' });
    expect(transfer.in()!.file).toBeUndefined();
    expect(done.out()!.outcome).toEqual({ kind: 'done' });
    expect(done.in()!.outcome).toEqual({ kind: 'done' });
    expect(done.in()!.file).toBeInstanceOf(Blob);
    await settle();
    expect(transfer.out()!.outcome).toEqual({ kind: 'ended' });
    expect(transfer.in()!.outcome).toEqual({ kind: 'ended' });
  });

  it('ends everything under way when the call closes', async () => {
    const { ann, bob, send, until } = call();
    const transfer = send(noise(3 * MiB));
    await until(() => (transfer.in()?.bytes ?? 0) > 0, 'bytes arrive');
    ann.transfers.close();
    bob.transfers.close();
    expect(transfer.out()!.outcome).toEqual({ kind: 'ended' });
    expect(transfer.in()!.outcome).toEqual({ kind: 'ended' });
  });
});

describe('FileTransfers limits', () => {
  it('declines a file over the memory limit as too large, saying the limit, when it cannot go to disk', async () => {
    const { fake, offers, send, until } = call({ memoryLimit: MiB });
    const transfer = send(noise(MiB + 1));
    await until(() => finished(transfer.out()), 'Ann hears of it');
    expect(transfer.out()!.outcome).toEqual({
      kind: 'declined',
      by: 'peer',
      reason: 'too-large',
      limit: MiB,
    });
    expect(transfer.in()!.outcome).toEqual({ kind: 'declined', by: 'self', reason: 'too-large', limit: MiB });
    expect(offers.map(({ outcome }) => outcome)).toEqual([
      { kind: 'declined', by: 'self', reason: 'too-large', limit: MiB },
    ]);
    expect(fake.messages('file-decline')).toEqual([
      { kind: 'file-decline', id: transfer.id, reason: 'too-large', limit: MiB },
    ]);
    await settle();
    expect(fake.opened).toEqual([]);
    expect(fake.messages('file-accept')).toEqual([]);
  });

  it('takes a file of exactly the memory limit into memory', async () => {
    const { send, until } = call({ memoryLimit: MiB });
    const data = noise(MiB, 11);
    const transfer = send(data);
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(same(await bytesOf(transfer.in()!.file!), data)).toBe(true);
  });

  it('uses 512 MiB as the memory limit by default', () => {
    const { transfers } = alone();
    expect(transfers.memoryLimit).toBe(MEMORY_LIMIT_BYTES);
    expect(MEMORY_LIMIT_BYTES).toBe(512 * MiB);
  });

  it('waits for a place on disk for a file over the memory limit, and writes it there', async () => {
    const { bob, fake, offers, send, until } = call({ canSaveToDisk: true, memoryLimit: MiB });
    const data = noise(2 * MiB + 123, 13);
    const transfer = send(data);
    await until(() => transfer.in()?.stage === 'choosing', 'Bob is asked');
    expect(offers.map(({ stage }) => stage)).toEqual(['choosing']);
    await settle();
    // Nothing moves while Bob chooses.
    expect(transfer.in()!.stage).toBe('choosing');
    expect(transfer.out()!.stage).toBe('offered');
    expect(fake.messages('file-accept')).toEqual([]);
    expect(fake.opened).toEqual([]);

    const sink = new DiskSink();
    bob.transfers.accept(transfer.inKey, sink);
    await until(() => finished(transfer.in()) && finished(transfer.out()), 'both sides finish');
    expect(transfer.in()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.out()!.outcome).toEqual({ kind: 'done' });
    expect(transfer.in()!.savedToDisk).toBe(true);
    expect(transfer.in()!.file).toBeUndefined();
    expect(sink.closed).toBe(true);
    expect(sink.aborted).toBe(false);
    expect(same(sink.bytes, data)).toBe(true);
  });

  it('aborts a sink handed for a transfer that is no longer waiting for one', async () => {
    const { bob, send, until } = call();
    const transfer = send(noise(1000));
    await until(() => finished(transfer.in()), 'Bob finishes');
    const late = new DiskSink();
    bob.transfers.accept(transfer.inKey, late);
    expect(late.aborted).toBe(true);
    const unknown = new DiskSink();
    bob.transfers.accept('in nobody 0123456789abcdef', unknown);
    expect(unknown.aborted).toBe(true);
  });

  it('declines a fifth file arriving at once from one person as busy', async () => {
    const { fake, send, until } = call();
    const transfers = [1, 2, 3, 4, 5].map((seed) => send(noise(200 * KiB, seed), `file-${seed}.bin`));
    await until(() => transfers.every((each) => finished(each.out()) && finished(each.in())), 'all finish');
    expect(transfers.map((each) => each.out()!.outcome)).toEqual([
      { kind: 'done' },
      { kind: 'done' },
      { kind: 'done' },
      { kind: 'done' },
      { kind: 'declined', by: 'peer', reason: 'busy' },
    ]);
    expect(fake.messages('file-decline')).toEqual([
      { kind: 'file-decline', id: transfers[4]!.id, reason: 'busy' },
    ]);
    expect(fake.opened).toHaveLength(4);
  });

  it('counts busy per person, and frees a place when a transfer ends', () => {
    const { transfers, fromAnn, fromCarol, saidTo, offered } = alone();
    const ids = ['a0000001', 'a0000002', 'a0000003', 'a0000004', 'a0000005', 'a0000006'];
    for (const id of ids.slice(0, 5)) offered(fromAnn, 1000, id);
    expect(saidTo(ANN).map((message) => message.kind)).toEqual([
      'file-accept',
      'file-accept',
      'file-accept',
      'file-accept',
      'file-decline',
    ]);
    expect(saidTo(ANN)[4]).toEqual({ kind: 'file-decline', id: 'a0000005', reason: 'busy' });
    // Carol's first file is hers: Ann's four do not count against it.
    offered(fromCarol, 1000, 'c0000001');
    expect(saidTo(CAROL)).toEqual([{ kind: 'file-accept', id: 'c0000001', offset: 0 }]);
    // One of Ann's ends: her next file has a place again.
    transfers.cancel(`in ${ANN.id} a0000001`);
    offered(fromAnn, 1000, 'a0000006');
    expect(saidTo(ANN).at(-1)).toEqual({ kind: 'file-accept', id: 'a0000006', offset: 0 });
  });

  it('declines as busy what would take the files arriving into memory past 1 GiB together', () => {
    const { fromAnn, fromCarol, saidTo, offered } = alone();
    offered(fromAnn, 512 * MiB, 'a0000001');
    offered(fromCarol, 512 * MiB, 'c0000001');
    offered(fromCarol, 1, 'c0000002');
    expect(saidTo(ANN)).toEqual([{ kind: 'file-accept', id: 'a0000001', offset: 0 }]);
    expect(saidTo(CAROL)).toEqual([
      { kind: 'file-accept', id: 'c0000001', offset: 0 },
      { kind: 'file-decline', id: 'c0000002', reason: 'busy' },
    ]);
  });

  it('does not count a file going to disk against the memory for files arriving into memory', () => {
    const { fromAnn, fromCarol, saidTo, offered, view } = alone({ canSaveToDisk: true });
    const large = offered(fromAnn, 2 * GiB, 'a0000001');
    expect(view(large)!.stage).toBe('choosing');
    offered(fromCarol, 1000, 'c0000001');
    expect(saidTo(CAROL)).toEqual([{ kind: 'file-accept', id: 'c0000001', offset: 0 }]);
  });

  it('ignores a second offer of the same transfer', () => {
    const { transfers, fromAnn, saidTo, offered } = alone();
    offered(fromAnn, 1000, 'a0000001');
    offered(fromAnn, 5000, 'a0000001');
    expect(saidTo(ANN)).toEqual([{ kind: 'file-accept', id: 'a0000001', offset: 0 }]);
    expect(transfers.views().map(({ size }) => size)).toEqual([1000]);
  });
});

describe('FileTransfers, from a sender that cannot be trusted', () => {
  const ID = 'feedface00000001';
  const SIZE = 3000;
  const payload = noise(SIZE, 99);
  const end = (sha: string) => JSON.stringify({ kind: 'file-end', sha256: sha });
  const chunk = (offset: number, length: number) =>
    encodeChunk(offset, payload.subarray(offset, offset + length));

  it('takes an honest sequence of frames (the harness works)', async () => {
    const { fromAnn, saidTo, offered, channelFrom, view, until } = alone();
    const key = offered(fromAnn, SIZE, ID);
    const channel = await channelFrom(fromAnn, ID);
    for (const frame of [chunk(0, 1000), chunk(1000, 1000), chunk(2000, 1000), end(sha256Hex(payload))])
      channel.send(frame);
    await until(() => finished(view(key)), 'Bob finishes');
    expect(view(key)!.outcome).toEqual({ kind: 'done' });
    expect(same(await bytesOf(view(key)!.file!), payload)).toBe(true);
    expect(saidTo(ANN).at(-1)).toEqual({ kind: 'file-result', id: ID, intact: true });
  });

  it.each<[string, () => (string | ArrayBuffer)[]]>([
    ['a first chunk not at offset 0', () => [chunk(1000, 1000)]],
    ['a chunk that skips bytes', () => [chunk(0, 1000), chunk(1500, 500)]],
    ['a chunk that repeats bytes already held', () => [chunk(0, 1000), chunk(500, 1000)]],
    ['a chunk that goes past the announced size', () => [chunk(0, 2000), encodeChunk(2000, noise(1001))]],
    ['a chunk larger than the whole file', () => [encodeChunk(0, noise(SIZE + 1))]],
    ['a chunk longer than FILE_CHUNK_BYTES', () => [encodeChunk(0, noise(FILE_CHUNK_BYTES + 1))]],
    ['a binary frame too short to be a chunk', () => [new ArrayBuffer(8)]],
    ['a chunk at an offset past any file', () => [encodeChunk(2 ** 53, noise(10))]],
    ['a file-end before all the bytes', () => [chunk(0, 2000), end(sha256Hex(payload))]],
    ['a file-end before any byte', () => [end(sha256Hex(payload))]],
    ['a file-end whose SHA-256 is not hex', () => [chunk(0, SIZE), end('Z'.repeat(64))]],
    ['a string frame that is not JSON', () => ['not json at all']],
    ['a JSON frame of another kind', () => [JSON.stringify({ kind: 'file-received', bytes: 0 })]],
    [
      'a file-end with more in it',
      () => [chunk(0, SIZE), JSON.stringify({ kind: 'file-end', sha256: sha256Hex(payload), x: 1 })],
    ],
  ])('fails as malformed on %s, says file-cancel, and gives no file', async (_name, frames) => {
    const { fromAnn, saidTo, offered, channelFrom, view, until } = alone();
    const key = offered(fromAnn, SIZE, ID);
    const channel = await channelFrom(fromAnn, ID);
    for (const frame of frames()) channel.send(frame);
    await until(() => finished(view(key)), 'Bob finishes');
    expect(view(key)!.outcome).toEqual({ kind: 'failed', why: 'malformed' });
    expect(view(key)!.file).toBeUndefined();
    expect(view(key)!.bytes).toBeLessThanOrEqual(SIZE);
    expect(saidTo(ANN)).toEqual([
      { kind: 'file-accept', id: ID, offset: 0 },
      { kind: 'file-cancel', id: ID },
    ]);
    await until(() => channel.readyState === 'closed', 'Bob closes the channel');
  });

  it('fails as corrupt on a file-end whose SHA-256 does not match, says file-result intact: false', async () => {
    const { fromAnn, saidTo, offered, channelFrom, view, until } = alone();
    const key = offered(fromAnn, SIZE, ID);
    const channel = await channelFrom(fromAnn, ID);
    const other = noise(SIZE, 100);
    channel.send(chunk(0, SIZE));
    channel.send(end(sha256Hex(other)));
    await until(() => finished(view(key)), 'Bob finishes');
    expect(view(key)!.outcome).toEqual({ kind: 'failed', why: 'corrupt' });
    expect(view(key)!.file).toBeUndefined();
    expect(saidTo(ANN)).toEqual([
      { kind: 'file-accept', id: ID, offset: 0 },
      { kind: 'file-result', id: ID, intact: false },
    ]);
  });

  it('throws away what a disk sink got when the SHA-256 does not match', async () => {
    const { transfers, fromAnn, offered, channelFrom, view, until } = alone({
      canSaveToDisk: true,
      memoryLimit: 1000,
    });
    const key = offered(fromAnn, SIZE, ID);
    const sink = new DiskSink();
    transfers.accept(key, sink);
    const channel = await channelFrom(fromAnn, ID);
    channel.send(chunk(0, SIZE));
    channel.send(end(sha256Hex(noise(SIZE, 100))));
    await until(() => finished(view(key)), 'Bob finishes');
    expect(view(key)!.outcome).toEqual({ kind: 'failed', why: 'corrupt' });
    expect(view(key)!.savedToDisk).toBe(false);
    expect(sink.aborted).toBe(true);
    expect(sink.closed).toBe(false);
  });

  it('fails as a write failure when the disk refuses, and tells the sender', async () => {
    const { transfers, fromAnn, saidTo, offered, channelFrom, view, until } = alone({
      canSaveToDisk: true,
      memoryLimit: 1000,
    });
    const key = offered(fromAnn, SIZE, ID);
    const sink = new DiskSink();
    sink.failWrites = true;
    transfers.accept(key, sink);
    const channel = await channelFrom(fromAnn, ID);
    channel.send(chunk(0, 1000));
    await until(() => finished(view(key)), 'Bob finishes');
    expect(view(key)!.outcome).toEqual({ kind: 'failed', why: 'write' });
    expect(saidTo(ANN).at(-1)).toEqual({ kind: 'file-cancel', id: ID });
    expect(sink.aborted).toBe(true);
  });

  it('rejects a second file-end while the first is still being verified (a slow disk)', async () => {
    const { transfers, fromAnn, saidTo, offered, channelFrom, view, until } = alone({
      canSaveToDisk: true,
      memoryLimit: 1000,
    });
    const key = offered(fromAnn, SIZE, ID);
    const sink = new DiskSink();
    let open: () => void = () => {};
    sink.gate = new Promise((resolve) => (open = resolve));
    transfers.accept(key, sink);
    const channel = await channelFrom(fromAnn, ID);
    channel.send(chunk(0, SIZE));
    channel.send(end(sha256Hex(payload)));
    channel.send(end(sha256Hex(payload)));
    await until(() => channel.sent.length === 3 && channel.bufferedAmount === 0, 'all three frames arrive');
    await settle();
    open();
    await until(() => finished(view(key)), 'Bob finishes');
    // A sender that says "file-end" twice broke the protocol; what matters most is that nothing throws.
    expect(view(key)!.outcome).toEqual({ kind: 'failed', why: 'malformed' });
    expect(saidTo(ANN).at(-1)).toEqual({ kind: 'file-cancel', id: ID });
  });

  it('closes a channel for an unknown transfer, another peer’s, or none at all', async () => {
    const { transfers, fromAnn, fromCarol, offered, view } = alone({
      canSaveToDisk: true,
      memoryLimit: 4000,
    });
    const key = offered(fromAnn, SIZE, ID);
    const choosing = offered(fromAnn, 5000, 'feedface00000002');
    expect(view(choosing)!.stage).toBe('choosing');
    const channels: [TransferLink, string][] = [
      [fromAnn, fileChannelLabel('0123456789abcdef')],
      [fromAnn, 'chat'],
      [fromAnn, 'file:NOT-AN-ID'],
      [fromAnn, 'file:'],
      // Carol cannot send bytes for Ann's file.
      [fromCarol, fileChannelLabel(ID)],
      // Nothing is taken for a file Bob has not accepted yet.
      [fromAnn, fileChannelLabel('feedface00000002')],
    ];
    for (const [from, label] of channels) {
      const [theirs, ours] = FakeChannel.pair(label);
      transfers.channelOpened(from, ours.asRTC);
      expect(ours.readyState, label).toBe('closing');
      await new Promise<void>((resolve) => theirs.addEventListener('close', () => resolve(), { once: true }));
    }
    expect(view(key)!.stage).toBe('transferring');
    expect(view(choosing)!.stage).toBe('choosing');
  });

  it('closes a channel for a transfer that has finished', async () => {
    const { transfers, fromAnn, offered, view } = alone();
    const key = offered(fromAnn, SIZE, ID);
    transfers.cancel(key);
    const [, ours] = FakeChannel.pair(fileChannelLabel(ID));
    transfers.channelOpened(fromAnn, ours.asRTC);
    expect(ours.readyState).toBe('closing');
    await settle();
    expect(view(key)!.outcome).toEqual({ kind: 'cancelled', by: 'self' });
  });

  it('takes a cancel only from the sender of the file', () => {
    const { transfers, fromAnn, fromCarol, offered, view } = alone();
    const key = offered(fromAnn, SIZE, ID);
    transfers.receive(fromCarol, { kind: 'file-cancel', id: ID });
    expect(view(key)!.stage).toBe('transferring');
    transfers.receive(fromAnn, { kind: 'file-cancel', id: ID });
    expect(view(key)!.outcome).toEqual({ kind: 'cancelled', by: 'peer' });
  });
});

describe('FileTransfers, to a receiver that cannot be trusted', () => {
  function sending(size = 3000) {
    const side = alone();
    const data = noise(size, 5);
    const group = side.transfers.send(new File([data], 'x.bin'), [side.fromBob]);
    const id = group.slice('out '.length);
    const key = `out ${BOB.id} ${id}`;
    return { ...side, data, id, key, out: () => side.view(key)! };
  }

  it('offers the file as it is', () => {
    const { saidTo, id, out, data } = sending();
    expect(saidTo(BOB)).toEqual([{ kind: 'file-offer', id, name: 'x.bin', size: data.byteLength, type: '' }]);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(out().stage).toBe('offered');
  });

  it('names a file without a name "file", and keeps a long name within the protocol’s limit', () => {
    const { transfers, fromBob, saidTo } = alone();
    transfers.send(new Blob([noise(10)]), [fromBob]);
    transfers.send(new File([noise(10)], 'n'.repeat(300)), [fromBob]);
    const names = saidTo(BOB).map((message) => (message.kind === 'file-offer' ? message.name : ''));
    expect(names).toEqual(['file', 'n'.repeat(255)]);
  });

  it('offers one file to several people under one group, each their own transfer', () => {
    const { transfers, fromBob, fromCarol, saidTo } = alone();
    const group = transfers.send(new File([noise(10)], 'x.bin'), [fromBob, fromCarol]);
    const id = group.slice('out '.length);
    expect(transfers.views().map(({ key, group: each }) => [key, each])).toEqual([
      [`out ${BOB.id} ${id}`, group],
      [`out ${CAROL.id} ${id}`, group],
    ]);
    expect(saidTo(BOB)).toHaveLength(1);
    expect(saidTo(CAROL)).toHaveLength(1);
  });

  it('does nothing on an accept, decline, result or cancel from someone else than the recipient', () => {
    const { transfers, fromBob, fromCarol, opened, id, out } = sending();
    for (const message of [
      { kind: 'file-accept', id, offset: 0 },
      { kind: 'file-decline', id, reason: 'declined' },
      { kind: 'file-result', id, intact: true },
      { kind: 'file-cancel', id },
    ] as const)
      transfers.receive(fromCarol, message);
    expect(opened).toEqual([]);
    expect(out().stage).toBe('offered');
    expect(out().outcome).toBeUndefined();
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 0 });
    expect(opened).toHaveLength(1);
    expect(out().stage).toBe('transferring');
  });

  it('ignores a result before the file was sent', () => {
    const { transfers, fromBob, id, out } = sending();
    transfers.receive(fromBob, { kind: 'file-result', id, intact: true });
    expect(out().stage).toBe('offered');
    expect(out().outcome).toBeUndefined();
  });

  it('fails as malformed on an accept from past the end of the file', () => {
    const { transfers, fromBob, saidTo, opened, id, out } = sending(3000);
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 3001 });
    expect(out().outcome).toEqual({ kind: 'failed', why: 'malformed' });
    expect(saidTo(BOB).at(-1)).toEqual({ kind: 'file-cancel', id });
    expect(opened).toEqual([]);
  });

  it('fails as malformed when the receiver claims more bytes than the file has', async () => {
    const { transfers, fromBob, saidTo, handed, id, out, until } = sending(3000);
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 0 });
    const theirs = handed[0]!;
    await until(() => theirs.readyState === 'open', 'the channel opens');
    theirs.send(JSON.stringify({ kind: 'file-received', bytes: 3001 }));
    await until(() => finished(out()), 'Ann gives up');
    expect(out().outcome).toEqual({ kind: 'failed', why: 'malformed' });
    expect(saidTo(BOB).at(-1)).toEqual({ kind: 'file-cancel', id });
  });

  it('fails as malformed on a frame that is not a progress report', async () => {
    const { transfers, fromBob, handed, id, out, until } = sending(3000);
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 0 });
    const theirs = handed[0]!;
    await until(() => theirs.readyState === 'open', 'the channel opens');
    theirs.send(JSON.stringify({ kind: 'file-end', sha256: '0'.repeat(64) }));
    await until(() => finished(out()), 'Ann gives up');
    expect(out().outcome).toEqual({ kind: 'failed', why: 'malformed' });
  });

  it('shows the progress the receiver reports, and fails as corrupt when it says the hash differs', async () => {
    const { transfers, fromBob, handed, id, out, until, data } = sending(3000);
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 0 });
    const theirs = handed[0]!;
    const frames: unknown[] = [];
    theirs.addEventListener('message', (event) => frames.push((event as MessageEvent).data));
    await until(() => out().stage === 'verifying', 'Ann has sent everything');
    await until(() => frames.length === 2, 'the chunk and the end arrive');
    expect(frames[1]).toBe(JSON.stringify({ kind: 'file-end', sha256: sha256Hex(data) }));
    theirs.send(JSON.stringify({ kind: 'file-received', bytes: 1234 }));
    await until(() => out().bytes === 1234, 'Ann shows the progress');
    transfers.receive(fromBob, { kind: 'file-result', id, intact: false });
    expect(out().outcome).toEqual({ kind: 'failed', why: 'corrupt' });
  });

  it('waits when there is no connection to open a channel on, and goes on at the next accept', async () => {
    const { transfers, fromBob, opened, setConnected, id, out, until } = sending(3000);
    setConnected(false);
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 0 });
    expect(out().stage).toBe('paused');
    expect(opened).toEqual([]);
    setConnected(true);
    transfers.receive(fromBob, { kind: 'file-accept', id, offset: 1000 });
    expect(out().stage).toBe('transferring');
    expect(out().bytes).toBe(1000);
    await until(() => out().stage === 'verifying', 'Ann has sent the rest');
    expect(opened[0]!.chunksSent).toEqual([{ offset: 1000, bytes: 2000 }]);
  });
});

describe('the SHA-256 as the transfers compute it (noble, fed chunk by chunk)', () => {
  const incremental = (data: Uint8Array) => {
    const hash = sha256.create();
    for (const [, part] of chunksOf(data, 0, FILE_CHUNK_BYTES)) hash.update(part);
    return bytesToHex(hash.digest());
  };

  it('gives the NIST value for "abc"', () => {
    expect(incremental(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives the NIST value for a million "a"s, over 16 chunks', () => {
    const data = new Uint8Array(1_000_000).fill('a'.charCodeAt(0));
    expect([...chunksOf(data, 0, FILE_CHUNK_BYTES)]).toHaveLength(16);
    expect(incremental(data)).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('gives the value of nothing for an empty file', () => {
    expect(incremental(new Uint8Array(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
