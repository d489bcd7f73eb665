import fc from 'fast-check';
import { WebSocket } from 'ws';
import { PROTOTYPE_KEYS, eventName } from './fuzz-arbitraries.js';

/**
 * Raw frames on socket.io's WebSocket transport, below any client library: engine.io packet types are the
 * first character (`0` open … `6` noop), socket.io packets follow a `4` (message) with their own type
 * (`0` connect, `2` event, `3` ack, `5` binary event with attachments as the next binary frames).
 * https://socket.io/docs/v4/socket-io-protocol/ and https://github.com/socketio/engine.io-protocol
 */

/** How long one raw session may take: the answer to its final probe, or the server closing it. */
const SESSION_TIMEOUT_MS = 5_000;
/** The ack id of the probe that ends each session; the fuzz's own ids stay below it. */
const PROBE_ID = 99_999;

const nested = (depth: number, open: string, inner: string, close: string) =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

/** Broken packets with known shapes: each one has tripped some parser somewhere. */
const knownBad = fc.constantFrom<(string | Buffer)[]>(
  [''],
  ['0'],
  ['1'],
  ['2'],
  ['3'],
  ['2probe'],
  ['5'],
  ['6'],
  ['7'],
  ['4'],
  ['40'],
  ['41'],
  ['44'],
  ['4{'],
  ['42'],
  ['42['],
  ['42["join"'],
  ['42[]'],
  ['42[1]'],
  ['42[null]'],
  ['42{}'],
  ['42"join"'],
  ['42["disconnect"]'],
  ['42["newListener",{}]'],
  ['42["removeListener",{}]'],
  ['42["error",{}]'],
  ['42["__proto__",{}]'],
  ['421["join"]'],
  ['42-1["join",{}]'],
  ['42999999999999999999999["join",{}]'],
  ['421.5["join",{}]'],
  ['43["x"]'],
  ['431[{"ok":true}]'],
  ['45'],
  ['45-'],
  ['451-'],
  ['451-["join",{"_placeholder":true,"num":0}]', Buffer.from('hello')],
  ['451-["join",{"_placeholder":true,"num":1}]', Buffer.from('hello')],
  ['451-["join",{"_placeholder":true,"num":"0"}]', Buffer.from('hello')],
  ['452-["signal",{"_placeholder":true,"num":0}]', Buffer.from('only one')],
  ['451-["signal",{"to":"abcdefghij","signal":{"_placeholder":true,"num":0}}]', Buffer.alloc(64)],
  ['4599999999-["join",{}]'],
  ['451-7["ice",{"_placeholder":true,"num":0}]', Buffer.from('{}')],
  [Buffer.from('not expected')],
  ['46'],
  ['4/nsp,["join",{}]'],
  ['40/admin,'],
  ['40{"token":1}'],
  ['40[]'],
  ['42/,["join",{}]'],
  ['42["join",{"__proto__":{"v":1,"room":"a","name":"b"}}]'],
  ['421["join",{"v":1,"room":"fuzz-a","name":"Raw","constructor":{"prototype":{"polluted":true}}}]'],
  [
    '422["signal",{"to":"abcdefghij","signal":{"kind":"candidate","candidate":{"candidate":"","__proto__":1}}}]',
  ],
  ['423["join",{"v":1,"room":"fuzz-a","name":"Raw"}]', '424["leave",{}]', '425["leave",{}]'],
  ['426["ice",{}]', '426["ice",{}]', '426["ice"]'],
);

/** Deep nesting, up to the frame limit: what a recursive parser or validator would overflow on. */
const deep = fc
  .integer({ min: 1_000, max: 60_000 })
  .chain((depth) =>
    fc.constantFrom<(string | Buffer)[]>(
      [`42["join",${nested(depth, '[', '', ']')}]`],
      [`421["join",${nested(Math.floor(depth / 5), '{"a":', '1', '}')}]`],
      [`451-["signal",${nested(depth, '[', '{"_placeholder":true,"num":0}', ']')}]`, Buffer.alloc(8)],
      [`452["ice",${nested(depth, '[', '', ']')}]`],
    ),
  );

