import {
  CHAT_HISTORY_SHARED,
  ChatHistoryLine,
  ChatHistoryMessage,
  PEER_MESSAGE_MAX_BYTES,
  type PeerId,
  type PeerInfo,
} from '../protocol/index.js';
import type { ChatLine } from './chat.js';
import type { ChannelPeer, PeerChannel } from './peer-channel.js';

/**
 * The chat so far, for someone who joins a call that has been going on: each peer already there may send
 * its latest lines, and the newcomer takes them from one of them. Nothing in it can be checked, since the
 * authors of those lines are not at the other end of the channel (some may have left), so the newcomer
 * shows them apart, as what that one peer says was said ({@link EarlierChatLine}).
 */

/** A chat line shared with us by a peer when we joined. */
export interface EarlierChatLine extends ChatLine {
  own: false;
  earlier: true;
  /** Who shared it, as the server introduced them: the line is this peer's word. */
  via: PeerInfo;
  /**
   * Whether `name` is only what `via` says the author was called, because the author is not someone we
   * know (they left before we came). A page shows such a name marked as told (say "Bob, as Alice says"),
   * since `via` could have written any name there, that of someone in the call among them. When false,
   * `name` is the one the server introduced the author under: `via` itself, or a peer in the call.
   */
  nameTold: boolean;
}

/** What {@link handleChatHistory} needs to know of the call. */
export interface ChatHistoryOptions<Peer extends ChannelPeer> {
  /**
   * Whether to take history from `peer` now (say, only in the first seconds after we joined). Asked for
   * every frame: the first peer whose history is taken is then the only one, and a window that has closed
   * closes for it too.
   */
  accept: (peer: Peer) => boolean;
  /** Our own peer id, once the server has given us one. */
  selfId: () => PeerId | undefined;
  /** The name the server introduced `id` under, when that peer is in the call with us. */
  knownName: (id: PeerId) => string | undefined;
  /** The lines of one frame that were taken, oldest first; never called with none. */
  onLines: (lines: EarlierChatLine[]) => void;
}

const utf8 = new TextEncoder();

/** UTF-8 length of `value` as JSON: what a data channel carries. */
function jsonBytes(value: unknown): number {
  return utf8.encode(JSON.stringify(value)).length;
}

const EMPTY_FRAME_BYTES = jsonBytes({ kind: 'chat-history', lines: [] } satisfies ChatHistoryMessage);

/**
 * Our latest text lines, to send to someone who has just joined, as frames to send one after the other.
 * File lines stay out (the files themselves are not offered again), and so do lines we were told of
 * ourselves (`earlier`): we share only what we saw arrive, or wrote, so a line is never passed on at
 * second hand. A line the schema would refuse (ours, written before the server gave us a name) stays out
 * too, since it would make the peer drop its whole frame.
 */
export function historyToShare(lines: readonly ChatLine[]): ChatHistoryMessage[] {
  const shared: ChatHistoryLine[] = [];
  for (const line of lines) {
    if (line.file !== undefined || line.earlier) continue;
    const { id, from, name, text, sentAt } = line;
    const parsed = ChatHistoryLine.safeParse({ id, from, name, text, sentAt });
    if (parsed.success) shared.push(parsed.data);
  }
  return splitHistory(shared);
}

/**
 * The last {@link CHAT_HISTORY_SHARED} of `lines`, oldest first, as few frames as fit them, each at most
 * `maxBytes` long as JSON. Measured in UTF-8, the bytes the data channel carries: a frame of 16 KiB or
 * less passes everywhere WebRTC runs, and since no character takes fewer bytes in UTF-8 than code units in
 * UTF-16, it also passes the receiver's check of the string's length (`readPeerFrame`). A hundred lines of
 * 2000 Chinese characters (6000 bytes each) go two to a frame.
 *
 * A line that is too long for a frame of its own is left out rather than cut, since a cut line would show
 * under its (sender, id) words its author never wrote. With {@link PEER_MESSAGE_MAX_BYTES} no line the
 * schema accepts is that long: 2000 characters escaped as `\uXXXX` are 12,000 bytes.
 */
export function splitHistory(
  lines: readonly ChatHistoryLine[],
  maxBytes = PEER_MESSAGE_MAX_BYTES,
): ChatHistoryMessage[] {
  const frames: ChatHistoryMessage[] = [];
  let frame: ChatHistoryLine[] = [];
  let bytes = EMPTY_FRAME_BYTES;
  for (const line of lines.slice(-CHAT_HISTORY_SHARED)) {
    const lineBytes = jsonBytes(line);
    if (EMPTY_FRAME_BYTES + lineBytes > maxBytes) continue;
    // A comma before every line but the first of a frame.
    if (frame.length > 0 && bytes + 1 + lineBytes > maxBytes) {
      frames.push({ kind: 'chat-history', lines: frame });
      frame = [];
      bytes = EMPTY_FRAME_BYTES;
    }
    bytes += (frame.length > 0 ? 1 : 0) + lineBytes;
    frame.push(line);
  }
  if (frame.length > 0) frames.push({ kind: 'chat-history', lines: frame });
  return frames;
}

/**
 * Turns the history a peer shares with us into {@link EarlierChatLine}s, from one peer only and at most
 * {@link CHAT_HISTORY_SHARED} lines of it, however many frames it sends.
 *
 * The sharing peer is not to be trusted, and nothing it says of others can be checked, so:
 * - no line is ever ours (`own` is false), and a line it says we wrote is dropped: we know what we said,
 *   and a peer must not put words in our mouth in our own window (a resumed connection keeps our chat,
 *   and a reloaded page gets a new peer id, so such a line can only be false);
 * - the author's name is the one the server gave, when the author is the sharer itself or someone in the
 *   call with us, whatever name the line carries; only for an author we do not know is it the told name,
 *   and then `nameTold` says so;
 * - every line says who shared it (`via`): even under a name the server gave, its words are the sharer's
 *   account of them.
 * Lines seen twice, live and in history, or in two frames, are for `ChatHistory` to drop by (sender, id).
 */
export function handleChatHistory<Peer extends ChannelPeer>(
  channel: PeerChannel<Peer>,
  options: ChatHistoryOptions<Peer>,
): () => void {
  let source: PeerId | undefined;
  let taken = 0;
  return channel.handle('chat-history', ChatHistoryMessage, (peer, message) => {
    const self = options.selfId();
    if (self === undefined || (source !== undefined && source !== peer.info.id) || !options.accept(peer))
      return;
    source = peer.info.id;
    const lines = message.lines.slice(0, CHAT_HISTORY_SHARED - taken);
    taken += lines.length;
    const via: PeerInfo = { id: peer.info.id, name: peer.info.name };
    const earlier: EarlierChatLine[] = [];
    for (const line of lines) {
      if (line.from === self) continue;
      const known = line.from === via.id ? via.name : options.knownName(line.from);
      earlier.push({
        id: line.id,
        from: line.from,
        own: false,
        name: known ?? line.name,
        text: line.text,
        sentAt: line.sentAt,
        earlier: true,
        via,
        nameTold: known === undefined,
      });
    }
    if (earlier.length > 0) options.onLines(earlier);
  });
}
