/**
 * What a joining client is told about ICE: the built-in STUN responder under the host name the client
 * itself used to reach us (the one address we know it can resolve), TURN with credentials minted for this
 * peer, and the transport policy. The TURN secret stays here.
 */
import type { IceServer, IceTransportPolicy } from '../../protocol/index.js';
import { iceServersFor } from './turn-credentials.js';

export interface IceSettings {
  /** The STUN responder's UDP port; 0 when it is off. */
  stunPort: number;
  turnUrls: readonly string[];
  turnSecret?: string | undefined;
  /** Seconds. */
  turnTtl: number;
  icePolicy: IceTransportPolicy;
}

export interface JoinIce {
  iceServers: IceServer[];
  iceTransportPolicy: IceTransportPolicy;
}

/**
 * @param hostHeader the Host header of the socket's handshake, as the client sent it (untrusted).
 * @example
 * joinIce({ stunPort: 3478, turnUrls: [], turnTtl: 86400, icePolicy: 'all' }, peerId, 'chat.example.org:8443')
 * // → { iceServers: [{ urls: ['stun:chat.example.org:3478'] }], iceTransportPolicy: 'all' }
 */
export function joinIce(
  settings: IceSettings,
  peerId: string,
  hostHeader: string | undefined,
  now?: number,
): JoinIce {
  const host = settings.stunPort > 0 ? hostnameOf(hostHeader) : undefined;
  return {
    iceServers: iceServersFor({
      stunUrls: host === undefined ? [] : [`stun:${host}:${settings.stunPort}`],
      turnUrls: settings.turnUrls,
      turnSecret: settings.turnSecret,
      ttlSeconds: settings.turnTtl,
      peerId,
      ...(now === undefined ? {} : { now }),
    }),
    iceTransportPolicy: settings.icePolicy,
  };
}

/**
 * The host name of a Host header (`name`, `name:port`, `[v6]:port`), IPv6 brackets kept as a URL needs
 * them; undefined when the header is missing or is not a host. Parsed by the URL parser rather than by
 * hand, so nothing but a host name can end up in the STUN URL.
 */
export function hostnameOf(hostHeader: string | undefined): string | undefined {
  // `evil.org/x`, `a@b` and the like parse, but are not a bare host[:port].
  if (hostHeader === undefined || !/^[^/?#@\\\s]+$/.test(hostHeader)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${hostHeader}`);
  } catch {
    return undefined;
  }
  return url.hostname === '' ? undefined : url.hostname;
}
