import * as z from 'zod/mini';

/**
 * Which of the sender's transceivers carry its shared screen, by their SDP `mid`: its video and, where the
 * browser captured it, its audio. Empty when the sharing has ended. Sent by the sharer after each negotiation
 * that changed it (owned by `call/screen-share.ts`); a receiver shows those tracks as a screen tile of its own
 * instead of as the person's camera.
 */
export const ScreenShareMessage = z.strictObject({
  kind: z.literal('screen-share'),
  mids: z.array(z.string().check(z.minLength(1), z.maxLength(32))).check(z.maxLength(2)),
});
export type ScreenShareMessage = z.infer<typeof ScreenShareMessage>;
