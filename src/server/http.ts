import { access } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { TrustProxy } from './trust-proxy.js';

/** Vite names everything under /assets/ after its content, so a cached copy is never stale. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself must be revalidated, or a deploy would leave people on old asset names. */
const REVALIDATE = 'no-cache';

/** Who may use what: the page itself, no one else (https://www.w3.org/TR/permissions-policy/). */
const PERMISSIONS_POLICY = 'camera=(self), microphone=(self), display-capture=(self)';

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
  app.use(compression());

  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  if (probes) app.use(probes);

  const indexHtml = join(config.webRoot, 'index.html');
  const sendPage = (_req: Request, res: Response, next: NextFunction) => {
    access(indexHtml).then(
      () => {
        res.set('Cache-Control', REVALIDATE).sendFile(indexHtml, (error) => {
          if (error) next(error);
        });
      },
      () => {
        res
          .status(503)
          .type('text/plain')
          .send('The web client has not been built. Run `npm run build`, then reload this page.\n');
      },
    );
  };
  // The page reads the room from its own path, so every room link serves the same file.
  app.get(['/', '/index.html', '/r/:room'], sendPage);

  app.use(
    express.static(config.webRoot, {
      index: false,
      cacheControl: false,
      setHeaders(res, path) {
        const immutable = path.startsWith(join(config.webRoot, 'assets') + sep);
        res.setHeader('Cache-Control', immutable ? IMMUTABLE : REVALIDATE);
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found.\n');
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    logger.error({ err: error, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong on the server.\n');
  });
  return app;
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
        scriptSrc: ["'self'"],
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
