/**
 * One ECDSA P-256 certificate (what browsers make by default, and the algorithm every one supports), or
 * undefined where it cannot be made: each connection then makes its own.
 * https://w3c.github.io/webrtc-pc/#dom-rtcpeerconnection-generatecertificate
 */
export async function makeCallCertificates(
  Connection: typeof RTCPeerConnection,
): Promise<RTCCertificate[] | undefined> {
  if (typeof Connection.generateCertificate !== 'function') return undefined;
  const algorithm: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
  try {
    return [await Connection.generateCertificate(algorithm)];
  } catch {
    return undefined;
  }
}
