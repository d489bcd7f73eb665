import { describe, expect, it } from 'vitest';
import {
  CHAT_HISTORY_SHARED,
  CHAT_TEXT_MAX,
  ChatHistoryMessage,
  PEER_MESSAGE_MAX_BYTES,
  parsePeerMessage,
  type ChatHistoryLine,
} from '../protocol/index.js';
import { ChatHistory, type ChatLine } from './chat.js';
import {
  handleChatHistory,
  historyToShare,
  splitHistory,
  type ChatHistoryOptions,
  type EarlierChatLine,
} from './chat-history-share.js';
import { PeerChannel } from './peer-channel.js';

type FakePeer = { info: { id: string; name: string } };
const ME = { id: 'me-peer-000001', name: 'Me' };
const ALICE: FakePeer = { info: { id: 'alice-peer-0001', name: 'Alice' } };
const BOB: FakePeer = { info: { id: 'bob-peer-00001', name: 'Bob' } };
const CAROL = { id: 'carol-peer-001', name: 'Carol' };

const line = (from: { id: string; name: string }, id: string, text = `line ${id}`): ChatLine => ({
  id,
  from: from.id,
  own: from.id === ME.id,
  name: from.name,
  text,
  sentAt: 1_700_000_000_000,
});

const historyLine = (
  from: { id: string; name: string },
  id: string,
  text = `line ${id}`,
): ChatHistoryLine => ({
  id,
  from: from.id,
  name: from.name,
  text,
  sentAt: 1_700_000_000_000,
});

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** A channel with the history handler on it, and what it handed over. */
function receiver(options: Partial<ChatHistoryOptions<FakePeer>> = {}) {
  const channel = new PeerChannel<FakePeer>();
  const received: EarlierChatLine[][] = [];
  const known = new Map([ALICE.info, BOB.info].map((peer) => [peer.id, peer.name]));
  handleChatHistory(channel, {
    accept: () => true,
    selfId: () => ME.id,
    knownName: (id) => known.get(id),
    onLines: (lines) => received.push(lines),
    ...options,
  });
  const send = (peer: FakePeer, message: unknown) => channel.receive(peer, JSON.stringify(message));
  return { channel, received, send, lines: () => received.flat() };
}

describe('historyToShare', () => {
  it('shares our latest text lines, ours among them, oldest first, and leaves files and hearsay out', () => {
    const lines: ChatLine[] = [
      line(ALICE.info, 'a1'),
      { ...line(ME, 'f1', 'photo.jpg'), file: 'group-1' },
      line(ME, 'm1'),
      { ...line(CAROL, 'c0'), earlier: true },
      line(BOB.info, 'b1'),
    ];
    expect(historyToShare(lines)).toEqual([
      {
        kind: 'chat-history',
        lines: [historyLine(ALICE.info, 'a1'), historyLine(ME, 'm1'), historyLine(BOB.info, 'b1')],
      },
    ]);
  });

  it('shares only the last hundred lines', () => {
    const lines = Array.from({ length: 250 }, (_, i) => line(ALICE.info, `a${i}`));
    const shared = historyToShare(lines).flatMap((frame) => frame.lines);
    expect(shared).toHaveLength(CHAT_HISTORY_SHARED);
    expect(shared[0]?.id).toBe('a150');
    expect(shared.at(-1)?.id).toBe('a249');
  });

  it('leaves out a line the peer would refuse, so that the rest of its frame gets through', () => {
    const lines: ChatLine[] = [
      { ...line(ME, 'm0'), from: '', name: '' },
      { ...line(ALICE.info, 'a1'), text: 'x'.repeat(CHAT_TEXT_MAX + 1) },
      line(ALICE.info, 'a2'),
    ];
    expect(historyToShare(lines).flatMap((frame) => frame.lines.map((each) => each.id))).toEqual(['a2']);
  });

  it('shares nothing when there is nothing to share', () => {
    expect(historyToShare([])).toEqual([]);
    expect(historyToShare([{ ...line(ME, 'f'), file: 'g' }])).toEqual([]);
  });

  it('splits a hundred lines of 2000 Chinese characters into frames that each pass the receiver', () => {
    const text = '中文聊天记录'.repeat(400).slice(0, CHAT_TEXT_MAX);
    const lines = Array.from({ length: CHAT_HISTORY_SHARED }, (_, i) => line(ALICE.info, `a${i}`, text));
    const frames = historyToShare(lines);
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) {
      const json = JSON.stringify(frame);
      expect(utf8Bytes(json)).toBeLessThanOrEqual(PEER_MESSAGE_MAX_BYTES);
      expect(json.length).toBeLessThanOrEqual(PEER_MESSAGE_MAX_BYTES);
      expect(parsePeerMessage(json, () => ChatHistoryMessage)).toEqual(frame);
    }
    // 6000 bytes a line: two fit in 16 KiB, three do not.
    expect(frames.map((frame) => frame.lines.length)).toEqual(Array(50).fill(2));
    expect(frames.flatMap((frame) => frame.lines.map((each) => each.id))).toEqual(lines.map((l) => l.id));
  });

  it('fits even the longest line the schema accepts, every character escaped, in a frame', () => {
    const escaped = '\u0001'.repeat(CHAT_TEXT_MAX);
    const longest = { ...line(ALICE.info, 'x'.repeat(64), escaped), sentAt: Number.MAX_SAFE_INTEGER };
    const frames = historyToShare([longest, longest, { ...longest, id: 'y'.repeat(64) }]);
    expect(frames.map((frame) => frame.lines.length)).toEqual([1, 1, 1]);
    for (const frame of frames)
      expect(utf8Bytes(JSON.stringify(frame))).toBeLessThanOrEqual(PEER_MESSAGE_MAX_BYTES);
  });
});

