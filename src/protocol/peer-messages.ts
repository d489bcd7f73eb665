import * as z from 'zod/mini';

/** Data-channel frames larger than this are dropped unread. */
export const PEER_MESSAGE_MAX_BYTES = 16 * 1024;

/**
 * What every message peers send each other over the data channel is: a JSON object with a `kind`. Each kind
 * has its own schema, kept beside the others in this folder and registered with the call's router by the
 * module that owns it, so that adding a kind edits no central list. The sender's name is never in a
 * message: the receiver knows who is at the other end of the channel from signaling, so a peer cannot speak
 * as another.
 */
export const PeerEnvelope = z.looseObject({ kind: z.string().check(z.minLength(1), z.maxLength(64)) });

/** The schema of one kind of peer message. */
export type PeerMessageSchema<M extends { kind: string } = { kind: string }> = z.ZodMiniType<M>;

/** A frame read as far as its envelope: its kind, and the whole JSON for that kind's schema. */
export interface PeerFrame {
  kind: string;
  json: unknown;
}

/** Reads one data-channel frame's envelope; anything oversized, not JSON, or without a kind is `undefined`. */
export function readPeerFrame(frame: unknown): PeerFrame | undefined {
  if (typeof frame !== 'string' || frame.length > PEER_MESSAGE_MAX_BYTES) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return undefined;
  }
  const envelope = PeerEnvelope.safeParse(json);
  return envelope.success ? { kind: envelope.data.kind, json } : undefined;
}

/**
 * Parses one data-channel frame with the schema of its kind, as `schemaOf` finds it; a kind without a
 * schema, and anything malformed or oversized, comes back as `undefined`.
 */
export function parsePeerMessage<M extends { kind: string }>(
  frame: unknown,
  schemaOf: (kind: string) => PeerMessageSchema<M> | undefined,
): M | undefined {
  const read = readPeerFrame(frame);
  const schema = read && schemaOf(read.kind);
  if (!read || !schema) return undefined;
  const parsed = schema.safeParse(read.json);
  // The schema's own literal decides the kind: a schema registered under another kind cannot let it by.
  return parsed.success && parsed.data.kind === read.kind ? parsed.data : undefined;
}
