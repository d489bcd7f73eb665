import * as z from 'zod/mini';
import { type Frozen, LOG_LEVELS, type Setting, integer, text } from './setting.js';
import { LIMIT_SETTINGS } from './limit-settings.js';
import { isRedisUrl, isTurnUrl } from './validators.js';

/**
 * The one table that drives parsing, validation, `--help` and the {@link Config} type: one entry per
 * setting, in the order `--help` lists them within their group. Flags win over environment variables,
 * which win over defaults.
 */
export const SETTING_TABLE = {
  port: {
    group: 'server',
    flag: 'port',
    env: 'PORT',
    kind: 'integer',
    default: '8443',
    description: 'TCP port to listen on (0 picks any free port)',
    allowed: 'an integer from 0 to 65535',
    schema: integer(0, 65535),
  },
  host: {
    group: 'server',
    flag: 'host',
    env: 'HOST',
    kind: 'string',
    default: '0.0.0.0',
    description: 'Address to listen on',
    allowed: 'a host name or IP address',
    schema: text,
  },
  /** Absolute path; holds the generated certificate and the server secret. Created at start if missing. */
  dataDir: {
    group: 'server',
    flag: 'data-dir',
    env: 'PARLEY_DATA_DIR',
    kind: 'string',
    default: './.data',
    description: 'Directory for the generated certificate and server secret',
    allowed: 'a directory path',
    schema: text,
  },
  maxPeers: {
    group: 'rooms',
    flag: 'max-peers',
    env: 'PARLEY_MAX_PEERS',
    kind: 'integer',
    default: '2',
    description: 'People per room; more than 2 makes a full mesh',
    allowed: 'an integer from 2 to 8',
    schema: integer(2, 8),
  },
  uploadBudget: {
    group: 'rooms',
    flag: 'upload-budget',
    env: 'PARLEY_UPLOAD_BUDGET',
    kind: 'integer',
    default: '2500',
    description:
      "Each person's video upload in kbit/s, shared among the copies they send to the others (a person may choose another in Settings)",
    allowed: 'a number of kbit/s from 200 to 50000',
    schema: integer(200, 50_000),
  },
  tlsCert: {
    group: 'tls',
    flag: 'tls-cert',
    env: 'PARLEY_TLS_CERT',
    kind: 'string',
    default: undefined,
    description: 'PEM certificate (chain) to serve; with --tls-key',
    allowed: 'a path to a PEM certificate',
    schema: text,
  },
  tlsKey: {
    group: 'tls',
    flag: 'tls-key',
    env: 'PARLEY_TLS_KEY',
    kind: 'string',
    default: undefined,
    description: 'PEM private key of --tls-cert',
    allowed: 'a path to a PEM private key',
    schema: text,
  },
  http: {
    group: 'tls',
    flag: 'http',
    env: 'PARLEY_HTTP',
    kind: 'boolean',
    default: 'false',
    description: 'Serve plain HTTP (behind a proxy that terminates TLS)',
    allowed: 'true, false, 1, 0, yes or no',
    schema: z.boolean(),
  },
  logLevel: {
    group: 'observability',
    flag: 'log-level',
    env: 'PARLEY_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    description: 'Least severe level that is logged',
    allowed: LOG_LEVELS.join(', '),
    schema: z.enum(LOG_LEVELS),
  },
  logFile: {
    group: 'observability',
    flag: 'log-file',
    env: 'PARLEY_LOG_FILE',
    kind: 'string',
    default: undefined,
    description: 'Also append JSON log lines to this file',
    allowed: 'a file path',
    schema: text,
  },
  resumeWindowMs: {
    group: 'rooms',
    flag: 'resume-window-ms',
    env: 'PARLEY_RESUME_WINDOW_MS',
    kind: 'integer',
    default: '5000',
    description: "How long a dropped connection's place is kept for it to come back",
    allowed: 'a number of milliseconds from 0 to 120000',
    schema: integer(0, 120_000),
  },
  /** Signs resume tokens. When unset, a random one is generated once and kept in the data dir. */
  secret: {
    group: 'rooms',
    flag: 'secret',
    env: 'PARLEY_SECRET',
    kind: 'string',
    default: undefined,
    description: 'Signs resume tokens; generated and kept in the data dir if unset',
    allowed: 'at least 32 characters',
    schema: z.string().check(z.minLength(32)),
    secret: true,
  },
  redisUrl: {
    group: 'nodes',
    flag: 'redis-url',
    env: 'PARLEY_REDIS_URL',
    kind: 'string',
    default: undefined,
    description: 'Redis shared by several nodes (rooms and relay); unset runs one node in memory',
    allowed: 'a redis:// or rediss:// URL',
    schema: z.string().check(z.refine(isRedisUrl)),
    // The URL may carry a password.
    secret: true,
  },
  metricsToken: {
    group: 'observability',
    flag: 'metrics-token',
    env: 'PARLEY_METRICS_TOKEN',
    kind: 'string',
    default: undefined,
    description: 'Bearer token that /metrics requires; unset leaves /metrics open',
    allowed: 'at least 16 characters',
    schema: z.string().check(z.minLength(16)),
    secret: true,
  },
  stunPort: {
    group: 'ice',
    flag: 'stun-port',
    env: 'PARLEY_STUN_PORT',
    kind: 'integer',
    default: '3478',
    description: 'UDP port of the built-in STUN responder (on --host); 0 turns it off',
    allowed: 'an integer from 0 to 65535',
    schema: integer(0, 65535),
  },
  /** `turn:` / `turns:` URLs handed to browsers with minted credentials; empty without TURN. */
  turnUrls: {
    group: 'ice',
    flag: 'turn-urls',
    env: 'PARLEY_TURN_URLS',
    kind: 'list',
    default: undefined,
    whenUnset: [],
    description: 'TURN servers handed to browsers, comma-separated; with --turn-secret',
    allowed: 'turn: or turns: URLs such as turn:turn.example.org:3478?transport=udp, separated by commas',
    schema: z.array(z.string().check(z.refine(isTurnUrl))),
  },
  /** coturn's `static-auth-secret`; set exactly when `turnUrls` is. */
  turnSecret: {
    group: 'ice',
    flag: 'turn-secret',
    env: 'PARLEY_TURN_SECRET',
    kind: 'string',
    default: undefined,
    description: "coturn's static-auth-secret, to mint short-lived TURN credentials",
    allowed: 'at least 16 characters',
    schema: z.string().check(z.minLength(16)),
    secret: true,
  },
  turnTtl: {
    group: 'ice',
    flag: 'turn-ttl',
    env: 'PARLEY_TURN_TTL',
    kind: 'integer',
    default: '86400',
    description: 'Lifetime of each TURN credential; should outlast a call',
    allowed: 'a number of seconds from 60 to 604800',
    schema: integer(60, 604_800),
  },
  icePolicy: {
    group: 'ice',
    flag: 'ice-policy',
    env: 'PARLEY_ICE_POLICY',
    kind: 'string',
    default: 'all',
    description: 'all: direct paths when possible; relay: TURN only, hiding addresses',
    allowed: 'all or relay',
    schema: z.enum(['all', 'relay']),
  },
  // The edge's settings sit here so that the table keeps the order `--help` has always printed.
  ...LIMIT_SETTINGS,
  httpRedirectPort: {
    group: 'server',
    flag: 'http-redirect-port',
    env: 'PARLEY_HTTP_REDIRECT_PORT',
    kind: 'integer',
    default: undefined,
    description:
      'A second TCP port (usually 80) that redirects plain http:// to https:// on --port; the main port redirects too',
    allowed: 'an integer from 1 to 65535',
    schema: integer(1, 65535),
  },
  shutdownTimeoutMs: {
    group: 'server',
    flag: 'shutdown-timeout-ms',
    env: 'PARLEY_SHUTDOWN_TIMEOUT_MS',
    kind: 'integer',
    default: '10000',
    description: 'On SIGTERM or SIGINT, exit after this long even if closing is not finished',
    allowed: 'a number of milliseconds from 1000 to 120000',
    schema: integer(1_000, 120_000),
  },
} satisfies Record<string, Setting>;

