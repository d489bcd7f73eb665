import {
  FileAcceptMessage,
  FileCancelMessage,
  FileDeclineMessage,
  FileOfferMessage,
  FileResultMessage,
  type PeerMessageSchema,
} from '../protocol/index.js';
import type { FileMessage, FileTransfers } from './files/file-transfers.js';
import type { PeerChannel } from './peer-channel.js';
import type { RemotePeer } from './remote-peer.js';

const FILE_MESSAGES: readonly [FileMessage['kind'], PeerMessageSchema<FileMessage>][] = [
  ['file-offer', FileOfferMessage],
  ['file-accept', FileAcceptMessage],
  ['file-decline', FileDeclineMessage],
  ['file-cancel', FileCancelMessage],
  ['file-result', FileResultMessage],
];

/**
 * Routes file messages to the call's transfers, which are loaded at the first one (an offer to us, or our
 * own first file): the page does not download file code for calls that send none. Messages wait, in
 * order, for the module to load.
 */
export function handleFiles(
  channel: PeerChannel,
  files: () => Promise<FileTransfers>,
  onError: (error: unknown) => void,
): () => void {
  const stops = FILE_MESSAGES.map(([kind, schema]) =>
    channel.handle(kind, schema, (peer: RemotePeer, message) => {
      files().then((transfers) => transfers.receive(peer, message), onError);
    }),
  );
  return () => stops.forEach((stop) => stop());
}
