import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Router } from 'express';
import type { Registry } from 'prom-client';

export interface ProbeOptions {
  /** Undefined when ready to take new people, else why not (shutting down, Redis not answering). */
  notReady(): Promise<string | undefined>;
  metrics: Registry;
  /** When set, `/metrics` wants `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
}

/**
 * `/readyz` for load balancers (send new people here or not) and `/metrics` for Prometheus. `/healthz`
 * (alive at all) stays in the main app: it must answer even when this node is not ready.
 */
export function probeRoutes(options: ProbeOptions): Router {
  const router = Router();
  router.get('/readyz', (_req, res, next) => {
    options.notReady().then((reason) => {
      res.set('Cache-Control', 'no-store');
      if (reason === undefined) res.json({ status: 'ready' });
      else res.status(503).json({ status: 'not ready', reason });
    }, next);
  });
  router.get('/metrics', (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (options.metricsToken === undefined) {
      // Without a token only this machine may read them: the socket's own peer, not X-Forwarded-For, and
      // not through a proxy on this machine either (the proxy's requests come from loopback).
      if (!isLoopback(req.socket.remoteAddress) || forwarded(req.headers)) {
        res
          .status(403)
          .type('text/plain')
          .send('Metrics are served to this machine only. Set PARLEY_METRICS_TOKEN to read them remotely.\n');
        return;
      }
    } else if (!bearerMatches(req.headers.authorization, options.metricsToken)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized.\n');
      return;
    }
    options.metrics.metrics().then((body) => {
      res.type(options.metrics.contentType).send(body);
    }, next);
  });
  return router;
}

/**
 * Constant time, so response times say nothing about how much of a guessed token was right. The scheme
 * is case-insensitive (https://www.rfc-editor.org/rfc/rfc9110#section-11.1); the token is not.
 */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^bearer +(\S+)$/i.exec(header ?? '');
  const given = Buffer.from(match?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(?:::ffff:)?127\./.test(address);
}

/** A request a proxy passed on: it came from elsewhere, whatever the socket's address says. */
function forwarded(headers: IncomingHttpHeaders): boolean {
  return (
    headers['x-forwarded-for'] !== undefined ||
    headers.forwarded !== undefined ||
    headers['x-real-ip'] !== undefined
  );
}
