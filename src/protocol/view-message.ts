import * as z from 'zod/mini';

/** A picture's size on the receiver's screen, in device pixels. 8K is the most any screen shows one tile. */
export const ViewSize = z.strictObject({
  width: z.number().check(z.int(), z.minimum(1), z.maximum(7680)),
  height: z.number().check(z.int(), z.minimum(1), z.maximum(4320)),
});
export type ViewSize = z.infer<typeof ViewSize>;

/**
 * How the receiver shows the sender (owned by `call/quality/`): the sender shares its upload among the copies
 * it sends by what each receiver really shows, and pauses a copy nobody can see. Sent by the receiver each
 * time this changes, and again on every new connection. A peer that never sends one is sent to as before.
 *
 * - `camera`, `screen`: the size of the sender's camera and screen tiles on the receiver's screen; absent
 *   when the receiver does not show them at all.
 * - `hidden`: the receiver's tab is in the background: nothing of the sender is seen.
 * - `pinned`, `speaking`: the receiver pinned the sender's tile, or sees the sender as the one speaking now;
 *   such a copy comes before the others when the upload is short.
 * - `saver`: the receiver is saving data and asks for small copies.
 */
export const ViewMessage = z.strictObject({
  kind: z.literal('view'),
  camera: z.exactOptional(ViewSize),
  screen: z.exactOptional(ViewSize),
  hidden: z.boolean(),
  pinned: z.boolean(),
  speaking: z.boolean(),
  saver: z.boolean(),
});
export type ViewMessage = z.infer<typeof ViewMessage>;
