import type { ParleySocket } from './types.js';

/**
 * The address a socket's requests are counted against (rate limits, password guesses): the TCP peer of the
 * handshake. Behind a reverse proxy that is the proxy itself; see the trust-proxy setting.
 */
export function clientAddress(socket: ParleySocket): string {
  return socket.handshake.address;
}
