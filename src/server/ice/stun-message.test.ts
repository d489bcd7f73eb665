import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  StunAttr,
  StunMethod,
  buildStunMessage,
  bytesToIp,
  crc32,
  decodeXorMappedAddress,
  encodeMessageType,
  encodeXorMappedAddress,
  findAttribute,
  ipToBytes,
  parseStunMessage,
  stunFingerprint,
  type StunMessage,
} from './stun-message.js';

/** Hex as RFC 5769 prints it (spaces and line breaks between groups). */
function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

function parsed(bytes: Uint8Array): StunMessage {
  const result = parseStunMessage(bytes);
  if (!result.ok) throw new Error(`expected a STUN message: ${result.reason}`);
  return result.message;
}

// RFC 5769 §2: the password for the short-term credential in every sample.
const PASSWORD = 'VOkJxbRl1RmTxUk/WvJxBt';
const TRANSACTION_ID = hex('b7e7a701 bc34d686 fa87dfae');

// RFC 5769 §2.1: Sample Request.
const SAMPLE_REQUEST = hex(`
  00010058 2112a442 b7e7a701 bc34d686 fa87dfae
  80220010 5354554e 20746573 7420636c 69656e74
  00240004 6e0001ff
  80290008 932ff9b1 51263b36
  00060009 6576746a 3a683676 59202020
  00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
  80280004 e57a3bcf`);

// RFC 5769 §2.2: Sample IPv4 Response (mapped address 192.0.2.1 port 32853).
const SAMPLE_IPV4_RESPONSE = hex(`
  0101003c 2112a442 b7e7a701 bc34d686 fa87dfae
  8022000b 74657374 20766563 746f7220
  00200008 0001a147 e112a643
  00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
  80280004 c07d4c96`);

// RFC 5769 §2.3: Sample IPv6 Response (mapped address 2001:db8:1234:5678:11:2233:4455:6677 port 32853).
const SAMPLE_IPV6_RESPONSE = hex(`
  01010048 2112a442 b7e7a701 bc34d686 fa87dfae
  8022000b 74657374 20766563 746f7220
  00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9
  00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
  80280004 c8fb0b4c`);

/**
 * MESSAGE-INTEGRITY (RFC 8489 §14.5) computed independently: HMAC-SHA1 over the message up to the attribute,
 * with the length field counting up to the end of MESSAGE-INTEGRITY. Agreeing with the sample proves the
 * parser found the attribute at the right offset.
 */
function integrityMatches(sample: Buffer): boolean {
  const message = parsed(sample);
  const integrity = findAttribute(message, StunAttr.MESSAGE_INTEGRITY);
  if (!integrity) return false;
  const start = integrity.value.byteOffset - sample.byteOffset - 4;
  const covered = Buffer.from(sample.subarray(0, start));
  covered.writeUInt16BE(start + 24 - 20, 2);
  return createHmac('sha1', PASSWORD).update(covered).digest().equals(integrity.value);
}

