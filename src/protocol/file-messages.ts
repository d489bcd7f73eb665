import * as z from 'zod/mini';

/**
 * Files sent peer to peer. The negotiation of a transfer travels on the call's data channel, as every other
 * peer message (owned by `call/files/`); its bytes travel on a data channel of its own, labelled
 * {@link fileChannelLabel}, so that chat and media state never wait behind a file's chunks.
 *
 * 1. The sender offers (`file-offer`: name, size, type) and waits.
 * 2. The receiver accepts from a byte offset (`file-accept`; 0 at first, what it already has after a broken
 *    connection) or declines (`file-decline`, saying why, and its limit when the file is too large).
 * 3. The sender opens the transfer's channel and sends chunks ({@link encodeChunk}) from that offset, then,
 *    in order behind them on the same channel, the file's SHA-256 (`file-end`). The receiver says how far it
 *    has got on the same channel now and then (`file-received`), for the sender's progress.
 * 4. The receiver compares the SHA-256 of what it received with the sender's and says so (`file-result`).
 * Either side may end it at any time (`file-cancel`).
 */

/** The largest file anyone may announce: 64 GiB (what a disk can take, far more than any memory). */
export const FILE_SIZE_MAX = 64 * 1024 ** 3;
/** Longest file name, in UTF-16 code units. */
export const FILE_NAME_MAX = 255;
/** Bytes of a file in one data-channel message, the offset header not counted. */
export const FILE_CHUNK_BYTES = 64 * 1024;

const TransferId = z.string().check(z.regex(/^[0-9a-f]{8,32}$/));
const Sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const ByteCount = z.number().check(z.int(), z.minimum(0), z.maximum(FILE_SIZE_MAX));

export const FileOfferMessage = z.strictObject({
  kind: z.literal('file-offer'),
  id: TransferId,
  name: z.string().check(z.minLength(1), z.maxLength(FILE_NAME_MAX)),
  size: ByteCount,
  /** The MIME type the sender's browser gave the file; a hint, never trusted to decide how to open it. */
  type: z.string().check(z.maxLength(127)),
});
export type FileOfferMessage = z.infer<typeof FileOfferMessage>;

export const FileAcceptMessage = z.strictObject({
  kind: z.literal('file-accept'),
  id: TransferId,
  /** Where to (re)start: the bytes the receiver already holds. */
  offset: ByteCount,
});
export type FileAcceptMessage = z.infer<typeof FileAcceptMessage>;

export const FILE_DECLINE_REASONS = ['declined', 'too-large', 'busy'] as const;
export type FileDeclineReason = (typeof FILE_DECLINE_REASONS)[number];

export const FileDeclineMessage = z.strictObject({
  kind: z.literal('file-decline'),
  id: TransferId,
  reason: z.enum(FILE_DECLINE_REASONS),
  /** With `too-large`: the largest file this receiver can take. */
  limit: z.optional(ByteCount),
});
export type FileDeclineMessage = z.infer<typeof FileDeclineMessage>;

export const FileCancelMessage = z.strictObject({ kind: z.literal('file-cancel'), id: TransferId });
export type FileCancelMessage = z.infer<typeof FileCancelMessage>;

export const FileResultMessage = z.strictObject({
  kind: z.literal('file-result'),
  id: TransferId,
  /** Whether the SHA-256 of what arrived is the sender's. */
  intact: z.boolean(),
});
export type FileResultMessage = z.infer<typeof FileResultMessage>;

/** On the transfer's own channel, after the last chunk: the whole file's SHA-256. */
export const FileEndMessage = z.strictObject({ kind: z.literal('file-end'), sha256: Sha256Hex });
export type FileEndMessage = z.infer<typeof FileEndMessage>;

/** On the transfer's own channel, from the receiver: the bytes it holds so far. */
export const FileReceivedMessage = z.strictObject({ kind: z.literal('file-received'), bytes: ByteCount });
export type FileReceivedMessage = z.infer<typeof FileReceivedMessage>;

const LABEL_PREFIX = 'file:';

/** The label of a transfer's data channel. */
export function fileChannelLabel(id: string): string {
  return LABEL_PREFIX + id;
}

/** The transfer a data channel's label names, if it names one. */
export function transferOfLabel(label: string): string | undefined {
  if (!label.startsWith(LABEL_PREFIX)) return undefined;
  const id = label.slice(LABEL_PREFIX.length);
  return TransferId.safeParse(id).success ? id : undefined;
}
