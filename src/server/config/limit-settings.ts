import * as z from 'zod/mini';
import { RATE_ALLOWED, type Setting, integer, rate } from './setting.js';
import { isAllowedOrigin, isTrustProxy } from './validators.js';

/** The settings of "Limits and the edge" in `--help`: who may connect, and how much they may ask. */
export const LIMIT_SETTINGS = {
  allowedOrigins: {
    group: 'limits',
    flag: 'allowed-origins',
    env: 'PARLEY_ALLOWED_ORIGINS',
    kind: 'list',
    default: 'self',
    description: "Pages that may connect, comma-separated; self is the page's own origin",
    allowed: 'self and origins such as https://meet.example.org, separated by commas',
    schema: z.array(z.string().check(z.refine(isAllowedOrigin))).check(z.minLength(1)),
  },
  trustProxy: {
    group: 'limits',
    flag: 'trust-proxy',
    env: 'PARLEY_TRUST_PROXY',
    kind: 'string',
    default: 'false',
    description:
      "Whose X-Forwarded-For to believe (express's trust proxy); false: nobody's. Give the proxy's addresses: with true or a hop count, clients that connect directly are believed too",
    allowed:
      'false, true, a number of proxy hops from 1 to 10, or proxy addresses and subnets such as loopback, 10.0.0.0/8, separated by commas',
    schema: z.string().check(z.refine(isTrustProxy)),
  },
  maxConnectionsPerIp: {
    group: 'limits',
    flag: 'max-connections-per-ip',
    env: 'PARLEY_MAX_CONNECTIONS_PER_IP',
    kind: 'integer',
    default: '200',
    description: 'Signaling connections open at once from one address (IPv6: one /64); 0: no limit',
    allowed: 'an integer from 0 to 1000000',
    schema: integer(0, 1_000_000),
  },
  maxTcpConnectionsPerIp: {
    group: 'limits',
    flag: 'max-tcp-connections-per-ip',
    env: 'PARLEY_MAX_TCP_CONNECTIONS_PER_IP',
    kind: 'integer',
    default: '256',
    description:
      'TCP connections open at once from one address (IPv6: one /64), counted when accepted, before TLS or HTTP; trusted proxies are not counted; 0: no limit',
    allowed: 'an integer from 0 to 1000000',
    schema: integer(0, 1_000_000),
  },
  maxConnections: {
    group: 'limits',
    flag: 'max-connections',
    env: 'PARLEY_MAX_CONNECTIONS',
    kind: 'integer',
    default: '10000',
    description:
      'TCP connections open at once in all; keep it below the open-file limit (ulimit -n, LimitNOFILE)',
    allowed: 'an integer from 1 to 1000000',
    schema: integer(1, 1_000_000),
  },
  ...rateSettings('join', 'Join', '10/60s', '300/60s'),
  ...rateSettings('signal', 'Signal', '500/10s', '5000/10s'),
  ...rateSettings('ice', 'Ice', '20/60s', '600/60s'),
  rateIceLobbyIp: {
    group: 'limits',
    flag: 'rate-ice-lobby-ip',
    env: 'PARLEY_RATE_ICE_LOBBY_IP',
    kind: 'rate',
    default: '30/60s',
    description:
      'TURN credentials one address (IPv6: one /64) may get before joining, for the lobby check (each lasts 5 minutes)',
    allowed: RATE_ALLOWED,
    schema: rate,
  },
  rateTestCallIp: {
    group: 'limits',
    flag: 'rate-test-call-ip',
    env: 'PARLEY_RATE_TEST_CALL_IP',
    kind: 'rate',
    default: '10/600s',
    description: 'Test calls one address (IPv6: one /64) may start per window',
    allowed: RATE_ALLOWED,
    schema: rate,
  },
  rateEvents: {
    group: 'limits',
    flag: 'rate-events',
    env: 'PARLEY_RATE_EVENTS',
    kind: 'rate',
    default: '600/10s',
    description:
      'Events of any kind one connection may send per window; more are dropped, and a connection that keeps at it is closed',
    allowed: RATE_ALLOWED,
    schema: rate,
  },
} satisfies Record<string, Setting>;

/** A rate setting always has a default, so it is never unset. */
type RateSetting = Setting<typeof rate> & { readonly default: string };

/** The two rate settings of one request: per socket, and per address (IPv6: per /64). */
function rateSettings<E extends 'join' | 'signal' | 'ice'>(
  event: E,
  key: Capitalize<E>,
  perSocket: string,
  perIp: string,
): Record<`rate${Capitalize<E>}` | `rate${Capitalize<E>}Ip`, RateSetting> {
  const settings: Record<string, RateSetting> = {
    [`rate${key}`]: {
      group: 'limits',
      flag: `rate-${event}`,
      env: `PARLEY_RATE_${event.toUpperCase()}`,
      kind: 'rate',
      default: perSocket,
      description: `\`${event}\` requests one connection may make per window`,
      allowed: RATE_ALLOWED,
      schema: rate,
    },
    [`rate${key}Ip`]: {
      group: 'limits',
      flag: `rate-${event}-ip`,
      env: `PARLEY_RATE_${event.toUpperCase()}_IP`,
      kind: 'rate',
      default: perIp,
      description: `\`${event}\` requests one address (IPv6: one /64) may make per window`,
      allowed: RATE_ALLOWED,
      schema: rate,
    },
  };
  // Computed keys type as `string`; the two written above are exactly the two named in the return type.
  return settings;
}
