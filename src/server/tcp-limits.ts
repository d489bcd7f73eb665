import type { Server as HttpServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { Logger } from './logger.js';
import { addressKey } from './signaling/client-address.js';
import { RefusalLog } from './signaling/refusal-log.js';
import type { TrustProxy } from './trust-proxy.js';

/**
 * Timeouts for connections that have not become a WebSocket yet. Node's defaults suit servers that take
 * uploads (a request may take 300 s, headers 60 s, a TLS handshake 120 s); Parley takes no body larger
 * than a few kilobytes, so a connection that trickles its headers or handshake is holding a file
 * descriptor, not sending a request. https://nodejs.org/api/http.html#serverheaderstimeout
 */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 15_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** Sets the request timeouts above on the server that parses HTTP. */
export function tightenTimeouts(server: HttpServer): void {
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
}

/**
 * Caps TCP connections at accept time: in all (`maxConnections`, so the process keeps file descriptors for
 * everyone else), and per address (IPv6: per /64). The socket.io handshake limit comes too late for idle
 * or trickling connections, which never reach it; this one closes the connection before TLS or HTTP.
 * A trusted proxy's address is not counted: everyone behind it would share one allowance.
 */
export function capConnections(
  listener: NetServer,
  options: { perAddress: number; total: number; trustProxy: TrustProxy; logger: Logger },
): void {
  listener.maxConnections = options.total;
  if (options.perAddress === 0) return;
  const open = new Map<string, number>();
  const refusals = new RefusalLog(options.logger);
  listener.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || options.trustProxy(address, 0)) return;
    const key = addressKey(address);
    const count = (open.get(key) ?? 0) + 1;
    if (count > options.perAddress) {
      refusals.note('tcp-connection-limit', { limit: options.perAddress });
      socket.destroy();
      return;
    }
    open.set(key, count);
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1;
      if (left === 0) open.delete(key);
      else open.set(key, left);
    });
  });
}
