/**
 * Bytes received over a connection so far, from getStats: the `transport` entries where the browser has
 * them (Chromium, Firefox), else the candidate pairs. Media, data channel and ICE checks all count, so a
 * connection that receives nothing at all is one that is really cut off.
 * https://w3c.github.io/webrtc-stats/#transportstats-dict*
 */
export async function bytesReceived(pc: RTCPeerConnection): Promise<number | undefined> {
  if (pc.connectionState === 'closed') return undefined;
  let report: RTCStatsReport;
  try {
    report = await pc.getStats();
  } catch {
    return undefined;
  }
  let transports: number | undefined;
  let pairs = 0;
  report.forEach((entry: { type?: unknown; bytesReceived?: unknown }) => {
    const bytes = typeof entry.bytesReceived === 'number' ? entry.bytesReceived : 0;
    if (entry.type === 'transport') transports = (transports ?? 0) + bytes;
    else if (entry.type === 'candidate-pair') pairs += bytes;
  });
  return transports ?? pairs;
}
