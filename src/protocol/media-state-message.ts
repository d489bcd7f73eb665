import * as z from 'zod/mini';

/** Whether a peer's microphone and camera are on, as it says (owned by `call/remote-peer.ts`). */
export const MediaStateMessage = z.strictObject({
  kind: z.literal('media-state'),
  audio: z.boolean(),
  video: z.boolean(),
});
export type MediaStateMessage = z.infer<typeof MediaStateMessage>;