type Table = typeof SETTING_TABLE;
/** The settings a user can give; `webRoot` is for code only. */
export type UserKey = keyof Table;
/** A setting that always has a value: a default, or a value that stands for unset. */
type AlwaysSet<S> = S extends { whenUnset: unknown } ? true : S extends { default: string } ? true : false;
type SetKey = { [K in UserKey]: AlwaysSet<Table[K]> extends true ? K : never }[UserKey];
type Value<K extends UserKey> = Frozen<z.infer<Table[K]['schema']>>;

/** The server's settings, validated once and frozen: each setting's type is its schema's, from the table. */
export type Config = Readonly<
  { [K in SetKey]: Value<K> } & { [K in Exclude<UserKey, SetKey>]?: Value<K> | undefined } & {
    /** Where the built web client is. Not a user setting: tests point it at a fixture. */
    webRoot: string;
  }
>;

/** One row of the table with its key, for code that walks every setting. */
export type SettingEntry = Setting & { readonly key: UserKey };

/** The table as a list, in its order. */
export const SETTINGS: readonly SettingEntry[] = (Object.keys(SETTING_TABLE) as UserKey[]).map((key) => ({
  key,
  ...SETTING_TABLE[key],
}));

/** The row of one setting. */
export function setting(key: UserKey): SettingEntry {
  const found = SETTINGS.find((s) => s.key === key);
  if (!found) throw new TypeError(`No setting ${key}`);
  return found;
}
