import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { CLIENT_EVENT_NAMES, type PeerId, type RoomName } from '../../protocol/index.js';
import { NO_METRICS } from '../metrics.js';
import type { Rate } from '../config/index.js';
import type { TrustProxy } from '../trust-proxy.js';
import { handshakeGate } from './handshake.js';
import { inboundCap } from './inbound-cap.js';
import { type SignalingContextOptions, createSignalingContext } from './context.js';
import { registerHandlers } from './handlers.js';
import { type RateLimitSettings, RequestLimits } from './rate-limits.js';
import { RefusalLog } from './refusal-log.js';
import { enqueue } from './register.js';
import type { ParleyServer } from './types.js';
import type { HeldPlace } from '../rooms/index.js';

export interface GatewayOptions extends Omit<SignalingContextOptions, 'io' | 'limits' | 'refusals'> {
  /** Relays events between nodes (the Redis Streams adapter); default: socket.io's in-process one. */
  adapter?: ServerOptions['adapter'] | undefined;
  /** Who may connect and how much they may ask. Default: anyone, without limits. */
  edge?: EdgeOptions | undefined;
}

/** The gateway's defences against hostile clients (see "At the edge" in the README). */
export interface EdgeOptions {
  /** Origins whose pages may connect, as URL.origin writes them; `self` for the page's own origin. */
  allowedOrigins: readonly string[];
  /** Serving plain HTTP behind a proxy: the page's own origin may then be http or https. */
  plainHttp: boolean;
  trustProxy: TrustProxy;
  /** Connections open at once per address (IPv6: per /64); 0 for no limit. */
  maxConnectionsPerIp: number;
  rates: RateLimitSettings;
  /** Inbound events of any kind per connection and window (see {@link inboundCap}). */
  inboundEvents: Rate;
}

export interface Gateway {
  readonly io: ParleyServer;
  /** People in a room whose socket is connected to this node. */
  readonly connectedPeers: number;
  /**
   * Tells a room, on every node, that a peer is gone without this node's doing: the registry removed the
   * member of a node that died.
   */
  announceExpired(room: RoomName, peerId: PeerId): void;
  /** The places this process holds: people connected to it, and those within their resume window. */
  places(): HeldPlace[];
  /** Disconnects every socket and stops every timer. Idempotent. */
  close(): Promise<void>;
}

/** socket.io's options, and why. https://socket.io/docs/v4/server-options/ */
const SOCKET_OPTIONS = {
  // A signal is at most an SDP of 64 KB plus a little JSON; anything much bigger is not ours.
  maxHttpBufferSize: 128 * 1024,
  // Notice a dead connection within ~18 s rather than the default 45 s, so that the resume window
  // starts soon after a laptop lid closes.
  pingInterval: 10_000,
  pingTimeout: 8_000,
  // The page bundles its own client.
  serveClient: false,
  // The page connects over WebSocket only. Long-polling would let any web page open sessions from its
  // visitors' browsers (an <img> or a no-cors fetch sends no Origin) and use up their address's slots.
  transports: ['websocket'],
} satisfies Partial<ServerOptions>;

/**
 * The page's security headers that fit a response that is not a document: nothing in it may be sniffed,
 * framed, run or sent on as a referrer. https://owasp.org/www-project-secure-headers/
 */
const SIGNALING_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
} as const;
/** As helmet sends it with the page. */
const HSTS = 'max-age=31536000; includeSubDomains';

/** Attaches the signaling gateway to an HTTP(S) server. */
export function attachGateway(httpServer: HttpServer, options: GatewayOptions): Gateway {
  const { logger, edge } = options;
  const refusals = new RefusalLog(logger);
  let closing: Promise<void> | undefined;
  const gate = edge
    ? handshakeGate({
        ...edge,
        allowed: edge.allowedOrigins,
        metrics: options.metrics ?? NO_METRICS,
        logger,
        refusals,
        closing: () => closing !== undefined,
      })
    : undefined;
  const io: ParleyServer = new Server(httpServer, {
    ...SOCKET_OPTIONS,
    ...(options.adapter ? { adapter: options.adapter } : {}),
    ...(gate ? { allowRequest: gate.allowRequest } : {}),
  });
  gate?.connections.watch(io.engine);
  // socket.io writes its responses (the WebSocket upgrade above all) itself, past express and helmet.
  io.engine.on('headers', (headers: Record<string, string>) => {
    Object.assign(headers, SIGNALING_HEADERS);
    if (edge && !edge.plainHttp) headers['Strict-Transport-Security'] = HSTS;
  });
  const limits = edge ? new RequestLimits(edge.rates) : undefined;
  const context = createSignalingContext({ io, ...options, limits, refusals });
  const { presence } = context;

  io.on('connection', (socket) => {
    // Before any handler: every inbound event, known or not, spends from the connection's allowance.
    if (edge) socket.use(inboundCap(socket, edge.inboundEvents, logger, refusals, context.metrics));
    registerHandlers(context, socket);
    socket.onAny((event: unknown) => {
      if (!CLIENT_EVENT_NAMES.some((name) => name === event))
        logger.debug({ event }, 'ignored an unknown event');
    });
    socket.on('disconnect', (reason) => {
      limits?.forget(socket.id);
      // The page that asked for a Test call is gone: its echo peer has nobody to echo.
      void context.testCalls?.end(socket.id);
      // After whatever this socket asked for before it went, so a join in progress is finished first.
      enqueue(context, socket, async () => {
        const { peerId, room } = socket.data;
        if (peerId === undefined || room === undefined) return;
        // `client namespace disconnect` is the client's own socket.disconnect(): a goodbye, not a drop.
        if (reason === 'client namespace disconnect') await presence.depart(peerId, room, 'left');
        else presence.dropped(socket);
      });
    });
  });

  return {
    io,
    get connectedPeers() {
      return presence.connectedPeers;
    },
    places: () => presence.places(),
    announceExpired: (room, peerId) => presence.announceExpired(room, peerId),
    close() {
      closing ??= (async () => {
        // Places are kept, not departed: the people here reconnect (to another node, or to this one once it
        // is back) and resume under the same peer id. Closing each transport, unlike a socket.io
        // disconnect, makes socket.io clients reconnect on their own (reason "transport close").
        logger.info({ sockets: io.engine.clientsCount }, 'closing; connected clients will reconnect');
        await context.testCalls?.close();
        presence.close();
        await io.close();
      })();
      return closing;
    },
  };
}
