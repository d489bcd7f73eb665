/**
 * How loud a peer's microphone is right now, from what the browser already measures for every received RTP
 * packet: `RTCRtpReceiver.getSynchronizationSources()` (https://w3c.github.io/webrtc-pc/#dom-rtcrtpreceiver-getsynchronizationsources),
 * whose `audioLevel` is linear between 0 (silence) and 1 (0 dBov), taken from the RFC 6464 header extension
 * both Chromium and Firefox send. No audio graph per peer, nothing decoded twice.
 *
 * Only the first audio transceiver counts: it carries the microphone (see `attachLocalMedia`); a shared
 * screen's sound must not mark its sharer as speaking.
 */
export function receivedAudioLevel(pc: RTCPeerConnection): number {
  const microphone = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
  // Sources seen in the last 10 s; only the newest says how loud it is now.
  const sources = microphone?.receiver.getSynchronizationSources?.() ?? [];
  let level = 0;
  for (const source of sources)
    if (source.audioLevel !== undefined) level = Math.max(level, source.audioLevel);
  return level;
}
