import * as z from 'zod/mini';
import { CHAT_TEXT_MAX } from './chat-message.js';
import { DisplayName, PeerId } from './names.js';

/** How many of the latest chat lines a peer shares with someone who joins after them. */
export const CHAT_HISTORY_SHARED = 100;

/**
 * One earlier chat line as the sharing peer saw it. Unlike a live `chat` message it names its author, since
 * the author is not the peer at the other end of the channel: `from` and `name` are only what the sharer
 * says, and the receiver decides how far to believe them (see `call/chat-history-share.ts`).
 */
export const ChatHistoryLine = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  from: PeerId,
  /** The author's name as the sharer knows it (the server introduced the author to the sharer so). */
  name: DisplayName,
  text: z.string().check(z.minLength(1), z.maxLength(CHAT_TEXT_MAX)),
  /** The author's clock, milliseconds since the epoch; shown only as a hint. */
  sentAt: z.number().check(z.int(), z.minimum(0)),
});
export type ChatHistoryLine = z.infer<typeof ChatHistoryLine>;

/**
 * Part of the chat so far, sent to a peer that has just joined (owned by `call/chat-history-share.ts`),
 * oldest line first. A hundred lines of 2000 characters do not fit one frame of
 * `PEER_MESSAGE_MAX_BYTES`, so the history travels as several of these, each under the limit.
 */
export const ChatHistoryMessage = z.strictObject({
  kind: z.literal('chat-history'),
  lines: z.array(ChatHistoryLine).check(z.maxLength(CHAT_HISTORY_SHARED)),
});
export type ChatHistoryMessage = z.infer<typeof ChatHistoryMessage>;
