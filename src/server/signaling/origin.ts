/**
 * The Origin check of the signaling handshake. Browsers send Origin on every WebSocket handshake and on
 * every cross-origin request, and a page cannot forge it, so checking it stops another site's page from
 * using a visitor's browser to talk to Parley (cross-site WebSocket hijacking). socket.io's `cors` option
 * does not do this: CORS governs what a page may read over HTTP, and WebSocket handshakes ignore it.
 * https://socket.io/docs/v4/handling-cors/ , https://datatracker.ietf.org/doc/html/rfc6455#section-10.2
 */

export type OriginVerdict = 'allowed' | 'missing' | 'refused';

export interface OriginPolicy {
  /** Origins as URL.origin writes them, and `self` for the page's own origin. */
  allowed: readonly string[];
  /**
   * Over plain HTTP Parley sits behind a proxy that may terminate TLS, so the page's own origin may be
   * http or https on the same host; with TLS it is https only.
   */
  plainHttp: boolean;
}

/**
 * Judges a handshake's Origin header against the allow-list.
 *
 * A missing Origin is not a browser page (browsers always send it on these requests), so it cannot be
 * the attack this check is about, and a tool could send any Origin it liked anyway: it is let through and
 * left to the connection and rate limits. `null` (a sandboxed frame, a file) is refused.
 *
 * @param host the host the request came to (its Host header, or a trusted proxy's X-Forwarded-Host).
 */
export function judgeOrigin(
  origin: string | undefined,
  host: string | undefined,
  policy: OriginPolicy,
): OriginVerdict {
  if (origin === undefined) return 'missing';
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return 'refused';
  if (policy.allowed.includes(normalized)) return 'allowed';
  if (policy.allowed.includes('self') && host !== undefined) {
    const schemes = policy.plainHttp ? ['http', 'https'] : ['https'];
    if (schemes.some((scheme) => normalizeOrigin(`${scheme}://${host}`) === normalized)) return 'allowed';
  }
  return 'refused';
}

/** URL.origin of `text` (lower-case host, no default port), or undefined if it is not an http(s) origin. */
function normalizeOrigin(text: string): string | undefined {
  if (!/^https?:\/\/[^/?#@\s]+$/i.test(text) || !URL.canParse(text)) return undefined;
  return new URL(text).origin;
}
