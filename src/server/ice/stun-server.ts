/**
 * A built-in STUN responder (RFC 8489): it tells each client the address and port its Binding request came
 * from, which is how a browser behind a NAT learns its server-reflexive (`srflx`) ICE candidate. Parley can
 * then work across most home NATs without anyone setting up coturn; relaying is still TURN's job.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import {
  StunAttr,
  StunMethod,
  buildStunMessage,
  encodeXorMappedAddress,
  parseStunMessage,
  unknownRequiredAttributes,
  type StunMessage,
  type TransportAddress,
} from './stun-message.js';

/** The few logger methods the responder uses; Parley's pino logger fits, and so does `console`. */
export interface StunLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface StunServerOptions {
  /** Address to bind: `0.0.0.0`, `::` (dual-stack where the OS allows it), or one address. */
  host: string;
  /** UDP port; 0 picks a free one. */
  port: number;
  logger?: StunLogger;
  /** Answers per source address per window; more are dropped. Default {@link DEFAULT_SOURCE_LIMIT}. */
  sourceLimit?: SourceLimit;
}

/**
 * A STUN answer is larger than the request (32 to 40 bytes for a 20-byte request), and UDP sources can be
 * forged: without a limit, a forged flood makes this server send more bytes at the victim than it
 * received. A browser gathering candidates sends a handful of requests per interface, retransmits
 * included: 20 a second is far above that.
 */
export interface SourceLimit {
  readonly answers: number;
  readonly windowMs: number;
  /** Distinct sources tracked in one window; requests from further new sources are dropped. */
  readonly maxSources: number;
}
export const DEFAULT_SOURCE_LIMIT: SourceLimit = { answers: 20, windowMs: 1_000, maxSources: 10_000 };

export interface RunningStunServer {
  /** The UDP port actually bound (useful with port 0). */
  readonly port: number;
  /** Stops answering and releases the port. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Attributes a Binding request may carry that we understand well enough not to refuse the request (RFC
 * 8489 §6.3.1). None of them changes the answer: this usage has no authentication, and ICE's own
 * attributes (PRIORITY, USE-CANDIDATE) only matter between peers.
 */
const KNOWN_REQUEST_ATTRIBUTES: ReadonlySet<number> = new Set([
  StunAttr.MAPPED_ADDRESS,
  StunAttr.USERNAME,
  StunAttr.MESSAGE_INTEGRITY,
  StunAttr.ERROR_CODE,
  StunAttr.UNKNOWN_ATTRIBUTES,
  StunAttr.REALM,
  StunAttr.NONCE,
  StunAttr.MESSAGE_INTEGRITY_SHA256,
  StunAttr.PASSWORD_ALGORITHM,
  StunAttr.USERHASH,
  StunAttr.XOR_MAPPED_ADDRESS,
  StunAttr.PRIORITY,
  StunAttr.USE_CANDIDATE,
]);

/**
 * Starts answering STUN Binding requests on `host:port` over UDP.
 *
 * Every well-formed Binding request gets a success response with XOR-MAPPED-ADDRESS and FINGERPRINT and
 * the request's transaction id; one carrying an unknown comprehension-required attribute gets 420 Unknown
 * Attribute instead. Everything else (other methods, responses, indications, malformed or truncated
 * datagrams) is dropped without an answer, so the port cannot be used to reflect junk at a third party.
 *
 * @example
 * const stun = await startStunServer({ host: '0.0.0.0', port: 3478, logger });
 * // iceServers: [{ urls: `stun:${publicHost}:${stun.port}` }]
 * await stun.close();
 */
export async function startStunServer(options: StunServerOptions): Promise<RunningStunServer> {
  const { host, logger } = options;
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 0xffff) {
    throw new TypeError(`Not a UDP port: ${options.port}`);
  }
  const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => {
      socket.close();
      reject(error);
    };
    socket.once('error', onError);
    socket.bind(options.port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });

  // After binding, a socket error (e.g. ICMP feedback surfaced on send) must never take the process down.
  socket.on('error', (error) => logger?.warn({ err: error }, 'STUN socket error'));
  const allowed = sourceBudget(options.sourceLimit ?? DEFAULT_SOURCE_LIMIT);
  socket.on('message', (datagram, remote) => {
    try {
      answer(socket, datagram, remote, logger, allowed);
    } catch (error) {
      // Parsing cannot throw; this guards the promise that no datagram can ever crash the server.
      logger?.warn({ err: error }, 'STUN datagram could not be handled');
    }
  });

  const port = socket.address().port;
  logger?.debug({ port }, 'STUN responder listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    close() {
      closing ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closing;
    },
  };
}

