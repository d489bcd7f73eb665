import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger.js';
import type { HandshakeRefusal, SignalingMetrics } from '../metrics.js';
import type { TrustProxy } from '../trust-proxy.js';
import { addressKey, rememberAddress } from './client-address.js';
import { ConnectionLimit } from './connection-limit.js';
import { type OriginPolicy, judgeOrigin } from './origin.js';
import type { RefusalLog } from './refusal-log.js';

export interface HandshakeOptions extends OriginPolicy {
  trustProxy: TrustProxy;
  /** Connections open at once per address (IPv6: per /64); 0 for no limit. */
  maxConnectionsPerIp: number;
  metrics: SignalingMetrics;
  logger: Logger;
  refusals: RefusalLog;
  /** True once the server is shutting down: new connections belong on another node. */
  closing(): boolean;
}

/** What a refused client reads (engine.io sends it as the 403 body of a polling handshake). */
const REFUSAL_TEXT: Record<HandshakeRefusal, string> = {
  origin: 'This page may not connect to this Parley server (its Origin is not allowed).',
  'connection-limit': 'Too many connections from your address. Close some Parley tabs and try again.',
  'shutting-down': 'This server is shutting down. Try again in a moment.',
};

/**
 * socket.io's `allowRequest`: the one gate every new connection passes, for polling and for the WebSocket
 * upgrade alike (https://socket.io/docs/v4/server-options/#allowrequest). It decides before any socket.io
 * socket exists: a refused client costs one HTTP exchange. The checks, in order: the server is not
 * shutting down, the Origin is allowed, the address has a connection left.
 */
export function handshakeGate(options: HandshakeOptions) {
  const connections = new ConnectionLimit(options.maxConnectionsPerIp);
  const refuse = (
    reason: HandshakeRefusal,
    callback: (error: string | null | undefined, success: boolean) => void,
    fields: Record<string, unknown> = {},
  ) => {
    options.metrics.handshakeRefused(reason);
    // Shutting down is ours, not the client's doing: no need to name anyone.
    if (reason === 'shutting-down') options.logger.debug('refused a connection while shutting down');
    else options.refusals.note(reason, fields);
    callback(REFUSAL_TEXT[reason], false);
  };

  const allowRequest = (
    request: IncomingMessage,
    callback: (error: string | null | undefined, success: boolean) => void,
  ): void => {
    const address = rememberAddress(request, options.trustProxy);
    if (options.closing()) return refuse('shutting-down', callback);
    const origin = request.headers.origin;
    const verdict = judgeOrigin(origin, forwardedHost(request, options.trustProxy), options);
    if (verdict === 'refused') {
      return refuse('origin', callback, { origin: escapeControls(origin?.slice(0, 200)) });
    }
    if (verdict === 'missing') options.logger.trace('a connection without Origin (not a browser page)');
    const key = addressKey(address);
    if (!connections.take(key, request)) {
      return refuse('connection-limit', callback, { limit: connections.max });
    }
    callback(null, true);
  };
  return { allowRequest, connections };
}

/**
 * The host the client asked for: a trusted proxy's X-Forwarded-Host (as express's `req.hostname` reads it),
 * else the Host header.
 */
function forwardedHost(request: IncomingMessage, trust: TrustProxy): string | undefined {
  const forwarded = request.headers['x-forwarded-host'];
  const peer = request.socket.remoteAddress;
  if (typeof forwarded === 'string' && peer !== undefined && trust(peer, 0)) {
    return forwarded.split(',')[0]?.trim() || undefined;
  }
  return request.headers.host;
}

/**
 * A header as a log may repeat it: control characters written as `\xNN`, so a crafted Origin cannot
 * move a terminal's cursor or fake a log line for whoever reads the log.
 */
export function escapeControls(value: string | undefined): string | undefined {
  return value?.replace(/\p{Cc}/gu, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
