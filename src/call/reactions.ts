import { HandMessage, ReactionMessage, type PeerId, type Reaction } from '../protocol/index.js';
import type { ChannelPeer, PeerChannel } from './peer-channel.js';

export { REACTIONS, type Reaction } from '../protocol/index.js';

/** How many reactions of one peer are shown within {@link REACTION_WINDOW_MS}; the rest are dropped. */
export const REACTION_BURST = 5;
export const REACTION_WINDOW_MS = 2000;

export interface ReactionHandlers {
  /** A peer reacted: shown for a moment over its tile. */
  onReaction: (peer: PeerId, emoji: Reaction) => void;
  /** A peer raised or lowered its hand. */
  onHand: (peer: PeerId, raised: boolean) => void;
  /** Milliseconds on a clock that only goes forward; default `performance.now`. */
  now?: () => number;
}

/**
 * Hands over the reactions and raised hands peers send. A peer may hold its reaction button down, or send
 * reactions by script, so each peer's are limited to {@link REACTION_BURST} in any
 * {@link REACTION_WINDOW_MS}: a burst of applause gets through, a flood of floating emoji does not. Only
 * the reactions shown count, so a peer that keeps flooding still gets its few through.
 *
 * Hands are not limited: a hand is a state, and dropping its last change would leave it up, or down, for
 * good. Every message says the whole state, so a flood of them costs no more than one each.
 */
export function handleReactions<Peer extends ChannelPeer>(
  channel: PeerChannel<Peer>,
  handlers: ReactionHandlers,
): () => void {
  const now = handlers.now ?? (() => performance.now());
  /** When each peer's shown reactions were, within the window. */
  const shown = new WeakMap<Peer, number[]>();
  const offReaction = channel.handle('reaction', ReactionMessage, (peer, message) => {
    const at = now();
    const recent = (shown.get(peer) ?? []).filter((then) => at - then < REACTION_WINDOW_MS);
    shown.set(peer, recent);
    if (recent.length >= REACTION_BURST) return;
    recent.push(at);
    handlers.onReaction(peer.info.id, message.emoji);
  });
  const offHand = channel.handle('hand', HandMessage, (peer, message) =>
    handlers.onHand(peer.info.id, message.raised),
  );
  return () => {
    offReaction();
    offHand();
  };
}
