/** The data channel is pre-negotiated on both sides with this id, so neither side has to create it first. */
export const DATA_CHANNEL_ID = 0;

/**
 * Puts our camera and microphone on a connection, or asks to receive what we lack. Runs before the
 * connection's first offer or answer.
 */
export function attachLocalMedia(pc: RTCPeerConnection, stream: MediaStream | null): void {
  for (const kind of ['audio', 'video'] as const) {
    const track = stream?.getTracks().find((t) => t.kind === kind);
    if (track && stream) {
      // addTrack reuses a transceiver that a remote offer created for this kind, so the answer carries our
      // media without another round of negotiation.
      pc.addTrack(track, stream);
    } else if (pc.getTransceivers().every((t) => t.receiver.track.kind !== kind)) {
      // Without a camera or microphone we still want to receive the other side's.
      pc.addTransceiver(kind, { direction: 'recvonly' });
    }
  }
}

export interface DataChannelHandlers {
  /** The channel opened: the place to send what waited for it. */
  onOpen: (channel: RTCDataChannel) => void;
  /** A frame arrived, unread. */
  onFrame: (frame: unknown) => void;
}

/** Opens the connection's one data channel (chat and every other peer message), negotiated on both sides. */
export function openDataChannel(pc: RTCPeerConnection, handlers: DataChannelHandlers): RTCDataChannel {
  const channel = pc.createDataChannel('chat', { negotiated: true, id: DATA_CHANNEL_ID, ordered: true });
  channel.addEventListener('open', () => handlers.onOpen(channel));
  channel.addEventListener('message', ({ data }) => handlers.onFrame(data));
  return channel;
}
