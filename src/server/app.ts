import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type Server as HttpsServer, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer } from 'node:net';
import { type Config, describeSetting } from './config/index.js';
import { createRedirectServer, serveBothSchemes } from './https-redirect.js';
import { createHttpApp } from './http.js';
import { type RunningStunServer, startStunServer } from './ice/index.js';
import { type Logger, createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { probeRoutes } from './probes.js';
import { within } from './redis.js';
import { type RegistryTiming, type SharedState, openSharedState } from './shared-state.js';
import { loadSecret } from './secret.js';
import { type PasswordGuessLimit, attachGateway } from './signaling/index.js';
import { FileRevokedResumes, RedisRevokedResumes } from './signaling/revoked-resumes.js';
import { TLS_HANDSHAKE_TIMEOUT_MS, capConnections, tightenTimeouts } from './tcp-limits.js';
import { loadTls } from './tls.js';
import { compileTrustProxy, trustsAnyone } from './trust-proxy.js';

/** How long a metrics scrape waits for Redis to count the rooms. */
const METRICS_REDIS_TIMEOUT_MS = 1_000;

/** A Parley server that is listening. */
export interface RunningServer {
  /** `http(s)://localhost:<port>`, with the real port even when 0 was asked for. */
  url: string;
  port: number;
  /** SHA-256 of the certificate served (HTTPS mode only), as browsers show it. */
  fingerprint256?: string;
  /**
   * Stops taking connections, closes every client's connection so that it reconnects (to another node, or
   * to this one once restarted) and resumes its place, stops timers and closes the listener. Places are not
   * given up: with Redis the other nodes keep them until this node's heartbeat runs out. Idempotent.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Defaults to a logger made from the configuration. */
  logger?: Logger;
  /** The Redis registry's heartbeat and sweep intervals (with `redisUrl`); tests shorten them. */
  registryTiming?: RegistryTiming;
  /** Wrong room passwords allowed per client address and room; tests shorten the window. */
  passwordGuessLimit?: PasswordGuessLimit;
}

/**
 * Starts Parley: HTTPS (or plain HTTP) with the web client and the signaling gateway on one port.
 * Resolves once it is listening.
 *
 * @example
 * const server = await startParley(configFrom({ port: 0 }));
 * console.log(server.url, server.fingerprint256);
 * await server.close();
 */
export async function startParley(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const secret = await loadSecret(config.dataDir, config.secret, logger);
  const tls = config.http ? undefined : await loadTls(config, logger);
  // Memory mode keeps who left in the data dir, so their resume tokens stay refused after a restart.
  const revokedHere =
    config.redisUrl === undefined
      ? await FileRevokedResumes.open(join(config.dataDir, 'revoked-resumes.json'))
      : undefined;

  // Ports first: a start that cannot have its ports fails before it connects to anything or attaches the
  // gateway, so it has nothing to take down but what it opened (and says nothing about clients).
  const stun = config.stunPort > 0 ? await startStun(config, logger) : undefined;
  let shared: SharedState;
  try {
    shared = await openSharedState(config.redisUrl, logger, options.registryTiming);
  } catch (error) {
    await stun?.close();
    throw error;
  }

  let closing: Promise<void> | undefined;
  // The gauges read the gateway, which is attached once listening; they are only read once serving.
  const metrics = new Metrics({
    sockets: () => gateway.io.engine.clientsCount,
    rooms: () => within(shared.registry.roomCount(), METRICS_REDIS_TIMEOUT_MS),
    peers: () => gateway.connectedPeers,
  });
  const probes = probeRoutes({
    notReady: async () => (closing ? 'shutting down' : await shared.unhealthy()),
    metrics: metrics.registry,
    metricsToken: config.metricsToken,
  });
  const trustProxy = compileTrustProxy(config.trustProxy);
  if (trustsAnyone(config.trustProxy))
    logger.warn(
      { trustProxy: config.trustProxy },
      'trust proxy is true or a hop count: clients that connect directly can forge X-Forwarded-For and dodge the per-address limits; give the proxy addresses instead',
    );
  const app = createHttpApp(config, logger, probes, trustProxy);
  // https.Server is an http.Server as far as socket.io and closing are concerned. With TLS, a front server
  // owns the port and hands plain-HTTP connections to a redirect to https.
  const server: HttpServer = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS }, app)
    : createHttpServer(app);
  tightenTimeouts(server);
  const listener: NetServer = tls ? serveBothSchemes(server as HttpsServer) : server;
  capConnections(listener, {
    perAddress: config.maxTcpConnectionsPerIp,
    total: config.maxConnections,
    trustProxy,
    logger,
  });
  let redirect: HttpServer | undefined;
  try {
    await listen(listener, config.port, config.host, 'port');
    if (config.httpRedirectPort !== undefined) {
      redirect = createRedirectServer(tcpAddress(listener).port);
      await listen(redirect, config.httpRedirectPort, config.host, 'httpRedirectPort');
    }
  } catch (error) {
    listener.close();
    await stun?.close();
    await shared.close();
    throw error;
  }
  // Attached in the same tick as the listen callback, before any connection can be handled.
  const gateway = attachGateway(server, {
    registry: shared.registry,
    adapter: shared.adapter,
    logger,
    secret,
    maxPeers: config.maxPeers,
    uploadBudgetKbps: config.uploadBudget,
    resumeWindowMs: config.resumeWindowMs,
    ice: config,
    metrics,
    passwordGuessLimit: options.passwordGuessLimit,
    passwordGuessStore: shared.redis,
    revokedResumes: shared.redis ? new RedisRevokedResumes(shared.redis) : revokedHere,
    edge: {
      allowedOrigins: config.allowedOrigins,
      plainHttp: config.http,
      trustProxy,
      maxConnectionsPerIp: config.maxConnectionsPerIp,
      rates: {
        join: { socket: config.rateJoin, ip: config.rateJoinIp },
        signal: { socket: config.rateSignal, ip: config.rateSignalIp },
        ice: { socket: config.rateIce, ip: config.rateIceIp },
        lobbyIce: config.rateIceLobbyIp,
      },
      inboundEvents: config.rateEvents,
    },
  });
  shared.onExpired((room, peerId) => gateway.announceExpired(room, peerId));
  shared.holdPlaces(() => gateway.places());
  server.on('error', (error) => logger.error({ err: error }, 'server error'));

  const { port } = tcpAddress(listener);
  const url = `${tls ? 'https' : 'http'}://localhost:${port}`;
  logger.info(
    {
      port,
      host: config.host,
      tls: tls?.source ?? 'off',
      fingerprint256: tls?.fingerprint256,
      stunPort: stun?.port ?? 'off',
      turn: config.turnUrls.length > 0,
      icePolicy: config.icePolicy,
    },
    'listening',
  );

  const close = () => {
    closing ??= (async () => {
      // Stop accepting first; socket.io's own close of this server then only finds it closed.
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      redirect?.close();
      // With TLS the https.Server never listened itself: this only stops its timers and idle connections.
      if (listener !== server) server.close();
      // Idle keep-alive connections could still bring a handshake; the gateway refuses those now anyway.
      server.closeIdleConnections();
      await gateway.close();
      await stun?.close();
      await shared.close();
      // Keep-alive connections from the page would otherwise hold the server open.
      server.closeAllConnections();
      await closed;
      logger.info('closed');
      logger.flush();
    })();
    return closing;
  };
  return tls ? { url, port, fingerprint256: tls.fingerprint256, close } : { url, port, close };
}

/**
 * The STUN responder, or an error that names the setting: coturn on the same host already holds UDP 3478,
 * and "EADDRINUSE" alone would not say which of Parley's ports is meant.
 */
async function startStun(config: Config, logger: Logger): Promise<RunningStunServer> {
  try {
    return await startStunServer({ host: config.host, port: config.stunPort, logger });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(
      `cannot answer STUN on UDP ${config.host}:${config.stunPort} (${code}); ` +
        'set --stun-port (PARLEY_STUN_PORT) to a free port, or 0 when coturn runs on this host',
      { cause: error },
    );
  }
}

/**
 * Listens, or fails with one line that names the setting: "EADDRINUSE" alone would not say which of
 * Parley's ports is meant.
 */
async function listen(
  server: NetServer,
  port: number,
  host: string,
  key: 'port' | 'httpRedirectPort',
): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(
      `cannot listen on TCP ${host}:${port} (${code}); set ${describeSetting(key)} to a free port`,
      {
        cause: error,
      },
    );
  }
}

function tcpAddress(server: NetServer): AddressInfo {
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new TypeError('The server is not listening on TCP.');
  return address;
}
