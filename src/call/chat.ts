import type { PeerId } from '../protocol/index.js';
import type { PeerChannel } from './peer-channel.js';

/** A chat line as the UI shows it. `text` is shown as text, never as markup. */
export interface ChatLine {
  id: string;
  /** The author's peer id. */
  from: PeerId;
  /** Whether we wrote it. */
  own: boolean;
  /** The author's name as the server introduced them; a peer cannot choose what name its lines carry. */
  name: string;
  text: string;
  /** When the line was sent (sender's clock for remote lines). */
  sentAt: number;
}

/** A random id for our own chat lines, so that a line relayed twice can be recognised. */
export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Turns the chat lines peers send into lines to show, named as the server introduced their sender. */
export function handleChat(channel: PeerChannel, onLine: (line: ChatLine) => void): () => void {
  return channel.handle('chat', (peer, message) =>
    onLine({
      id: message.id,
      from: peer.info.id,
      own: false,
      name: peer.info.name,
      text: message.text,
      sentAt: message.sentAt,
    }),
  );
}
