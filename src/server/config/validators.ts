import { compileTrustProxy } from '../trust-proxy.js';

/**
 * `self`, or an origin as browsers send it in the Origin header: http(s), a host, maybe a port, and
 * nothing else (no path, query, user).
 */
export function isAllowedOrigin(value: string): boolean {
  if (value === 'self') return true;
  return /^https?:\/\/[^/?#@\s]+\/?$/i.test(value) && URL.canParse(value);
}

/** express's `trust proxy` forms (https://expressjs.com/en/guide/behind-proxies.html), checked by proxy-addr. */
export function isTrustProxy(value: string): boolean {
  try {
    compileTrustProxy(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * RFC 7065's `turn:` / `turns:` URI: a host name, IPv4 or bracketed IPv6 address, an optional port and an
 * optional `transport`. Checked here so a typo stops the server rather than every call.
 */
export function isTurnUrl(value: string): boolean {
  const match =
    /^turns?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:\?transport=(?:udp|tcp))?$/.exec(value);
  if (!match) return false;
  return match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 65535);
}

export function isRedisUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
}
