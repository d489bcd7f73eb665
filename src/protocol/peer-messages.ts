import * as z from 'zod/mini';

/** Longest chat line, in UTF-16 code units. */
export const CHAT_TEXT_MAX = 2000;
/** Data-channel frames larger than this are dropped unread. */
export const PEER_MESSAGE_MAX_BYTES = 16 * 1024;

/**
 * Messages that peers send each other over the chat data channel. The sender's name is not in them: the
 * receiver knows who is at the other end of the channel from signaling, so a peer cannot speak as another.
 */
export const PeerMessage = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('chat'),
    id: z.string().check(z.minLength(1), z.maxLength(64)),
    text: z.string().check(z.minLength(1), z.maxLength(CHAT_TEXT_MAX)),
    /** Sender's clock, milliseconds since the epoch; shown only as a hint. */
    sentAt: z.number().check(z.int(), z.minimum(0)),
  }),
  z.strictObject({
    kind: z.literal('media-state'),
    audio: z.boolean(),
    video: z.boolean(),
  }),
]);
export type PeerMessage = z.infer<typeof PeerMessage>;

/** Parses one data-channel frame; anything malformed or oversized comes back as `undefined`. */
export function parsePeerMessage(frame: unknown): PeerMessage | undefined {
  if (typeof frame !== 'string' || frame.length > PEER_MESSAGE_MAX_BYTES) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const parsed = PeerMessage.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
