/**
 * A small STUN message codec (RFC 8489): the header, the attribute walk, XOR-MAPPED-ADDRESS and FINGERPRINT.
 * Enough for a Binding responder and for probing a TURN server; no authentication (the Binding usage for
 * finding one's reflexive address has none).
 *
 * Parsing never throws: anything that is not a well-formed STUN message comes back as `{ ok: false }` with
 * a reason, because every byte of it arrived from the network.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** RFC 8489 §5: the fixed value in bytes 4-7 that tells STUN from other protocols on the same port. */
export const STUN_MAGIC_COOKIE = 0x2112a442;
export const STUN_HEADER_LENGTH = 20;
export const STUN_TRANSACTION_ID_LENGTH = 12;

/** RFC 8489 §14.7: the CRC-32 of the message is XORed with this ("STUN" in ASCII). */
const FINGERPRINT_XOR = 0x5354554e;
const FINGERPRINT_LENGTH = 4;

/** Methods this codebase uses (RFC 8489 §18.2; RFC 8656 §17 for TURN). */
export const StunMethod = {
  binding: 0x001,
  allocate: 0x003,
} as const;

/** Attribute types (RFC 8489 §18.3, RFC 8445 §16.1 for the ICE ones). */
export const StunAttr = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  MESSAGE_INTEGRITY: 0x0008,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  REALM: 0x0014,
  NONCE: 0x0015,
  MESSAGE_INTEGRITY_SHA256: 0x001c,
  PASSWORD_ALGORITHM: 0x001d,
  USERHASH: 0x001e,
  XOR_MAPPED_ADDRESS: 0x0020,
  PRIORITY: 0x0024,
  USE_CANDIDATE: 0x0025,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023,
  FINGERPRINT: 0x8028,
  ICE_CONTROLLED: 0x8029,
  ICE_CONTROLLING: 0x802a,
} as const;

/** The two class bits of the message type (RFC 8489 §5). */
export type StunClass = 'request' | 'indication' | 'success-response' | 'error-response';

const CLASS_BITS: Record<StunClass, number> = {
  request: 0b00,
  indication: 0b01,
  'success-response': 0b10,
  'error-response': 0b11,
};
const CLASS_BY_BITS: readonly StunClass[] = ['request', 'indication', 'success-response', 'error-response'];

export interface StunAttribute {
  readonly type: number;
  /** The value without its padding. */
  readonly value: Buffer;
}

export interface StunMessage {
  readonly method: number;
  readonly class: StunClass;
  /** 96 bits, chosen by the requester and echoed in the response. */
  readonly transactionId: Buffer;
  readonly attributes: readonly StunAttribute[];
  /** Whether the message ended in a FINGERPRINT attribute (which the parser has checked). */
  readonly hasFingerprint: boolean;
}

export type StunParseResult = { ok: true; message: StunMessage } | { ok: false; reason: string };

/** A transport address as STUN carries it in (XOR-)MAPPED-ADDRESS. */
export interface TransportAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly address: string;
  readonly port: number;
}

// ---------------------------------------------------------------------------------------------------------
// Message type: M11..M0 and C1 C0 interleaved as M11-M7 C1 M6-M4 C0 M3-M0 (RFC 8489 §5, figure 3).
// ---------------------------------------------------------------------------------------------------------

export function encodeMessageType(method: number, stunClass: StunClass): number {
  const c = CLASS_BITS[stunClass];
  return (
    (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7)
  );
}

