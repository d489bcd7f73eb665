/**
 * In-page references for bench/files.ts, bundled into a blank page (test/support/harness-page.ts).
 *
 * `rawChannel`: the raw rate of a data channel. Two RTCPeerConnections connected to each other inside this
 * page (SDP and candidates handed over directly, no server), one ordered data channel, and the same
 * total of file bytes sent as Parley sends a file: messages of an 8-byte offset header and 64 KiB of data,
 * with the same backpressure (wait for `bufferedamountlow` at 1 MiB once more than 4 MiB is queued).
 * Timed with performance.now() from the first send to the receiver having counted every byte. Nothing is
 * read from a Blob, copied into a fresh message or hashed: what is left is the channel itself.
 *
 * With `hashed`, both ends also take the data into a SHA-256 as Parley does (hash-wasm, 64 KiB updates:
 * the sender before it sends a message, the receiver as each arrives), so the cost of checking a file
 * whole is shown apart from the rest of Parley's work.
 *
 * The pair is connected once and kept, and each run opens a channel of its own on it, as Parley opens one
 * per file on a call's connection that is already up: a fresh connection was seen to move its first
 * ~0.5 s at a fraction of the rate (here 8 MB took 2-3 s on a new pair, 32 MB ~1 s on a warm one).
 *
 * `hashRate`: how fast the page computes SHA-256 with hash-wasm, as Parley's receiver does (64 KiB
 * updates), with @noble/hashes, Parley's fallback where WebAssembly may not be compiled (64 KiB and 1 MiB
 * updates), and with WebCrypto for comparison (one call over the whole buffer).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { createSHA256 } from 'hash-wasm';

export interface HashRates {
  /** MB/s (MB = 1024 * 1024 bytes). */
  wasmChunks64KiB: number;
  nobleChunks64KiB: number;
  noble1MiB: number;
  webCrypto: number;
}

declare global {
  interface Window {
    rawChannel(
      size: number,
      chunk: number,
      header: number,
      high: number,
      low: number,
      hashed?: boolean,
    ): Promise<number>;
    hashRate(size: number): Promise<HashRates>;
  }
}

function connectedPair(): { a: RTCPeerConnection; b: RTCPeerConnection; connect: () => Promise<void> } {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  // Candidates that arrive before their remote description wait for it, as they would over signaling.
  const early = new Map<RTCPeerConnection, RTCIceCandidate[]>([
    [a, []],
    [b, []],
  ]);
  const deliver = (to: RTCPeerConnection, candidate: RTCIceCandidate | null) => {
    if (!candidate) return;
    if (to.remoteDescription) void to.addIceCandidate(candidate);
    else early.get(to)?.push(candidate);
  };
  const flush = (to: RTCPeerConnection) => {
    for (const candidate of early.get(to)?.splice(0) ?? []) void to.addIceCandidate(candidate);
  };
  a.addEventListener('icecandidate', ({ candidate }) => deliver(b, candidate));
  b.addEventListener('icecandidate', ({ candidate }) => deliver(a, candidate));
  const connect = async () => {
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription!);
    flush(b);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription!);
    flush(a);
  };
  return { a, b, connect };
}

function drained(channel: RTCDataChannel): Promise<void> {
  return new Promise((resolve, reject) => {
    const low = () => {
      channel.removeEventListener('close', closed);
      resolve();
    };
    const closed = () => {
      channel.removeEventListener('bufferedamountlow', low);
      reject(new Error('the channel closed while sending'));
    };
    channel.addEventListener('bufferedamountlow', low, { once: true });
    channel.addEventListener('close', closed, { once: true });
  });
}

/** The pair of connections every run uses, connected at the first run (the warm-up) and kept. */
let pair: Promise<{ a: RTCPeerConnection; b: RTCPeerConnection }> | undefined;
let runs = 0;

window.rawChannel = async (size, chunk, header, high, low, hashed = false) => {
  pair ??= (async () => {
    const { a, b, connect } = connectedPair();
    // A first channel, so that the connection is up before any run starts timing.
    const first = a.createDataChannel('connect');
    const opened = new Promise<void>((resolve) =>
      first.addEventListener('open', () => resolve(), { once: true }),
    );
    await connect();
    await opened;
    return { a, b };
  })();
  const { a, b } = await pair;
  // A new channel for each run on the connection that stays, as Parley opens one for each file.
  const label = `raw-${++runs}`;
  const receiving = new Promise<RTCDataChannel>((resolve) => {
    const found = ({ channel }: RTCDataChannelEvent) => {
      if (channel.label !== label) return;
      b.removeEventListener('datachannel', found);
      resolve(channel);
    };
    b.addEventListener('datachannel', found);
  });
  const sending = a.createDataChannel(label, { ordered: true });
  try {
    sending.binaryType = 'arraybuffer';
    sending.bufferedAmountLowThreshold = low;
    const channel = await receiving;
    channel.binaryType = 'arraybuffer';
    if (sending.readyState !== 'open') {
      await new Promise<void>((resolve, reject) => {
        sending.addEventListener('open', () => resolve(), { once: true });
        sending.addEventListener('close', () => reject(new Error('the channel closed before it opened')));
      });
    }
    const [sent, received] = hashed ? await Promise.all([createSHA256(), createSHA256()]) : [];
    sent?.init();
    received?.init();
    let counted = 0;
    const arrived = new Promise<number>((resolve) => {
      channel.addEventListener('message', ({ data }: MessageEvent<ArrayBuffer>) => {
        received?.update(new Uint8Array(data, header));
        counted += data.byteLength - header;
        if (counted >= size) resolve(performance.now());
      });
    });
    const message = new Uint8Array(header + chunk);
    crypto.getRandomValues(message.subarray(0, 65536));
    const view = new DataView(message.buffer);
    const start = performance.now();
    for (let offset = 0; offset < size; offset += chunk) {
      if (sending.bufferedAmount > high) await drained(sending);
      const length = Math.min(chunk, size - offset);
      sent?.update(message.subarray(header, header + length));
      view.setBigUint64(0, BigInt(offset));
      sending.send(length === chunk ? message : message.subarray(0, header + length));
    }
    return (await arrived) - start;
  } finally {
    sending.close();
  }
};

window.hashRate = async (size) => {
  const MB = 1024 * 1024;
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  const timed = (step: number) => {
    const start = performance.now();
    const hash = sha256.create();
    for (let at = 0; at < size; at += step) hash.update(bytes.subarray(at, at + step));
    hash.digest();
    return size / MB / ((performance.now() - start) / 1000);
  };
  const wasm = await createSHA256();
  const wasmStart = performance.now();
  wasm.init();
  for (let at = 0; at < size; at += 65536) wasm.update(bytes.subarray(at, at + 65536));
  wasm.digest();
  const wasmChunks64KiB = size / MB / ((performance.now() - wasmStart) / 1000);
  const nobleChunks64KiB = timed(65536);
  const noble1MiB = timed(MB);
  const start = performance.now();
  await crypto.subtle.digest('SHA-256', bytes);
  const webCrypto = size / MB / ((performance.now() - start) / 1000);
  return { wasmChunks64KiB, nobleChunks64KiB, noble1MiB, webCrypto };
};
