import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Config } from './config/index.js';
import type { Logger } from './logger.js';
import { RefusalLog } from './signaling/refusal-log.js';
import type { TrustProxy } from './trust-proxy.js';
import { WebFiles } from './web-files.js';

/** Who may use what: the page itself, no one else (https://www.w3.org/TR/permissions-policy/). */
const PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), display-capture=(self), compute-pressure=(self)';

/** A Host header we are willing to repeat inside the CSP: a name or address and maybe a port. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The express app: security headers, the built client, a health check. socket.io is attached to the same
 * HTTP server beside it, not through it.
 */
export function createHttpApp(
  config: Pick<Config, 'webRoot' | 'http'>,
  logger: Logger,
  probes?: express.Router,
  trustProxy: TrustProxy = () => false,
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The same function as the signaling side, so req.ip and the sockets' addresses always agree.
  app.set('trust proxy', trustProxy);
  app.use(securityHeaders(config.http));
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  // Before compression: the page's files are compressed once, when read.
  const web = new WebFiles(config.webRoot);
  // The page reads the room from its own path, so every room link serves the same file.
  app.get(['/', '/index.html', '/r/:room'], (req, res) => {
    if (web.built && web.sendPage(req, res)) return;
    res
      .status(503)
      .type('text/plain')
      .send('The web client has not been built. Run `npm run build`, then reload this page.\n');
  });
  app.use(web.assets);

  app.use(compression());
  if (probes) app.use(probes);

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found.\n');
  });
  // Logged like the refusals are, at most once a minute a kind: a client can cause these at will.
  const errors = new RefusalLog(logger);
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = clientErrorStatus(error);
    if (status !== undefined) {
      // A link that does not decode (`/r/aa%ZZ`), and the like: the client's mistake, not the server's.
      errors.note('malformed request', { status });
      if (!res.headersSent) res.status(status).type('text/plain').send('Bad request.\n');
      return;
    }
    errors.note('request failed', { err: error });
    if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong on the server.\n');
  });
  return app;
}

/** The 4xx status express or its parsers gave an error (a URL that does not decode is 400), if any. */
function clientErrorStatus(error: unknown): number | undefined {
  if (error instanceof URIError) return 400;
  if (typeof error !== 'object' || error === null) return undefined;
  const status = 'status' in error ? error.status : 'statusCode' in error ? error.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * helmet with a strict policy for a page that loads only its own files and talks only to its own host.
 * https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy
 */
function securityHeaders(plainHttp: boolean) {
  const guard = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // WebAssembly may be compiled (the SHA-256 of files sent, see src/call/files/streaming-sha256.ts);
        // JavaScript's eval stays refused. https://w3c.github.io/webappsec-csp/#grammardef-wasm-unsafe-eval
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:', 'mediastream:'],
        connectSrc: [(req) => ["'self'", ...ownSocketOrigins(req, plainHttp)].join(' ')],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Over plain HTTP (behind a TLS proxy) the proxy decides about HSTS; sent from here it would be
    // ignored at best, and pin a LAN address to HTTPS at worst.
    strictTransportSecurity: !plainHttp,
  });
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    guard(req, res, next);
  };
}

/**
 * The WebSocket origins of the page's own host. CSP Level 3 lets `'self'` match ws: and wss: on the same
 * host, but older browsers (Safari before 15.4) do not, so they are named. Behind a TLS proxy the page may
 * be https while we serve http, hence both schemes in plain-HTTP mode.
 */
function ownSocketOrigins(req: IncomingMessage, plainHttp: boolean): string[] {
  const host = req.headers.host;
  if (host === undefined || !SAFE_HOST.test(host)) return [];
  return plainHttp ? [`ws://${host}`, `wss://${host}`] : [`wss://${host}`];
}