describe('RFC 5769 test vectors', () => {
  it('parses the sample request, its attributes and its FINGERPRINT', () => {
    const message = parsed(SAMPLE_REQUEST);
    expect(message.method).toBe(StunMethod.binding);
    expect(message.class).toBe('request');
    expect(message.transactionId).toEqual(TRANSACTION_ID);
    expect(message.hasFingerprint).toBe(true);
    expect(message.attributes.map((a) => a.type)).toEqual([
      StunAttr.SOFTWARE,
      StunAttr.PRIORITY,
      StunAttr.ICE_CONTROLLED,
      StunAttr.USERNAME,
      StunAttr.MESSAGE_INTEGRITY,
      StunAttr.FINGERPRINT,
    ]);
    expect(findAttribute(message, StunAttr.USERNAME)?.value.toString()).toBe('evtj:h6vY');
    expect(findAttribute(message, StunAttr.SOFTWARE)?.value.toString()).toBe('STUN test client');
    expect(integrityMatches(SAMPLE_REQUEST)).toBe(true);
  });

  it.each([
    ['IPv4', SAMPLE_IPV4_RESPONSE, { family: 'IPv4', address: '192.0.2.1', port: 32853 }],
    [
      'IPv6',
      SAMPLE_IPV6_RESPONSE,
      { family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 },
    ],
  ] as const)('parses the sample %s response: XOR-MAPPED-ADDRESS and FINGERPRINT', (_, sample, mapped) => {
    const message = parsed(sample);
    expect(message.method).toBe(StunMethod.binding);
    expect(message.class).toBe('success-response');
    expect(message.transactionId).toEqual(TRANSACTION_ID);
    expect(message.hasFingerprint).toBe(true);
    const xor = findAttribute(message, StunAttr.XOR_MAPPED_ADDRESS);
    expect(xor && decodeXorMappedAddress(xor.value, message.transactionId)).toEqual(mapped);
    expect(findAttribute(message, StunAttr.SOFTWARE)?.value.toString()).toBe('test vector');
    expect(integrityMatches(sample)).toBe(true);
    // The sample's FINGERPRINT is the CRC-32 of everything before it, XOR 0x5354554e.
    expect(stunFingerprint(sample.subarray(0, sample.length - 8))).toBe(
      sample.readUInt32BE(sample.length - 4),
    );
  });

  it.each([
    ['IPv4', SAMPLE_IPV4_RESPONSE, { family: 'IPv4', address: '192.0.2.1', port: 32853 }],
    [
      'IPv6',
      SAMPLE_IPV6_RESPONSE,
      { family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 },
    ],
  ] as const)('builds the sample %s response byte for byte', (_, sample, mapped) => {
    const xorStart = 20 + 16;
    const xorLength = mapped.family === 'IPv4' ? 8 : 20;
    const expectedXor = sample.subarray(xorStart + 4, xorStart + 4 + xorLength);
    expect(encodeXorMappedAddress(mapped, TRANSACTION_ID)).toEqual(expectedXor);

    const integrity = findAttribute(parsed(sample), StunAttr.MESSAGE_INTEGRITY)?.value ?? Buffer.alloc(0);
    // The sample pads the 11-byte SOFTWARE value with a space; the builder pads with zero (both are allowed,
    // RFC 8489 §14: padding is ignored). Recompute the sample's FINGERPRINT with a zero pad to compare.
    const zeroPadded = Buffer.from(sample);
    zeroPadded[20 + 4 + 11] = 0;
    zeroPadded.writeUInt32BE(stunFingerprint(zeroPadded.subarray(0, sample.length - 8)), sample.length - 4);

    const built = buildStunMessage({
      method: StunMethod.binding,
      class: 'success-response',
      transactionId: TRANSACTION_ID,
      attributes: [
        { type: StunAttr.SOFTWARE, value: Buffer.from('test vector') },
        { type: StunAttr.XOR_MAPPED_ADDRESS, value: encodeXorMappedAddress(mapped, TRANSACTION_ID) },
        { type: StunAttr.MESSAGE_INTEGRITY, value: integrity },
      ],
      fingerprint: true,
    });
    expect(built.toString('hex')).toBe(zeroPadded.toString('hex'));
  });
});

