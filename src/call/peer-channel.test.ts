import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakePeerConnection, installFakeMediaStream } from '../../test/support/fake-rtc.js';
import * as z from 'zod/mini';
import { ChatMessage, MediaStateMessage } from '../protocol/index.js';
import { PeerChannel } from './peer-channel.js';
import { PeerSession } from './peer-session.js';

const BOB = { info: { id: 'bob-peer-00001', name: 'Bob' } };

describe('PeerChannel', () => {
  let uninstall: () => void;
  beforeAll(() => void (uninstall = installFakeMediaStream()));
  afterAll(() => uninstall());
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('counts and drops malformed chat-channel frames, and delivers the good ones', async () => {
    const peer = new PeerSession({
      remote: BOB.info,
      polite: false,
      role: 'offerer',
      localStream: null,
      iceServers: [],
      iceTransportPolicy: 'all',
      RTCPeerConnection: FakePeerConnection as unknown as typeof RTCPeerConnection,
      sendSignal: () => {},
    });
    const router = new PeerChannel<typeof BOB>();
    peer.on('frame', (frame) => router.receive(BOB, frame));
    await vi.advanceTimersByTimeAsync(0);
    const messages: unknown[] = [];
    const rejected: number[] = [];
    router.handle('chat', ChatMessage, (_from, message) => messages.push(message));
    router.handle('media-state', MediaStateMessage, (_from, message) => messages.push(message));
    router.on('rejected', ({ count }) => rejected.push(count));
    const channel = (peer.pc as unknown as FakePeerConnection).channel!;
    channel.open();
    for (const data of [
      'not json',
      '{"kind":"chat"}',
      JSON.stringify({ kind: 'chat', id: 'm1', text: 'x'.repeat(100_000), sentAt: 1 }),
      '{"kind":"media-state","audio":true,"video":false,"__proto__":{"admin":true}}',
      JSON.stringify({ kind: 'media-state', audio: true, video: false }),
      JSON.stringify({ kind: 'chat', id: 'm2', text: 'hello', sentAt: 2 }),
    ])
      channel.dispatchEvent(new MessageEvent('message', { data }));
    expect(messages).toEqual([
      { kind: 'media-state', audio: true, video: false },
      { kind: 'chat', id: 'm2', text: 'hello', sentAt: 2 },
    ]);
    expect(rejected).toEqual([1, 2, 3, 4]);
    expect(router.rejectedFrom(BOB)).toBe(4);
  });

  it('takes a new kind from its owner alone, and drops kinds nobody handles', () => {
    const router = new PeerChannel<typeof BOB>();
    const Reaction = z.strictObject({ kind: z.literal('reaction'), emoji: z.string() });
    const reactions: string[] = [];
    const errors: unknown[] = [];
    router.on('error', (error) => errors.push(error));
    const off = router.handle('reaction', Reaction, (_from, message) => reactions.push(message.emoji));
    router.receive(BOB, JSON.stringify({ kind: 'reaction', emoji: '👍' }));
    off();
    router.receive(BOB, JSON.stringify({ kind: 'reaction', emoji: '👎' }));
    router.receive(BOB, JSON.stringify({ kind: 'reaction', emoji: '👎' }));
    expect(reactions).toEqual(['👍']);
    expect(router.rejectedFrom(BOB)).toBe(2);
    expect(errors).toHaveLength(1);
  });

  it('refuses a second handler for a kind, and a schema of another kind', () => {
    const router = new PeerChannel<typeof BOB>();
    router.handle('chat', ChatMessage, () => {});
    expect(() => router.handle('chat', ChatMessage, () => {})).toThrow(TypeError);
    const delivered: unknown[] = [];
    // A schema registered under the wrong kind does not compile, and at run time lets nothing through.
    // @ts-expect-error: the chat schema is not the schema of `media-state`.
    router.handle('media-state', ChatMessage, (_from, message) => delivered.push(message));
    router.receive(BOB, JSON.stringify({ kind: 'media-state', audio: true, video: true }));
    expect(delivered).toEqual([]);
  });
});