function decodeMessageType(type: number): { method: number; class: StunClass } {
  const method = (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
  const bits = ((type >> 4) & 1) | ((type >> 7) & 2);
  return { method, class: CLASS_BY_BITS[bits] ?? 'request' };
}

// ---------------------------------------------------------------------------------------------------------
// CRC-32 (ISO-HDLC, the one zlib and Ethernet use), as FINGERPRINT needs it. Node's zlib.crc32 only exists
// from 20.15 and 22.2; a 1 KB table keeps us working on every Node 20.
// ---------------------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The FINGERPRINT value for `bytes`, which must be the message up to (not including) that attribute. */
export function stunFingerprint(bytes: Uint8Array): number {
  return (crc32(bytes) ^ FINGERPRINT_XOR) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// Parse
// ---------------------------------------------------------------------------------------------------------

/**
 * Parses one datagram as a STUN message. Checks what RFC 8489 §6.3 asks of every receiver: the two leading
 * zero bits, the magic cookie, a length that is a multiple of 4 and matches the datagram, attributes that
 * exactly fill that length, and, when FINGERPRINT is present, that it is the last attribute and correct.
 */
export function parseStunMessage(data: Uint8Array): StunParseResult {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < STUN_HEADER_LENGTH) return fail('shorter than a STUN header');
  const type = bytes.readUInt16BE(0);
  if ((type & 0xc000) !== 0) return fail('the two leading bits are not zero');
  const length = bytes.readUInt16BE(2);
  if (length % 4 !== 0) return fail('length is not a multiple of 4');
  if (STUN_HEADER_LENGTH + length !== bytes.length) return fail('length does not match the datagram');
  if (bytes.readUInt32BE(4) !== STUN_MAGIC_COOKIE) return fail('wrong magic cookie');

  const attributes: StunAttribute[] = [];
  let hasFingerprint = false;
  let offset = STUN_HEADER_LENGTH;
  while (offset < bytes.length) {
    if (hasFingerprint) return fail('an attribute follows FINGERPRINT');
    if (offset + 4 > bytes.length) return fail('truncated attribute header');
    const attrType = bytes.readUInt16BE(offset);
    const attrLength = bytes.readUInt16BE(offset + 2);
    const valueStart = offset + 4;
    const padded = attrLength + ((4 - (attrLength % 4)) % 4);
    if (valueStart + padded > bytes.length) return fail('attribute runs past the end');
    const value = bytes.subarray(valueStart, valueStart + attrLength);
    if (attrType === StunAttr.FINGERPRINT) {
      if (attrLength !== FINGERPRINT_LENGTH) return fail('FINGERPRINT has the wrong length');
      if (value.readUInt32BE(0) !== stunFingerprint(bytes.subarray(0, offset))) {
        return fail('FINGERPRINT does not match');
      }
      hasFingerprint = true;
    }
    attributes.push({ type: attrType, value });
    offset = valueStart + padded;
  }

  return {
    ok: true,
    message: {
      ...decodeMessageType(type),
      transactionId: bytes.subarray(8, STUN_HEADER_LENGTH),
      attributes,
      hasFingerprint,
    },
  };
}

function fail(reason: string): StunParseResult {
  return { ok: false, reason };
}

/** The first attribute of a type, as RFC 8489 §14 says receivers use when one is repeated. */
export function findAttribute(message: StunMessage, type: number): StunAttribute | undefined {
  return message.attributes.find((attribute) => attribute.type === type);
}

/**
 * Attribute types in the comprehension-required range (0x0000-0x7FFF) that are not in `known`: a server
 * answers a request carrying any with 420 Unknown Attribute (RFC 8489 §6.3.1).
 */
export function unknownRequiredAttributes(message: StunMessage, known: ReadonlySet<number>): number[] {
  const unknown = new Set<number>();
  for (const { type } of message.attributes) if (type < 0x8000 && !known.has(type)) unknown.add(type);
  return [...unknown];
}

// ---------------------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------------------

export interface StunMessageInit {
  method: number;
  class: StunClass;
  transactionId: Uint8Array;
  attributes?: readonly { type: number; value: Uint8Array }[];
  /** Append FINGERPRINT (RFC 8489 §14.7), computed over everything before it. */
  fingerprint?: boolean;
}

/** Encodes a message; attribute values are padded with zero bytes to a multiple of 4. */
export function buildStunMessage(init: StunMessageInit): Buffer {
  if (init.transactionId.length !== STUN_TRANSACTION_ID_LENGTH) {
    throw new TypeError(`A STUN transaction id is ${STUN_TRANSACTION_ID_LENGTH} bytes.`);
  }
  const attributes = init.attributes ?? [];
  const bodyLength =
    attributes.reduce((sum, { value }) => sum + 4 + value.length + ((4 - (value.length % 4)) % 4), 0) +
    (init.fingerprint === true ? 4 + FINGERPRINT_LENGTH : 0);
  if (bodyLength > 0xffff) throw new TypeError('A STUN message body is at most 65535 bytes.');

  const out = Buffer.alloc(STUN_HEADER_LENGTH + bodyLength);
  out.writeUInt16BE(encodeMessageType(init.method, init.class), 0);
  out.writeUInt16BE(bodyLength, 2);
  out.writeUInt32BE(STUN_MAGIC_COOKIE, 4);
  out.set(init.transactionId, 8);
  let offset = STUN_HEADER_LENGTH;
  for (const { type, value } of attributes) {
    out.writeUInt16BE(type, offset);
    out.writeUInt16BE(value.length, offset + 2);
    out.set(value, offset + 4);
    offset += 4 + value.length + ((4 - (value.length % 4)) % 4);
  }
  if (init.fingerprint === true) {
    out.writeUInt16BE(StunAttr.FINGERPRINT, offset);
    out.writeUInt16BE(FINGERPRINT_LENGTH, offset + 2);
    // The length field already counts FINGERPRINT, as §14.7 requires of the CRC's input.
    out.writeUInt32BE(stunFingerprint(out.subarray(0, offset)), offset + 4);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// XOR-MAPPED-ADDRESS (RFC 8489 §14.2)
// ---------------------------------------------------------------------------------------------------------

const FAMILY_IPV4 = 0x01;
const FAMILY_IPV6 = 0x02;

/** The value of an XOR-MAPPED-ADDRESS attribute for `mapped`, in a message with this transaction id. */
export function encodeXorMappedAddress(mapped: TransportAddress, transactionId: Uint8Array): Buffer {
  const ip = ipToBytes(mapped.address);
  if (ip === undefined || (ip.length === 4) !== (mapped.family === 'IPv4')) {
    throw new TypeError(`Not an ${mapped.family} address: ${mapped.address}`);
  }
  if (!Number.isInteger(mapped.port) || mapped.port < 0 || mapped.port > 0xffff) {
    throw new TypeError(`Not a port: ${mapped.port}`);
  }
  const value = Buffer.alloc(4 + ip.length);
  value.writeUInt8(ip.length === 4 ? FAMILY_IPV4 : FAMILY_IPV6, 1);
  value.writeUInt16BE(mapped.port ^ (STUN_MAGIC_COOKIE >>> 16), 2);
  const mask = xorMask(transactionId);
  for (let i = 0; i < ip.length; i++) value[4 + i] = (ip[i] ?? 0) ^ (mask[i] ?? 0);
  return value;
}

/** Reads an XOR-MAPPED-ADDRESS value; `undefined` when it is malformed. */
export function decodeXorMappedAddress(
  value: Uint8Array,
  transactionId: Uint8Array,
): TransportAddress | undefined {
  if (value.length < 4) return undefined;
  const family = value[1];
  const ipLength = family === FAMILY_IPV4 ? 4 : family === FAMILY_IPV6 ? 16 : 0;
  if (ipLength === 0 || value.length !== 4 + ipLength) return undefined;
  const port = (((value[2] ?? 0) << 8) | (value[3] ?? 0)) ^ (STUN_MAGIC_COOKIE >>> 16);
  const mask = xorMask(transactionId);
  const ip = new Uint8Array(ipLength);
  for (let i = 0; i < ipLength; i++) ip[i] = (value[4 + i] ?? 0) ^ (mask[i] ?? 0);
  return { family: ipLength === 4 ? 'IPv4' : 'IPv6', address: bytesToIp(ip), port };
}

/** The magic cookie followed by the transaction id: what the address bytes are XORed with. */
function xorMask(transactionId: Uint8Array): Buffer {
  const mask = Buffer.alloc(16);
  mask.writeUInt32BE(STUN_MAGIC_COOKIE, 0);
  mask.set(transactionId.subarray(0, STUN_TRANSACTION_ID_LENGTH), 4);
  return mask;
}

// ---------------------------------------------------------------------------------------------------------
// IP text <-> bytes
// ---------------------------------------------------------------------------------------------------------

/** 4 or 16 bytes for an IPv4 or IPv6 address in text (a `%zone` suffix is dropped); else `undefined`. */
export function ipToBytes(text: string): Uint8Array | undefined {
  const address = text.replace(/%.*$/, '');
  if (isIPv4(address)) return Uint8Array.from(address.split('.').map(Number));
  if (!isIPv6(address)) return undefined;

  let head = address;
  let tail4: number[] = [];
  const lastColon = address.lastIndexOf(':');
  // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
  if (address.includes('.', lastColon)) {
    tail4 = address
      .slice(lastColon + 1)
      .split('.')
      .map(Number);
    head = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const [left = '', right] = head.split('::');
  const leftGroups = left === '' ? [] : left.split(':');
  const rightGroups = right === undefined || right === '' ? [] : right.split(':');
  const zeros = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(zeros).fill('0'), ...rightGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const n = parseInt(group, 16);
    bytes[2 * i] = n >> 8;
    bytes[2 * i + 1] = n & 0xff;
  });
  if (tail4.length === 4) bytes.set(tail4, 12);
  return bytes;
}

/** Text for 4 or 16 address bytes; IPv6 in the RFC 5952 form (lower case, longest zero run as `::`). */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