describe('parseStunMessage rejects what is not a well-formed STUN message', () => {
  const request = buildStunMessage({
    method: StunMethod.binding,
    class: 'request',
    transactionId: TRANSACTION_ID,
    fingerprint: true,
  });
  const mutate = (edit: (bytes: Buffer) => void) => {
    const copy = Buffer.from(request);
    edit(copy);
    return copy;
  };

  it.each([
    ['empty', Buffer.alloc(0), 'shorter than a STUN header'],
    ['19 bytes', request.subarray(0, 19), 'shorter than a STUN header'],
    ['leading bits set', mutate((b) => (b[0] = 0xc0)), 'the two leading bits are not zero'],
    ['length not a multiple of 4', mutate((b) => b.writeUInt16BE(6, 2)), 'length is not a multiple of 4'],
    ['truncated', request.subarray(0, request.length - 4), 'length does not match the datagram'],
    ['trailing bytes', Buffer.concat([request, Buffer.alloc(4)]), 'length does not match the datagram'],
    ['wrong magic cookie', mutate((b) => (b[4] = 0x22)), 'wrong magic cookie'],
    [
      'bad FINGERPRINT',
      mutate((b) => b.writeUInt32BE((b.readUInt32BE(b.length - 4) ^ 1) >>> 0, b.length - 4)),
      'FINGERPRINT does not match',
    ],
    ['attribute past the end', mutate((b) => b.writeUInt16BE(8, 22)), 'attribute runs past the end'],
  ])('%s', (_, bytes, reason) => {
    expect(parseStunMessage(bytes)).toEqual({ ok: false, reason });
  });

  it('an attribute after FINGERPRINT', () => {
    const body = Buffer.concat([request, Buffer.from([0x80, 0x22, 0, 0])]);
    body.writeUInt16BE(body.length - 20, 2);
    // The FINGERPRINT itself no longer matches the new length, which is found first.
    expect(parseStunMessage(body).ok).toBe(false);
  });

  it('accepts a message without attributes', () => {
    const bare = buildStunMessage({
      method: StunMethod.binding,
      class: 'request',
      transactionId: TRANSACTION_ID,
    });
    expect(parsed(bare)).toMatchObject({
      method: 1,
      class: 'request',
      attributes: [],
      hasFingerprint: false,
    });
  });
});

describe('message type', () => {
  it('interleaves method and class bits as RFC 8489 §5 draws them', () => {
    expect(encodeMessageType(StunMethod.binding, 'request')).toBe(0x0001);
    expect(encodeMessageType(StunMethod.binding, 'indication')).toBe(0x0011);
    expect(encodeMessageType(StunMethod.binding, 'success-response')).toBe(0x0101);
    expect(encodeMessageType(StunMethod.binding, 'error-response')).toBe(0x0111);
    expect(encodeMessageType(StunMethod.allocate, 'request')).toBe(0x0003);
    expect(encodeMessageType(0xfff, 'error-response')).toBe(0x3fff);
  });

  it('round-trips every method and class through build and parse', () => {
    for (const method of [0x001, 0x00f, 0x010, 0x080, 0x7ff, 0xfff]) {
      for (const stunClass of ['request', 'indication', 'success-response', 'error-response'] as const) {
        const bytes = buildStunMessage({ method, class: stunClass, transactionId: TRANSACTION_ID });
        expect(parsed(bytes)).toMatchObject({ method, class: stunClass });
      }
    }
  });
});

describe('helpers', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1::', '1::'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
  ])('ipToBytes / bytesToIp: %s', (text, canonical) => {
    const bytes = ipToBytes(text);
    expect(bytes && bytesToIp(bytes)).toBe(canonical);
  });

  it('ipToBytes refuses what is not an address', () => {
    expect(ipToBytes('example.org')).toBeUndefined();
    expect(ipToBytes('256.0.0.1')).toBeUndefined();
  });

  it('decodeXorMappedAddress refuses malformed values', () => {
    expect(decodeXorMappedAddress(Buffer.alloc(3), TRANSACTION_ID)).toBeUndefined();
    expect(decodeXorMappedAddress(Buffer.from([0, 3, 0, 0, 1, 2, 3, 4]), TRANSACTION_ID)).toBeUndefined();
    expect(decodeXorMappedAddress(Buffer.from([0, 1, 0, 0, 1, 2, 3]), TRANSACTION_ID)).toBeUndefined();
  });

  it('buildStunMessage refuses a transaction id of the wrong size', () => {
    expect(() =>
      buildStunMessage({ method: StunMethod.binding, class: 'request', transactionId: Buffer.alloc(16) }),
    ).toThrow(TypeError);
  });
});
