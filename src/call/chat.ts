import { CHAT_TEXT_MAX, ChatMessage, type PeerId, type PeerInfo } from '../protocol/index.js';
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
  /** A file sent in the chat: the group of its transfers (see `TransferView.group`); `text` is its name. */
  file?: string;
  /**
   * A line from before we joined, as a peer shared it (`call/chat-history-share.ts`), not one we saw
   * arrive: its text, and its author unless that is its sharer, are only that peer's word.
   */
  earlier?: true;
}

/** A random id for our own chat lines, so that a line relayed twice can be recognised. */
export function newMessageId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A line of ours as it is shown here, and as it goes to the others (trimmed, at most CHAT_TEXT_MAX). */
export function ownChatLine(
  self: PeerInfo | undefined,
  text: string,
): { line: ChatLine; message: ChatMessage } {
  const trimmed = text.trim().slice(0, CHAT_TEXT_MAX);
  const line: ChatLine = {
    id: newMessageId(),
    from: self?.id ?? '',
    own: true,
    name: self?.name ?? '',
    text: trimmed,
    sentAt: Date.now(),
  };
  return { line, message: { kind: 'chat', id: line.id, text: trimmed, sentAt: line.sentAt } };
}

/** Turns the chat lines peers send into lines to show, named as the server introduced their sender. */
export function handleChat(channel: PeerChannel, onLine: (line: ChatLine) => void): () => void {
  return channel.handle('chat', ChatMessage, (peer, message) =>
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

/** How many lines a call keeps; older ones are dropped. */
export const CHAT_HISTORY = 500;

/** What tells one line from every other: ids are random per sender, so (sender, id) is unique in a call. */
export function chatLineKey(line: Pick<ChatLine, 'from' | 'id'>): string {
  return `${line.from} ${line.id}`;
}

/**
 * The chat of one call, in the order lines reached us (the senders' clocks are only hints, so they do not
 * reorder it), each line once: a line that arrives again under the same (sender, id) is dropped.
 */
export class ChatHistory {
  #lines: readonly ChatLine[] = [];
  readonly #keys = new Set<string>();

  constructor(readonly limit = CHAT_HISTORY) {}

  /** The lines, oldest first; a new array after each change, so a UI can compare by identity. */
  get lines(): readonly ChatLine[] {
    return this.#lines;
  }

  /**
   * Adds lines from before we joined, as a peer shared them: after any earlier ones already there, before
   * every line seen arrive live. Returns false when none was new.
   */
  addEarlier(earlier: readonly ChatLine[]): boolean {
    const fresh = earlier.filter((line) => !this.#keys.has(chatLineKey(line)));
    if (fresh.length === 0) return false;
    for (const line of fresh) this.#keys.add(chatLineKey(line));
    const before = this.#lines.filter((line) => line.earlier);
    const live = this.#lines.filter((line) => !line.earlier);
    const lines = [...before, ...fresh, ...live];
    for (const dropped of lines.splice(0, Math.max(0, lines.length - this.limit)))
      this.#keys.delete(chatLineKey(dropped));
    this.#lines = lines;
    return true;
  }

  /** Adds a line; false if it was already there. */
  add(line: ChatLine): boolean {
    const key = chatLineKey(line);
    if (this.#keys.has(key)) return false;
    this.#keys.add(key);
    const lines = [...this.#lines, line];
    for (const dropped of lines.splice(0, Math.max(0, lines.length - this.limit)))
      this.#keys.delete(chatLineKey(dropped));
    this.#lines = lines;
    return true;
  }
}