describe('splitHistory', () => {
  it('packs lines up to the byte limit exactly, and leaves out one that fits no frame', () => {
    const a = historyLine(ALICE.info, 'a', 'short');
    const b = historyLine(ALICE.info, 'b', 'short');
    const huge = historyLine(ALICE.info, 'h', 'long '.repeat(100));
    const two = utf8Bytes(JSON.stringify({ kind: 'chat-history', lines: [a, b] }));
    expect(splitHistory([a, b], two)).toEqual([{ kind: 'chat-history', lines: [a, b] }]);
    expect(splitHistory([a, huge, b], two - 1)).toEqual([
      { kind: 'chat-history', lines: [a] },
      { kind: 'chat-history', lines: [b] },
    ]);
  });
});

describe('handleChatHistory', () => {
  it('shows the lines of the peer that shared them as earlier lines, none of them ours', () => {
    const { send, lines } = receiver();
    send(ALICE, {
      kind: 'chat-history',
      lines: [historyLine(ALICE.info, 'a1', '早上好'), historyLine(BOB.info, 'b1')],
    });
    expect(lines()).toEqual([
      {
        ...historyLine(ALICE.info, 'a1', '早上好'),
        own: false,
        earlier: true,
        via: ALICE.info,
        nameTold: false,
      },
      { ...historyLine(BOB.info, 'b1'), own: false, earlier: true, via: ALICE.info, nameTold: false },
    ]);
  });

  it('names a known author as the server did, and marks a name only the sharer told', () => {
    const { send, lines } = receiver();
    send(ALICE, {
      kind: 'chat-history',
      lines: [
        { ...historyLine(ALICE.info, 'a1'), name: 'The Host' },
        { ...historyLine(BOB.info, 'b1'), name: 'Alice' },
        historyLine(CAROL, 'c1'),
        { ...historyLine(CAROL, 'c2'), name: 'Bob' },
      ],
    });
    expect(lines().map(({ from, name, nameTold, via }) => ({ from, name, nameTold, via: via.id }))).toEqual([
      { from: ALICE.info.id, name: 'Alice', nameTold: false, via: ALICE.info.id },
      { from: BOB.info.id, name: 'Bob', nameTold: false, via: ALICE.info.id },
      { from: CAROL.id, name: 'Carol', nameTold: true, via: ALICE.info.id },
      { from: CAROL.id, name: 'Bob', nameTold: true, via: ALICE.info.id },
    ]);
  });

  it('drops a line the peer says we wrote', () => {
    const { send, lines } = receiver();
    send(ALICE, {
      kind: 'chat-history',
      lines: [historyLine(ME, 'm1', 'I owe Alice 100 euros'), historyLine(ALICE.info, 'a1')],
    });
    expect(lines().map((each) => each.id)).toEqual(['a1']);
    expect(lines().some((each) => each.own)).toBe(false);
  });

  it('takes nothing before the server has told us who we are', () => {
    const { send, received } = receiver({ selfId: () => undefined });
    send(ALICE, { kind: 'chat-history', lines: [historyLine(ALICE.info, 'a1')] });
    expect(received).toEqual([]);
  });

  it('rejects malformed history, and shows none of it', () => {
    const { channel, send, received } = receiver();
    const good = historyLine(ALICE.info, 'a1');
    for (const message of [
      { kind: 'chat-history' },
      { kind: 'chat-history', lines: 'not a list' },
      { kind: 'chat-history', lines: [good], extra: true },
      { kind: 'chat-history', lines: [{ ...good, own: true }] },
      { kind: 'chat-history', lines: [{ ...good, from: 'x' }] },
      { kind: 'chat-history', lines: [{ ...good, from: 'has spaces in it' }] },
      { kind: 'chat-history', lines: [{ ...good, name: '' }] },
      { kind: 'chat-history', lines: [{ ...good, name: 'Bob\u202e' }] },
      { kind: 'chat-history', lines: [{ ...good, id: '' }] },
      { kind: 'chat-history', lines: [{ ...good, text: '' }] },
      { kind: 'chat-history', lines: [{ ...good, text: 'x'.repeat(CHAT_TEXT_MAX + 1) }] },
      { kind: 'chat-history', lines: [{ ...good, sentAt: -1 }] },
      { kind: 'chat-history', lines: [{ ...good, sentAt: 1.5 }] },
      { kind: 'chat-history', lines: Array(CHAT_HISTORY_SHARED + 1).fill(good) },
    ])
      send(ALICE, message);
    channel.receive(ALICE, 'x'.repeat(PEER_MESSAGE_MAX_BYTES + 1));
    expect(received).toEqual([]);
    expect(channel.rejectedFrom(ALICE)).toBe(15);
  });

  it('takes at most a hundred lines, however many frames they come in', () => {
    const { send, lines } = receiver();
    for (let frame = 0; frame < 3; frame++)
      send(ALICE, {
        kind: 'chat-history',
        lines: Array.from({ length: 60 }, (_, i) => historyLine(ALICE.info, `a${frame * 60 + i}`)),
      });
    expect(lines()).toHaveLength(CHAT_HISTORY_SHARED);
    expect(lines().at(-1)?.id).toBe('a99');
  });

  it('counts the lines it dropped towards the hundred', () => {
    const { send, lines } = receiver();
    send(ALICE, {
      kind: 'chat-history',
      lines: Array.from({ length: CHAT_HISTORY_SHARED }, (_, i) => historyLine(ME, `m${i}`)),
    });
    send(ALICE, { kind: 'chat-history', lines: [historyLine(ALICE.info, 'a1')] });
    expect(lines()).toEqual([]);
  });

  it('takes history from the first peer that sends it, and from no other', () => {
    const { send, lines } = receiver();
    send(ALICE, { kind: 'chat-history', lines: [historyLine(ALICE.info, 'a1')] });
    send(BOB, { kind: 'chat-history', lines: [historyLine(BOB.info, 'b1')] });
    send(ALICE, { kind: 'chat-history', lines: [historyLine(ALICE.info, 'a2')] });
    expect(lines().map((each) => each.id)).toEqual(['a1', 'a2']);
  });

  it('asks accept() for every frame: a peer it refuses does not become the source, and a closed window stays shut', () => {
    let open = true;
    const { send, lines } = receiver({ accept: (peer) => open && peer !== BOB });
    send(BOB, { kind: 'chat-history', lines: [historyLine(BOB.info, 'b1')] });
    send(ALICE, { kind: 'chat-history', lines: [historyLine(ALICE.info, 'a1')] });
    open = false;
    send(ALICE, { kind: 'chat-history', lines: [historyLine(ALICE.info, 'a2')] });
    expect(lines().map((each) => each.id)).toEqual(['a1']);
  });

  it('round-trips what historyToShare sends', () => {
    const { send, lines } = receiver();
    const ours = [line(ALICE.info, 'a1', '你好'), line(BOB.info, 'b1', 'hi'), line(CAROL, 'c1', 'bye')];
    for (const frame of historyToShare(ours)) send(ALICE, frame);
    expect(lines().map(({ from, name, text }) => ({ from, name, text }))).toEqual(
      ours.map(({ from, name, text }) => ({ from, name, text })),
    );
  });

  it('leaves lines seen twice, live and in history or in two frames, for ChatHistory to drop', () => {
    const chat = new ChatHistory();
    chat.add(line(BOB.info, 'b1', 'said live'));
    const { send } = receiver({ onLines: (lines) => lines.forEach((each) => chat.add(each)) });
    const repeated = historyLine(ALICE.info, 'a1');
    send(ALICE, {
      kind: 'chat-history',
      lines: [historyLine(BOB.info, 'b1', 'said live'), repeated, repeated],
    });
    send(ALICE, { kind: 'chat-history', lines: [repeated] });
    expect(chat.lines.map((each) => [each.from, each.id, each.earlier ?? false])).toEqual([
      [BOB.info.id, 'b1', false],
      [ALICE.info.id, 'a1', true],
    ]);
  });

  it('stops taking history once removed', () => {
    const channel = new PeerChannel<FakePeer>();
    const received: unknown[] = [];
    const off = handleChatHistory(channel, {
      accept: () => true,
      selfId: () => ME.id,
      knownName: () => undefined,
      onLines: (lines) => received.push(lines),
    });
    off();
    channel.receive(ALICE, JSON.stringify({ kind: 'chat-history', lines: [historyLine(ALICE.info, 'a1')] }));
    expect(received).toEqual([]);
    expect(channel.rejectedFrom(ALICE)).toBe(1);
  });
});
