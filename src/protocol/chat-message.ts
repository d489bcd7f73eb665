import * as z from 'zod/mini';

/** Longest chat line, in UTF-16 code units. */
export const CHAT_TEXT_MAX = 2000;

/** A chat line, as a peer sends it over the data channel (owned by `call/chat.ts`). */
export const ChatMessage = z.strictObject({
  kind: z.literal('chat'),
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  text: z.string().check(z.minLength(1), z.maxLength(CHAT_TEXT_MAX)),
  /** Sender's clock, milliseconds since the epoch; shown only as a hint. */
  sentAt: z.number().check(z.int(), z.minimum(0)),
});
export type ChatMessage = z.infer<typeof ChatMessage>;
