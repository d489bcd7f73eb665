import fc from 'fast-check';
import { CLIENT_EVENT_NAMES, PROTOCOL_VERSION } from '../../../src/protocol/index.js';

/**
 * What a hostile or broken client might send, as fast-check arbitraries: almost-valid payloads (one field
 * wrong, missing or added), arbitrary values, prototype keys, huge strings, deep nesting, binary.
 */

/** Keys that have hurt JavaScript servers before: prototype pollution and shadowed built-ins. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];

/** A plain object that really owns `key` (`{ __proto__: x }` in a literal would set the prototype instead). */
export function withOwnKey(base: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

/**
 * Long strings of awkward characters (multi-byte, escaped in JSON, bidi, NUL), at most 30 KB once encoded,
 * so that a request carrying three of them still fits the 128 KB frame limit (frames beyond it are fuzzed
 * on their own).
 */
export const hugeString = fc
  .tuple(fc.constantFrom(1_000, 10_000, 30_000), fc.constantFrom('x', 'é', '\u202e', '"', '\\', '\u0000'))
  .map(([bytes, char]) => char.repeat(Math.floor(bytes / (Buffer.byteLength(JSON.stringify(char)) - 2))));

/** `[[[…]]]` or `{"a":{"a":…}}` a few hundred levels deep (deeper is sent raw: the client would overflow). */
export const deeplyNested = fc
  .tuple(fc.integer({ min: 10, max: 800 }), fc.boolean())
  .map(([depth, arrays]) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
    return value;
  });

/** Anything JSON (or socket.io's binary attachments) can carry, including prototype keys and binary. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 3,
    maxKeys: 6,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
    withBoxedValues: true,
    key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...PROTOTYPE_KEYS)),
  }),
  hugeString,
  deeplyNested,
  fc.constantFrom(null, undefined, 0, -0, Number.MAX_VALUE, Number.NaN, '', true, [], {}),
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes)),
);

/**
 * A room name the server accepts; a handful, so that joins meet each other and rooms fill up. Some are the
 * names of Object.prototype's properties, which a room table kept in a plain object would trip over.
 */
export const roomName = fc.constantFrom('fuzz-room', 'fuzz-a', 'steady-call', 'f', 'constructor', 'tostring');

/** Well-formed peer ids, some of them prototype keys (`__proto__` is a valid id: 9 characters of the set). */
export const peerId = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'abcdefghij'),
  fc.stringMatching(/^[A-Za-z0-9_-]{8,32}$/),
);

const plainJoin = fc.record({
  v: fc.constantFrom(PROTOCOL_VERSION, PROTOCOL_VERSION, PROTOCOL_VERSION + 1),
  room: roomName,
  name: fc.constantFrom('Fuzz', 'Ünïcødé', 'x'.repeat(40)),
});

/** A join the schema accepts: mostly plain, sometimes with a forged resume (well-formed, never signed by us). */
export const validJoin: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 3, arbitrary: plainJoin },
  {
    weight: 1,
    arbitrary: fc
      .tuple(plainJoin, fc.record({ peerId, token: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/) }))
      .map(([join, resume]) => ({ ...join, resume })),
  },
);

/** A signal that parses, to `to`: an offer, an answer or a candidate. */
export function validSignal(to: fc.Arbitrary<string>) {
  return fc.record({
    to,
    signal: fc.oneof(
      fc.record({
        kind: fc.constant('description'),
        description: fc.record({
          type: fc.constantFrom('offer', 'answer'),
          sdp: fc.string({ maxLength: 200 }),
        }),
      }),
      fc.record({
        kind: fc.constant('candidate'),
        candidate: fc.record(
          {
            candidate: fc.string({ maxLength: 200 }),
            sdpMid: fc.option(fc.string({ maxLength: 8 })),
            sdpMLineIndex: fc.option(fc.nat(4)),
          },
          { requiredKeys: ['candidate'] },
        ),
      }),
    ),
  });
}

/** A valid payload with one thing done to it: a key replaced, removed, or added (prototype keys included). */
export function mutated(valid: fc.Arbitrary<Record<string, unknown>>) {
  return fc.oneof(
    valid,
    fc
      .tuple(valid, fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...PROTOTYPE_KEYS)), anyValue)
      .map(([base, key, value]) => withOwnKey(base, Object.keys(base)[key.length % 3] ?? key, value)),
    fc
      .tuple(valid, fc.constantFrom(...PROTOTYPE_KEYS, 'from', 'extra'), anyValue)
      .map(([base, key, value]) => withOwnKey(base, key, value)),
    fc.tuple(valid, fc.nat()).map(([base, n]) => {
      const keys = Object.keys(base);
      const copy = { ...base };
      delete copy[keys[n % keys.length] ?? ''];
      return copy;
    }),
  );
}

/** Event names a client may emit: the protocol's, names of built-ins, and any string. */
export const eventName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CLIENT_EVENT_NAMES) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...PROTOTYPE_KEYS, 'error', 'message', 'connection', 'create or join', 'JOIN'),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
);
