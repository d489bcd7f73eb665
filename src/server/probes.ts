import { timingSafeEqual } from 'node:crypto';
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
    if (
      options.metricsToken !== undefined &&
      !bearerMatches(req.headers.authorization, options.metricsToken)
    ) {
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized.\n');
      return;
    }
    options.metrics.metrics().then((body) => {
      res.type(options.metrics.contentType).send(body);
    }, next);
  });
  return router;
}

/** Constant time, so response times say nothing about how much of a guessed token was right. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
