import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JoinRequest, SignalRequest } from './events.js';
import { DISPLAY_NAME_MAX, DisplayName, normalizeRoomName } from './names.js';
import {
  PEER_MESSAGE_MAX_BYTES,
  type PeerMessageSchema,
  parsePeerMessage as parse,
} from './peer-messages.js';
import { CANDIDATE_MAX, SDP_MAX } from './signals.js';
import * as z from 'zod/mini';
import { ChatMessage } from './chat-message.js';
import { MediaStateMessage } from './media-state-message.js';

/** The kinds Parley has today, as the call's router registers them. */
const PeerMessage = z.discriminatedUnion('kind', [ChatMessage, MediaStateMessage]);
const SCHEMAS = new Map<string, PeerMessageSchema>([
  ['chat', ChatMessage],
  ['media-state', MediaStateMessage],
]);
const parsePeerMessage = (frame: unknown) => parse(frame, (kind) => SCHEMAS.get(kind));

/**
 * Property-based checks of what the protocol lets in: whatever a peer or a client sends, parsing never
 * throws, and what it accepts is exactly what the schema describes, with nothing added and nothing altered.
 */

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Anything, with prototype keys and null-prototype objects among the rest. */
const anything = fc.anything({
  maxDepth: 3,
  withNullPrototype: true,
  withObjectString: true,
  withBoxedValues: true,
  withSparseArray: true,
  key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...PROTOTYPE_KEYS, 'kind', 'text', 'to')),
});

/** JSON text a peer might send: of any value, or of a valid message with a key added or replaced. */
const validMessage = fc.oneof(
  fc.record({
    kind: fc.constant('chat' as const),
    id: fc.string({ minLength: 1, maxLength: 64 }),
    text: fc.string({ minLength: 1, maxLength: 2000, unit: 'grapheme' }).filter((t) => t.length <= 2000),
    sentAt: fc.nat(),
  }),
  fc.record({ kind: fc.constant('media-state' as const), audio: fc.boolean(), video: fc.boolean() }),
);
const frame = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  validMessage.map((message) => JSON.stringify(message)),
  fc
    .tuple(validMessage, fc.constantFrom(...PROTOTYPE_KEYS, 'from', 'name'), fc.jsonValue())
    // Written into the text, so that JSON.parse makes it an own property (as a peer's frame would).
    .map(
      ([message, key, value]) => `${JSON.stringify(message).slice(0, -1)},"${key}":${JSON.stringify(value)}}`,
    ),
);

/** True when `value` is a plain object (or array) tree whose objects all have Object.prototype. */
function plainTree(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(plainTree);
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(plainTree);
}