/** An event packet with a JSON payload, possibly with an ack id, possibly carrying prototype keys. */
const eventPacket = fc
  .tuple(
    eventName,
    fc.option(fc.nat(1000), { nil: undefined }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.option(fc.constantFrom(...PROTOTYPE_KEYS), { nil: undefined }),
  )
  .map(([event, id, payload, key]) => {
    const body = JSON.stringify([event, payload]);
    // A key written into the JSON text, so that the server's parser sees it as an own property.
    const withKey = key && body.endsWith('}]') ? `${body.slice(0, -2)},"${key}":{"polluted":1}}]` : body;
    return [`42${id ?? ''}${withKey}`];
  });

/** Host headers: ordinary, IPv6, with a path or credentials, out of range, or any printable text. */
export const hostHeader = fc.option(
  fc.oneof(
    fc.constantFrom(
      'chat.example.org:8443',
      '[::1]:8443',
      '[2001:db8::7]',
      'evil.org/x',
      'a@b',
      'x y',
      'localhost:99999',
    ),
    fc.constantFrom('xn--nxasmq6b', '[v1.x]', '::1', '', ':', '%00', 'a\\b', '127.0.0.1:1'),
    fc.string({ maxLength: 60 }),
  ),
  { nil: undefined },
);

/** A session's frames: a few of any of the kinds above, or random text and bytes. */
export const rawFrames: fc.Arbitrary<(string | Buffer)[]> = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: knownBad },
      { weight: 3, arbitrary: eventPacket },
      { weight: 1, arbitrary: deep },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => [s]) },
      { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => [Buffer.from(b)]) },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((groups) => groups.flat());

export interface RawSession {
  /** Every ack frame (`43…`) the server sent. */
  acks: string[];
  /** The server closed the connection. */
  closedByServer: boolean;
  /** The server answered the final probe. */
  probeAnswered: boolean;
}

/**
 * One WebSocket on `/socket.io/?EIO=4&transport=websocket`: waits for engine.io's open packet, optionally
 * connects to the default namespace, sends `frames`, then a probe (`ice` with an ack id) and waits until the
 * probe is answered or the server closes the connection. Never throws on what the server does.
 */
export async function rawSession(
  url: string,
  options: {
    handshake: boolean;
    frames: (string | Buffer)[];
    localAddress: string;
    host?: string | undefined;
  },
): Promise<RawSession> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    localAddress: options.localAddress,
    // The Host header names the STUN server in acks: whatever a client puts there must not leak into them.
    ...(options.host === undefined ? {} : { headers: { host: options.host } }),
  });
  const acks: string[] = [];
  let closedByServer = false;
  let probeAnswered = false;
  const waiters: { test: (frame: string) => boolean; resolve: () => void }[] = [];
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => {
      closedByServer = true;
      resolve();
    });
    ws.once('error', () => resolve());
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    // Text frames arrive as one Buffer (ws's default binaryType).
    const frame = Buffer.isBuffer(data) ? data.toString('utf8') : '';
    if (frame.startsWith('43') && !frame.startsWith(`43${PROBE_ID}[`)) acks.push(frame);
    // engine.io's heartbeat: answer pings, or the server closes the connection after its ping timeout.
    if (frame === '2') ws.send('3');
    for (const waiter of waiters.filter((w) => w.test(frame))) waiter.resolve();
  });
  const next = (test: (frame: string) => boolean) =>
    Promise.race([
      new Promise<boolean>((resolve) => waiters.push({ test, resolve: () => resolve(true) })),
      closed.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SESSION_TIMEOUT_MS)),
    ]);

  try {
    if (!(await next((frame) => frame.startsWith('0{')))) return { acks, closedByServer, probeAnswered };
    // Connecting to the namespace after the frames tests what they do to a connection not yet in one.
    const connectNamespace = async () => {
      ws.send('40');
      return next((frame) => frame.startsWith('40'));
    };
    if (options.handshake && !(await connectNamespace())) return { acks, closedByServer, probeAnswered };
    for (const frame of options.frames) {
      if (ws.readyState !== WebSocket.OPEN) break;
      ws.send(frame);
    }
    if (ws.readyState === WebSocket.OPEN && (options.handshake || (await connectNamespace()))) {
      ws.send(`42${PROBE_ID}["ice",{}]`);
      probeAnswered = await next((frame) => frame.startsWith(`43${PROBE_ID}[`));
    }
    return { acks, closedByServer, probeAnswered };
  } finally {
    ws.terminate();
  }
}