/** Fixed windows of answers per source address; the whole table is dropped when a window ends. */
function sourceBudget(limit: SourceLimit): (address: string) => boolean {
  let windowStart = Date.now();
  let counts = new Map<string, number>();
  return (address) => {
    const now = Date.now();
    if (now - windowStart >= limit.windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const count = counts.get(address);
    if (count === undefined && counts.size >= limit.maxSources) return false;
    if ((count ?? 0) >= limit.answers) return false;
    counts.set(address, (count ?? 0) + 1);
    return true;
  };
}

function answer(
  socket: Socket,
  datagram: Buffer,
  remote: RemoteInfo,
  logger: StunLogger | undefined,
  allowed: (address: string) => boolean,
): void {
  // Port 0 cannot be answered (and send() would throw); only a forged source has it.
  if (remote.port === 0) return;
  const parsed = parseStunMessage(datagram);
  if (!parsed.ok) {
    logger?.debug({ reason: parsed.reason, bytes: datagram.length }, 'STUN datagram ignored');
    return;
  }
  const request = parsed.message;
  if (request.method !== StunMethod.binding || request.class !== 'request') {
    logger?.debug({ method: request.method, class: request.class }, 'STUN message ignored');
    return;
  }
  // Counted once it is a request we would answer: junk costs a parse, never an answer.
  if (!allowed(remote.address)) return;
  const response = bindingResponse(request, remote);
  socket.send(response, remote.port, remote.address);
}

function bindingResponse(request: StunMessage, remote: RemoteInfo): Buffer {
  const unknown = unknownRequiredAttributes(request, KNOWN_REQUEST_ATTRIBUTES);
  if (unknown.length > 0) {
    return buildStunMessage({
      method: StunMethod.binding,
      class: 'error-response',
      transactionId: request.transactionId,
      attributes: [
        { type: StunAttr.ERROR_CODE, value: errorCode(420, 'Unknown Attribute') },
        { type: StunAttr.UNKNOWN_ATTRIBUTES, value: uint16List(unknown) },
      ],
      fingerprint: true,
    });
  }
  return buildStunMessage({
    method: StunMethod.binding,
    class: 'success-response',
    transactionId: request.transactionId,
    attributes: [
      {
        type: StunAttr.XOR_MAPPED_ADDRESS,
        value: encodeXorMappedAddress(mappedAddress(remote), request.transactionId),
      },
    ],
    fingerprint: true,
  });
}

/**
 * The source of the request as the client should see it. On a dual-stack `::` socket an IPv4 client shows
 * up as `::ffff:a.b.c.d`; the client sent from an IPv4 address, so that is what it must be told.
 */
function mappedAddress(remote: RemoteInfo): TransportAddress {
  const v4Mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(remote.address);
  if (v4Mapped?.[1] !== undefined) return { family: 'IPv4', address: v4Mapped[1], port: remote.port };
  return { family: remote.family === 'IPv6' ? 'IPv6' : 'IPv4', address: remote.address, port: remote.port };
}

/** ERROR-CODE value (RFC 8489 §14.8): class and number, then a UTF-8 reason phrase. */
function errorCode(code: number, reason: string): Buffer {
  const value = Buffer.alloc(4);
  value.writeUInt8(Math.floor(code / 100), 2);
  value.writeUInt8(code % 100, 3);
  return Buffer.concat([value, Buffer.from(reason, 'utf8')]);
}

function uint16List(values: readonly number[]): Buffer {
  const out = Buffer.alloc(values.length * 2);
  values.forEach((value, i) => out.writeUInt16BE(value, i * 2));
  return out;
}