describe('parsePeerMessage, fuzzed', () => {
  it('never throws, and returns either nothing or a message the schema accepts as it is', () => {
    fc.assert(
      fc.property(fc.oneof(frame, anything), (input) => {
        const message = parsePeerMessage(input);
        if (message === undefined) return;
        expect(PeerMessage.safeParse(message).success).toBe(true);
        expect(plainTree(message)).toBe(true);
        // Parsing what we accepted gives the same message: nothing was coerced or added.
        expect(parsePeerMessage(JSON.stringify(message))).toEqual(message);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every valid message, and refuses it with any key added', () => {
    fc.assert(
      fc.property(validMessage, fc.constantFrom(...PROTOTYPE_KEYS, 'from', 'name'), (message, key) => {
        expect(parsePeerMessage(JSON.stringify(message))).toEqual(message);
        const withKey = `${JSON.stringify(message).slice(0, -1)},"${key}":1}`;
        expect(parsePeerMessage(withKey)).toBeUndefined();
      }),
    );
  });

  it('drops frames longer than the limit unread, whatever they hold', () => {
    fc.assert(
      fc.property(validMessage, fc.nat(10_000), (message, extra) => {
        const json = JSON.stringify(message);
        const padded = json + ' '.repeat(PEER_MESSAGE_MAX_BYTES - json.length + 1 + extra);
        expect(parsePeerMessage(padded)).toBeUndefined();
      }),
    );
  });

  it('never touches Object.prototype', () => {
    fc.assert(
      fc.property(frame, (input) => {
        parsePeerMessage(input);
        parsePeerMessage('{"__proto__":{"polluted":true},"kind":"media-state","audio":true,"video":true}');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
    );
  });
});

// Control characters (C0, DEL, C1) and bidi embeddings, overrides and isolates: never in a name.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const roomName = fc.stringMatching(/^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/);
const displayName = fc
  .string({ minLength: 1, maxLength: DISPLAY_NAME_MAX, unit: 'grapheme' })
  // Any name the schema's own rules let by (random graphemes can be all invisible, or stack marks): what is
  // tested is that an accepted request passes through unchanged.
  .filter((name) => name.length <= DISPLAY_NAME_MAX && DisplayName.safeParse(name).success);
const peerId = fc.stringMatching(/^[A-Za-z0-9_-]{8,32}$/);
const validJoin = fc.record(
  {
    v: fc.integer(),
    room: roomName,
    name: displayName,
    resume: fc.record({ peerId, token: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/) }),
  },
  { requiredKeys: ['v', 'room', 'name'] },
);
const validSignal = fc.record({
  to: peerId,
  signal: fc.oneof(
    fc.record({
      kind: fc.constant('description'),
      description: fc.record({
        type: fc.constantFrom('offer', 'answer'),
        sdp: fc.string({ maxLength: 500 }),
      }),
    }),
    fc.record({
      kind: fc.constant('candidate'),
      candidate: fc.record(
        {
          candidate: fc.string({ maxLength: 300 }),
          sdpMid: fc.option(fc.string({ maxLength: 64 })),
          sdpMLineIndex: fc.option(fc.nat(1023)),
          usernameFragment: fc.option(fc.string({ maxLength: 256 })),
        },
        { requiredKeys: ['candidate'] },
      ),
    }),
  ),
});

/** Replaces one key of `base` (or adds one), with an own property even for `__proto__`. */
function withKey(base: object, key: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

describe('the join and signal schemas, fuzzed', () => {
  it('never throw, whatever the payload', () => {
    fc.assert(
      fc.property(anything, (payload) => {
        JoinRequest.safeParse(payload);
        SignalRequest.safeParse(payload);
      }),
      { numRuns: 2000 },
    );
  });

  it('accept every valid request as it is, with nothing added', () => {
    fc.assert(
      fc.property(validJoin, validSignal, (join, signal) => {
        const parsedJoin = JoinRequest.safeParse(join);
        expect(parsedJoin.success).toBe(true);
        // The name is trimmed (what others see); everything else passes through unchanged.
        expect(parsedJoin.data).toEqual({ ...join, name: join.name.trim() });
        expect(SignalRequest.safeParse(signal)).toEqual({ success: true, data: signal });
      }),
    );
  });

  it('refuse a request with any key added, prototype keys included, at any level', () => {
    const key = fc.constantFrom(...PROTOTYPE_KEYS, 'from', 'admin');
    fc.assert(
      fc.property(validJoin, validSignal, key, anything, (join, signal, extra, value) => {
        expect(JoinRequest.safeParse(withKey(join, extra, value)).success).toBe(false);
        expect(SignalRequest.safeParse(withKey(signal, extra, value)).success).toBe(false);
        expect(
          SignalRequest.safeParse({ ...signal, signal: withKey(signal.signal, extra, value) }).success,
        ).toBe(false);
      }),
    );
  });

  it('accept only names that are printable, trimmed and short, and rooms that are normalised', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.oneof(roomName, fc.string({ maxLength: 80 })),
        (name, room) => {
          const parsed = JoinRequest.safeParse({ v: 1, room, name });
          if (!parsed.success) return;
          expect(parsed.data.name).toBe(parsed.data.name.trim());
          expect(parsed.data.name.length).toBeGreaterThan(0);
          expect(parsed.data.name.length).toBeLessThanOrEqual(DISPLAY_NAME_MAX);
          expect(parsed.data.name).not.toMatch(UNPRINTABLE);
          expect(parsed.data.room).toMatch(/^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}_-]*[\p{L}\p{N}\p{M}])?$/u);
          expect(normalizeRoomName(parsed.data.room)).toBe(parsed.data.room);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuse a signal whose SDP or candidate is over its limit', () => {
    fc.assert(
      fc.property(peerId, fc.nat(1000), (to, extra) => {
        const sdp = 'x'.repeat(SDP_MAX + 1 + extra);
        const candidate = 'x'.repeat(CANDIDATE_MAX + 1 + extra);
        const offer = { kind: 'description', description: { type: 'offer', sdp } };
        expect(SignalRequest.safeParse({ to, signal: offer }).success).toBe(false);
        expect(
          SignalRequest.safeParse({ to, signal: { kind: 'candidate', candidate: { candidate } } }).success,
        ).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
