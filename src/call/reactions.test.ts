import { describe, expect, it } from 'vitest';
import { HandMessage, ReactionMessage } from '../protocol/index.js';
import { PeerChannel } from './peer-channel.js';
import { REACTION_BURST, REACTION_WINDOW_MS, REACTIONS, handleReactions } from './reactions.js';

type FakePeer = { info: { id: string; name: string } };
const ALICE: FakePeer = { info: { id: 'alice-peer-0001', name: 'Alice' } };
const BOB: FakePeer = { info: { id: 'bob-peer-00001', name: 'Bob' } };

/** A channel with reactions handled on it, a clock the test moves, and what was handed over. */
function setup() {
  const channel = new PeerChannel<FakePeer>();
  let time = 1000;
  const reactions: [string, string][] = [];
  const hands: [string, boolean][] = [];
  const off = handleReactions(channel, {
    onReaction: (peer, emoji) => reactions.push([peer, emoji]),
    onHand: (peer, raised) => hands.push([peer, raised]),
    now: () => time,
  });
  const send = (peer: FakePeer, message: unknown) => channel.receive(peer, JSON.stringify(message));
  const react = (peer: FakePeer, emoji = '👍') => send(peer, { kind: 'reaction', emoji });
  const advance = (ms: number) => void (time += ms);
  return { channel, reactions, hands, off, send, react, advance };
}

describe('REACTIONS', () => {
  it('are six distinct emoji, each a valid reaction', () => {
    expect(REACTIONS).toEqual(['👍', '👏', '😂', '❤️', '🎉', '😮']);
    expect(new Set(REACTIONS).size).toBe(6);
    for (const emoji of REACTIONS)
      expect(ReactionMessage.safeParse({ kind: 'reaction', emoji }).success).toBe(true);
  });
});

describe('handleReactions', () => {
  it('hands over each reaction with the id of the peer that sent it', () => {
    const { reactions, react } = setup();
    react(ALICE, '🎉');
    react(BOB, '❤️');
    expect(reactions).toEqual([
      [ALICE.info.id, '🎉'],
      [BOB.info.id, '❤️'],
    ]);
  });

  it('rejects anything but the fixed emoji, and malformed reactions', () => {
    const { channel, reactions, send } = setup();
    for (const message of [
      { kind: 'reaction', emoji: '💩' },
      { kind: 'reaction', emoji: '👍🏻' },
      { kind: 'reaction', emoji: '❤' },
      { kind: 'reaction', emoji: '👍👍' },
      { kind: 'reaction', emoji: 'LOOK HERE' },
      { kind: 'reaction', emoji: '' },
      { kind: 'reaction' },
      { kind: 'reaction', emoji: '👍', from: BOB.info.id },
      { kind: 'reaction', emoji: ['👍'] },
    ])
      send(ALICE, message);
    expect(reactions).toEqual([]);
    expect(channel.rejectedFrom(ALICE)).toBe(9);
  });

  it(`shows at most ${REACTION_BURST} reactions of a peer in ${REACTION_WINDOW_MS} ms, and drops the rest`, () => {
    const { reactions, react, advance } = setup();
    for (let i = 0; i < 20; i++) react(ALICE);
    expect(reactions).toHaveLength(REACTION_BURST);
    advance(REACTION_WINDOW_MS - 1);
    react(ALICE);
    expect(reactions).toHaveLength(REACTION_BURST);
    advance(1);
    for (let i = 0; i < 20; i++) react(ALICE);
    expect(reactions).toHaveLength(2 * REACTION_BURST);
  });

  it('counts only the reactions shown, so that a steady flood still gets a few through', () => {
    const { reactions, react, advance } = setup();
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 50; i++) react(ALICE);
      advance(1000);
    }
    // One burst per window: ten seconds are five windows.
    expect(reactions).toHaveLength(5 * REACTION_BURST);
  });

  it('limits each peer on its own', () => {
    const { reactions, react } = setup();
    for (let i = 0; i < 20; i++) react(BOB);
    react(ALICE, '😮');
    expect(reactions.filter(([peer]) => peer === BOB.info.id)).toHaveLength(REACTION_BURST);
    expect(reactions.filter(([peer]) => peer === ALICE.info.id)).toEqual([[ALICE.info.id, '😮']]);
  });

  it('keeps a sliding window: a reaction becomes possible again as each old one leaves it', () => {
    const { reactions, react, advance } = setup();
    for (let i = 0; i < REACTION_BURST; i++) {
      react(ALICE);
      advance(300);
    }
    react(ALICE);
    expect(reactions).toHaveLength(REACTION_BURST);
    advance(REACTION_WINDOW_MS - 5 * 300);
    react(ALICE);
    react(ALICE);
    expect(reactions).toHaveLength(REACTION_BURST + 1);
  });

  it('hands over every raised and lowered hand, however many', () => {
    const { hands, send } = setup();
    for (let i = 0; i < 20; i++) send(ALICE, { kind: 'hand', raised: i % 2 === 0 });
    send(BOB, { kind: 'hand', raised: true });
    expect(hands).toHaveLength(21);
    expect(hands.at(-2)).toEqual([ALICE.info.id, false]);
    expect(hands.at(-1)).toEqual([BOB.info.id, true]);
  });

  it('rejects malformed hands', () => {
    const { channel, hands, send } = setup();
    for (const message of [
      { kind: 'hand' },
      { kind: 'hand', raised: 'yes' },
      { kind: 'hand', raised: 1 },
      { kind: 'hand', raised: true, peer: BOB.info.id },
    ])
      send(ALICE, message);
    expect(hands).toEqual([]);
    expect(channel.rejectedFrom(ALICE)).toBe(4);
    expect(HandMessage.safeParse({ kind: 'hand', raised: false }).success).toBe(true);
  });

  it('stops handling both kinds once removed', () => {
    const { channel, reactions, hands, off, react, send } = setup();
    off();
    react(ALICE);
    send(ALICE, { kind: 'hand', raised: true });
    expect(reactions).toEqual([]);
    expect(hands).toEqual([]);
    expect(channel.rejectedFrom(ALICE)).toBe(2);
  });
});
