import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { CHAT_TEXT_MAX, ChatMessage } from './chat-message.js';
import { MediaStateMessage } from './media-state-message.js';
import {
  PEER_MESSAGE_MAX_BYTES,
  type PeerMessageSchema,
  parsePeerMessage as parse,
} from './peer-messages.js';

/** The kinds Parley has today, as the call's router registers them. */
const PeerMessage = z.discriminatedUnion('kind', [ChatMessage, MediaStateMessage]);
const SCHEMAS = new Map<string, PeerMessageSchema>([
  ['chat', ChatMessage],
  ['media-state', MediaStateMessage],
]);
const parsePeerMessage = (frame: unknown) => parse(frame, (kind) => SCHEMAS.get(kind));

const chat = { kind: 'chat', id: 'm1', text: 'hello', sentAt: 1_700_000_000_000 };

describe('parsePeerMessage', () => {
  it('parses a chat line and a media-state message', () => {
    expect(parsePeerMessage(JSON.stringify(chat))).toEqual(chat);
    const state = { kind: 'media-state', audio: false, video: true };
    expect(parsePeerMessage(JSON.stringify(state))).toEqual(state);
  });

  it('keeps markup as text: it is for the page to show, never to interpret', () => {
    const html = { ...chat, text: '<img src=x onerror=alert(1)>' };
    expect(parsePeerMessage(JSON.stringify(html))?.kind).toBe('chat');
  });

  it.each([
    ['not a string', new ArrayBuffer(8)],
    ['not JSON', '{"kind":'],
    ['JSON that is not an object', '"chat"'],
    ['an unknown kind', JSON.stringify({ kind: 'file', name: 'x.exe' })],
    ['a chat line claiming a sender', JSON.stringify({ ...chat, from: 'Bob' })],
    ['an empty chat line', JSON.stringify({ ...chat, text: '' })],
    ['a chat line over the limit', JSON.stringify({ ...chat, text: 'x'.repeat(CHAT_TEXT_MAX + 1) })],
    ['a negative time', JSON.stringify({ ...chat, sentAt: -1 })],
    ['a media state with a string', JSON.stringify({ kind: 'media-state', audio: 'on', video: true })],
    ['an oversized frame', JSON.stringify({ ...chat, text: 'x'.repeat(PEER_MESSAGE_MAX_BYTES) })],
    ['a prototype-polluting frame', '{"__proto__":{"kind":"chat"},"kind":"media-state"}'],
  ])('returns undefined for %s', (_label, frame) => {
    expect(parsePeerMessage(frame)).toBeUndefined();
  });

  it('accepts a chat line of exactly the limit', () => {
    expect(PeerMessage.safeParse({ ...chat, text: 'x'.repeat(CHAT_TEXT_MAX) }).success).toBe(true);
  });
});
