import * as z from 'zod/mini';

/**
 * The emoji a person can react with. A fixed few, not any text: a reaction floats over the call for a
 * moment, and a free string would let a peer float words, long runs of characters or look-alikes of the
 * page's own badges there.
 */
export const REACTIONS = ['👍', '👏', '😂', '❤️', '🎉', '😮'] as const;
export type Reaction = (typeof REACTIONS)[number];

/** A reaction of the sender's, shown for a moment over their tile (owned by `call/reactions.ts`). */
export const ReactionMessage = z.strictObject({ kind: z.literal('reaction'), emoji: z.enum(REACTIONS) });
export type ReactionMessage = z.infer<typeof ReactionMessage>;

/** Whether the sender's hand is raised, sent each time it changes (owned by `call/reactions.ts`). */
export const HandMessage = z.strictObject({ kind: z.literal('hand'), raised: z.boolean() });
export type HandMessage = z.infer<typeof HandMessage>;
