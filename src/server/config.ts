import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod/mini';
import { compileTrustProxy } from './trust-proxy.js';

/** pino's levels, plus `silent` to log nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The server's settings, validated once and frozen. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** Absolute path; holds the generated certificate and the server secret. Created at start if missing. */
  readonly dataDir: string;
  readonly maxPeers: number;
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  /** Plain HTTP, for running behind a proxy that terminates TLS. */
  readonly http: boolean;
  readonly logLevel: LogLevel;
  readonly logFile?: string | undefined;
  readonly resumeWindowMs: number;
  /** Signs resume tokens. When unset, a random one is generated once and kept in the data dir. */
  readonly secret?: string | undefined;
  /** Shared room membership and relay between nodes; unset keeps everything in this process. */
  readonly redisUrl?: string | undefined;
  /** When set, `/metrics` asks for `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | undefined;
  /** UDP port of the built-in STUN responder; 0 turns it off. */
  readonly stunPort: number;
  /** `turn:` / `turns:` URLs handed to browsers with minted credentials; empty without TURN. */
  readonly turnUrls: readonly string[];
  /** coturn's `static-auth-secret`; set exactly when `turnUrls` is. */
  readonly turnSecret?: string | undefined;
  /** Lifetime of each minted TURN credential, in seconds. */
  readonly turnTtl: number;
  /** `relay` makes browsers use TURN only, so neither side learns the other's address. */
  readonly icePolicy: 'all' | 'relay';
  /** Origins whose pages may open a signaling connection; `self` is the page's own origin. */
  readonly allowedOrigins: readonly string[];
  /** Which proxies' X-Forwarded-For to believe, in express's `trust proxy` words; `false`: none. */
  readonly trustProxy: string;
  /** Signaling connections open at once from one address (an IPv6 /64); 0: no limit. */
  readonly maxConnectionsPerIp: number;
  /** TCP connections open at once from one address, counted at accept time; 0: no limit. */
  readonly maxTcpConnectionsPerIp: number;
  /** TCP connections open at once in all. */
  readonly maxConnections: number;
  /** How many of each limited request a socket, and an address, may make in a window. */
  readonly rateJoin: Rate;
  readonly rateJoinIp: Rate;
  readonly rateSignal: Rate;
  readonly rateSignalIp: Rate;
  readonly rateIce: Rate;
  readonly rateIceIp: Rate;
  /** TURN credentials minted before joining (the lobby's check) per address and window. */
  readonly rateIceLobbyIp: Rate;
  /** Inbound events of any kind one connection may send per window; past it they are dropped. */
  readonly rateEvents: Rate;
  /** A second port that answers plain HTTP with a redirect to https on `port`; unset: none. */
  readonly httpRedirectPort?: number | undefined;
  /** How long a shutdown may take before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  /** Where the built web client is. Not a user setting: tests point it at a fixture. */
  readonly webRoot: string;
}

/** At most `points` requests in each window of `seconds`. Written `600/10s`. */
export interface Rate {
  readonly points: number;
  readonly seconds: number;
}

/** A setting has a bad value. The message is one line that names the setting and what it accepts. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type UserKey = Exclude<keyof Config, 'webRoot'>;
/** `list`: comma-separated on the command line, an array in code. `rate`: `600/10s`, a {@link Rate}. */
type Kind = 'integer' | 'boolean' | 'string' | 'list' | 'rate';

/** The headings of `--help`, in the order they are printed. */
export const SETTING_GROUPS = {
  server: 'Server',
  tls: 'TLS',
  rooms: 'Rooms',
  ice: 'ICE and TURN',
  limits: 'Limits and the edge',
  nodes: 'Several nodes',
  observability: 'Observability',
} as const;
type Group = keyof typeof SETTING_GROUPS;

interface Setting {
  key: UserKey;
  group: Group;
  flag: string;
  env: string;
  kind: Kind;
  /** As a user would type it; `undefined` means unset. */
  default: string | undefined;
  description: string;
  /** What the setting accepts, in words: the second half of every error about it. */
  allowed: string;
  /** Checks the value once it has its type (from a string, or from an override in code). */
  schema: z.ZodMiniType;
  /** Never echo the value back in an error. */
  secret?: boolean;
}

const integer = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));
const text = z.string().check(z.minLength(1));
const rate = z.strictObject({ points: integer(1, 1_000_000), seconds: integer(1, 3_600) });
const RATE_ALLOWED = 'a count per window such as 600/10s: 1 to 1000000 per 1 to 3600 seconds';

/**
 * The one table that drives parsing, validation and `--help`. Flags win over environment variables, which
 * win over defaults.
 */
export const SETTINGS: readonly Setting[] = [
  {
    key: 'port',
    group: 'server',
    flag: 'port',
    env: 'PORT',
    kind: 'integer',
    default: '8443',
    description: 'TCP port to listen on (0 picks any free port)',
    allowed: 'an integer from 0 to 65535',
    schema: integer(0, 65535),
  },
  {
    key: 'host',
    group: 'server',
    flag: 'host',
    env: 'HOST',
    kind: 'string',
    default: '0.0.0.0',
    description: 'Address to listen on',
    allowed: 'a host name or IP address',
    schema: text,
  },
  {
    key: 'dataDir',
    group: 'server',
    flag: 'data-dir',
    env: 'PARLEY_DATA_DIR',
    kind: 'string',
    default: './.data',
    description: 'Directory for the generated certificate and server secret',
    allowed: 'a directory path',
    schema: text,
  },
  {
    key: 'maxPeers',
    group: 'rooms',
    flag: 'max-peers',
    env: 'PARLEY_MAX_PEERS',
    kind: 'integer',
    default: '2',
    description: 'People per room; more than 2 makes a full mesh',
    allowed: 'an integer from 2 to 8',
    schema: integer(2, 8),
  },
  {
    key: 'tlsCert',
    group: 'tls',
    flag: 'tls-cert',
    env: 'PARLEY_TLS_CERT',
    kind: 'string',
    default: undefined,
    description: 'PEM certificate (chain) to serve; with --tls-key',
    allowed: 'a path to a PEM certificate',
    schema: text,
  },
  {
    key: 'tlsKey',
    group: 'tls',
    flag: 'tls-key',
    env: 'PARLEY_TLS_KEY',
    kind: 'string',
    default: undefined,
    description: 'PEM private key of --tls-cert',
    allowed: 'a path to a PEM private key',
    schema: text,
  },
  {
    key: 'http',
    group: 'tls',
    flag: 'http',
    env: 'PARLEY_HTTP',
    kind: 'boolean',
    default: 'false',
    description: 'Serve plain HTTP (behind a proxy that terminates TLS)',
    allowed: 'true, false, 1, 0, yes or no',
    schema: z.boolean(),
  },
  {
    key: 'logLevel',
    group: 'observability',
    flag: 'log-level',
    env: 'PARLEY_LOG_LEVEL',
    kind: 'string',
    default: 'info',
    description: 'Least severe level that is logged',
    allowed: LOG_LEVELS.join(', '),
    schema: z.enum(LOG_LEVELS),
  },
  {
    key: 'logFile',
    group: 'observability',
    flag: 'log-file',
    env: 'PARLEY_LOG_FILE',
    kind: 'string',
    default: undefined,
    description: 'Also append JSON log lines to this file',
    allowed: 'a file path',
    schema: text,
  },
  {
    key: 'resumeWindowMs',
    group: 'rooms',
    flag: 'resume-window-ms',
    env: 'PARLEY_RESUME_WINDOW_MS',
    kind: 'integer',
    default: '5000',
    description: "How long a dropped connection's place is kept for it to come back",
    allowed: 'a number of milliseconds from 0 to 120000',
    schema: integer(0, 120_000),
  },
  {
    key: 'secret',
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
  {
    key: 'redisUrl',
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
  {
    key: 'metricsToken',
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
  {
    key: 'stunPort',
    group: 'ice',
    flag: 'stun-port',
    env: 'PARLEY_STUN_PORT',
    kind: 'integer',
    default: '3478',
    description: 'UDP port of the built-in STUN responder (on --host); 0 turns it off',
    allowed: 'an integer from 0 to 65535',
    schema: integer(0, 65535),
  },
  {
    key: 'turnUrls',
    group: 'ice',
    flag: 'turn-urls',
    env: 'PARLEY_TURN_URLS',
    kind: 'list',
    default: undefined,
    description: 'TURN servers handed to browsers, comma-separated; with --turn-secret',
    allowed: 'turn: or turns: URLs such as turn:turn.example.org:3478?transport=udp, separated by commas',
    schema: z.array(z.string().check(z.refine(isTurnUrl))),
  },
  {
    key: 'turnSecret',
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
  {
    key: 'turnTtl',
    group: 'ice',
    flag: 'turn-ttl',
    env: 'PARLEY_TURN_TTL',
    kind: 'integer',
    default: '86400',
    description: 'Lifetime of each TURN credential; should outlast a call',
    allowed: 'a number of seconds from 60 to 604800',
    schema: integer(60, 604_800),
  },
  {
    key: 'icePolicy',
    group: 'ice',
    flag: 'ice-policy',
    env: 'PARLEY_ICE_POLICY',
    kind: 'string',
    default: 'all',
    description: 'all: direct paths when possible; relay: TURN only, hiding addresses',
    allowed: 'all or relay',
    schema: z.enum(['all', 'relay']),
  },
  {
    key: 'allowedOrigins',
    group: 'limits',
    flag: 'allowed-origins',
    env: 'PARLEY_ALLOWED_ORIGINS',
    kind: 'list',
    default: 'self',
    description: "Pages that may connect, comma-separated; self is the page's own origin",
    allowed: 'self and origins such as https://meet.example.org, separated by commas',
    schema: z.array(z.string().check(z.refine(isAllowedOrigin))).check(z.minLength(1)),
  },
  {
    key: 'trustProxy',
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
  {
    key: 'maxConnectionsPerIp',
    group: 'limits',
    flag: 'max-connections-per-ip',
    env: 'PARLEY_MAX_CONNECTIONS_PER_IP',
    kind: 'integer',
    default: '200',
    description: 'Signaling connections open at once from one address (IPv6: one /64); 0: no limit',
    allowed: 'an integer from 0 to 1000000',
    schema: integer(0, 1_000_000),
  },
  {
    key: 'maxTcpConnectionsPerIp',
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
  {
    key: 'maxConnections',
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
  {
    key: 'rateIceLobbyIp',
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
  {
    key: 'rateEvents',
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
  {
    key: 'httpRedirectPort',
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
  {
    key: 'shutdownTimeoutMs',
    group: 'server',
    flag: 'shutdown-timeout-ms',
    env: 'PARLEY_SHUTDOWN_TIMEOUT_MS',
    kind: 'integer',
    default: '10000',
    description: 'On SIGTERM or SIGINT, exit after this long even if closing is not finished',
    allowed: 'a number of milliseconds from 1000 to 120000',
    schema: integer(1_000, 120_000),
  },
];

/** The two rate settings of one request: per socket, and per address (IPv6: per /64). */
function rateSettings(
  event: 'join' | 'signal' | 'ice',
  key: 'Join' | 'Signal' | 'Ice',
  perSocket: string,
  perIp: string,
): Setting[] {
  return [
    {
      key: `rate${key}`,
      group: 'limits',
      flag: `rate-${event}`,
      env: `PARLEY_RATE_${event.toUpperCase()}`,
      kind: 'rate',
      default: perSocket,
      description: `\`${event}\` requests one connection may make per window`,
      allowed: RATE_ALLOWED,
      schema: rate,
    },
    {
      key: `rate${key}Ip`,
      group: 'limits',
      flag: `rate-${event}-ip`,
      env: `PARLEY_RATE_${event.toUpperCase()}_IP`,
      kind: 'rate',
      default: perIp,
      description: `\`${event}\` requests one address (IPv6: one /64) may make per window`,
      allowed: RATE_ALLOWED,
      schema: rate,
    },
  ];
}

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

function isRedisUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
}

/** package.json's version, read from both `src/server/` and `dist/server/`. */
export const PARLEY_VERSION = z
  .object({ version: z.string() })
  .parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))).version;

/** `<repo>/dist/web/`, from both `src/server/config.ts` and `dist/server/config.js`. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const BOOLEAN_WORDS: Record<string, boolean> = {
  true: true,
  1: true,
  yes: true,
  false: false,
  0: false,
  no: false,
};

/** `--flag (ENV)`, as messages about a setting name it. */
export function describeSetting(key: UserKey): string {
  return settingName(setting(key));
}

function settingName(setting: Setting): string {
  return `--${setting.flag} (${setting.env})`;
}

function invalid(setting: Setting, raw: unknown): ConfigError {
  const got = setting.secret ? '' : `, got ${JSON.stringify(raw)}`;
  return new ConfigError(`Invalid ${settingName(setting)}: expected ${setting.allowed}${got}.`);
}

/** Turns what a user typed into a value of the setting's type; anything unreadable fails the schema. */
function fromText(kind: Kind, raw: string): unknown {
  switch (kind) {
    case 'integer':
      return /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'boolean':
      return BOOLEAN_WORDS[raw.trim().toLowerCase()] ?? raw;
    case 'string':
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'rate': {
      const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*s?\s*$/.exec(raw);
      return match ? { points: Number(match[1]), seconds: Number(match[2]) } : raw;
    }
  }
}

function check(setting: Setting, value: unknown, shown: unknown = value): unknown {
  const parsed = setting.schema.safeParse(value);
  if (!parsed.success) throw invalid(setting, shown);
  return parsed.data;
}

/** `--help` fits a terminal of this many columns. */
const HELP_COLUMNS = 100;

/**
 * How the person started Parley, for the messages that tell them what to type next: npm passes its own
 * arguments to the script only after `--`.
 */
export function invocation(env: NodeJS.ProcessEnv): string {
  return env['npm_lifecycle_event'] === 'start' ? 'npm start --' : 'parley';
}

/** What `--help` prints: the settings by group, from the same table that parses them. */
export function helpText(command = 'parley'): string {
  const lines = [
    `Usage: ${command} [options]`,
    '',
    ...wrap(
      'Runs the Parley server. Every option can also be set by the environment variable named beside it; a flag wins over the environment. Secrets given as flags can be read by anyone on the machine (`ps`): give them in the environment, or in a file named by the variable with _FILE added (PARLEY_SECRET_FILE=/run/secrets/parley).',
      0,
    ),
  ];
  for (const [group, heading] of Object.entries(SETTING_GROUPS)) {
    lines.push('', heading);
    for (const s of SETTINGS.filter((candidate) => candidate.group === group)) {
      const flag = `--${s.flag}${s.kind === 'boolean' ? '' : ' <value>'}`;
      const shown = s.default === undefined ? 'unset' : `default ${s.default}`;
      lines.push(`  ${flag.padEnd(32)} ${s.env} (${shown})`);
      lines.push(...wrap(`${s.description}: ${s.allowed}.`, 6));
    }
  }
  lines.push('', 'Other', `  ${'--version'.padEnd(32)} Print the version and exit`);
  lines.push(`  ${'--help, -h'.padEnd(32)} Print this help and exit`, '');
  return lines.join('\n');
}

/** Words folded into lines of at most {@link HELP_COLUMNS}, each indented by `indent` spaces. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > HELP_COLUMNS) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(' '.repeat(indent) + line);
  return lines;
}

/** What the command line asks for: the help text, or a server with this configuration. */
export type CommandLine =
  { kind: 'help'; text: string } | { kind: 'version'; text: string } | { kind: 'run'; config: Config };

/**
 * Reads the configuration from command-line flags and environment variables (flags win).
 *
 * @throws {ConfigError} for an unknown flag, a stray argument or a bad value.
 * @example
 * const line = readCommandLine(process.argv.slice(2), process.env);
 * if (line.kind === 'help') console.log(line.text);
 */
export function readCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): CommandLine {
  const options = Object.fromEntries(
    SETTINGS.map((s) => [
      s.flag,
      { type: s.kind === 'boolean' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  // Not strict: we walk the tokens ourselves to name the offending flag in our own words.
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });

  const command = invocation(env);
  const fromFlags = new Map<Setting, string>();
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw new ConfigError(`Unexpected argument ${JSON.stringify(token.value)}; see ${command} --help.`);
    }
    if (token.name === 'help') return { kind: 'help', text: helpText(command) };
    if (token.name === 'version') return { kind: 'version', text: `parley ${PARLEY_VERSION}\n` };
    const setting = SETTINGS.find((s) => s.flag === token.name);
    if (!setting) throw new ConfigError(`Unknown option ${token.rawName}; see ${command} --help.`);
    if (token.value === undefined) {
      if (setting.kind !== 'boolean') {
        throw new ConfigError(`Missing value for ${settingName(setting)}: expected ${setting.allowed}.`);
      }
      fromFlags.set(setting, 'true');
    } else {
      fromFlags.set(setting, token.value);
    }
  }

  const values: Partial<Record<UserKey, unknown>> = {};
  for (const setting of SETTINGS) {
    const envValue = setting.secret ? secretFromEnvironment(setting, env) : env[setting.env];
    // An empty environment variable counts as unset, as shells make those easily by accident.
    const raw = fromFlags.get(setting) ?? (envValue === '' ? undefined : envValue) ?? setting.default;
    if (raw !== undefined) values[setting.key] = check(setting, fromText(setting.kind, raw), raw);
  }
  return { kind: 'run', config: finish(values) };
}

/**
 * A secret from its variable or from the file its `_FILE` variable names (systemd's `LoadCredential`,
 * Docker and Kubernetes secrets), without the file's trailing newline.
 */
function secretFromEnvironment(setting: Setting, env: NodeJS.ProcessEnv): string | undefined {
  const fileVariable = `${setting.env}_FILE`;
  const path = env[fileVariable];
  if (path === undefined || path === '') return env[setting.env];
  if (env[setting.env] !== undefined && env[setting.env] !== '')
    throw new ConfigError(`Set ${setting.env} or ${fileVariable}, not both.`);
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(`Invalid ${fileVariable}: cannot read ${path} (${reason(error)}).`);
  }
}

/**
 * A configuration from the defaults and typed overrides, checked like the command line is. For code that
 * starts a server itself (tests, embedding).
 *
 * @throws {ConfigError} for a bad value.
 */
export function configFrom(overrides: Partial<Config> = {}): Config {
  const values: Partial<Record<UserKey, unknown>> = {};
  for (const setting of SETTINGS) {
    if (setting.default !== undefined) values[setting.key] = fromText(setting.kind, setting.default);
    if (setting.key in overrides) {
      const value = overrides[setting.key];
      values[setting.key] = value === undefined ? undefined : check(setting, value);
    }
  }
  return finish(values, overrides.webRoot);
}

/** Cross-field checks, then the frozen result. */
function finish(values: Partial<Record<UserKey, unknown>>, webRoot: string = DEFAULT_WEB_ROOT): Config {
  const parsed = Assembled.safeParse({ ...values, webRoot });
  // Every field was checked one by one already; this only fails on a bug in the table.
  if (!parsed.success) throw new ConfigError(`Internal configuration error: ${parsed.error.message}`);
  const config = parsed.data;

  const [cert, key] = [setting('tlsCert'), setting('tlsKey')];
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(`Set both ${settingName(cert)} and ${settingName(key)}, or neither.`);
  }
  if (config.http && config.tlsCert !== undefined) {
    throw new ConfigError(
      `${settingName(setting('http'))} serves plain HTTP; it cannot be combined with ${settingName(cert)}.`,
    );
  }
  if (config.tlsCert !== undefined && config.tlsKey !== undefined)
    checkTlsFiles(config.tlsCert, config.tlsKey);

  if (config.http && config.httpRedirectPort !== undefined) {
    throw new ConfigError(
      `${settingName(setting('http'))} serves plain HTTP; ${settingName(setting('httpRedirectPort'))} redirects to HTTPS and cannot be combined with it.`,
    );
  }

  const [turnUrls, turnSecret] = [setting('turnUrls'), setting('turnSecret')];
  // URLs without a secret would be handed out with no way to log in; a secret alone does nothing.
  if ((config.turnUrls.length === 0) !== (config.turnSecret === undefined)) {
    throw new ConfigError(`Set both ${settingName(turnUrls)} and ${settingName(turnSecret)}, or neither.`);
  }
  if (config.icePolicy === 'relay' && config.turnUrls.length === 0) {
    throw new ConfigError(
      `${settingName(setting('icePolicy'))} relay needs a relay: set ${settingName(turnUrls)} and ${settingName(turnSecret)}.`,
    );
  }

  return Object.freeze({
    ...config,
    dataDir: resolve(config.dataDir),
    tlsCert: config.tlsCert === undefined ? undefined : resolve(config.tlsCert),
    tlsKey: config.tlsKey === undefined ? undefined : resolve(config.tlsKey),
    logFile: config.logFile === undefined ? undefined : resolve(config.logFile),
    turnUrls: Object.freeze([...config.turnUrls]),
    // As browsers write them: lower case, no default port, no trailing slash.
    allowedOrigins: Object.freeze(
      config.allowedOrigins.map((origin) => (origin === 'self' ? origin : new URL(origin).origin)),
    ),
    webRoot: resolve(config.webRoot),
  });
}

const Assembled = z.object({
  port: z.number(),
  host: z.string(),
  dataDir: z.string(),
  maxPeers: z.number(),
  tlsCert: z.optional(z.string()),
  tlsKey: z.optional(z.string()),
  http: z.boolean(),
  logLevel: z.enum(LOG_LEVELS),
  logFile: z.optional(z.string()),
  resumeWindowMs: z.number(),
  secret: z.optional(z.string()),
  redisUrl: z.optional(z.string()),
  metricsToken: z.optional(z.string()),
  stunPort: z.number(),
  turnUrls: z._default(z.array(z.string()), []),
  turnSecret: z.optional(z.string()),
  turnTtl: z.number(),
  icePolicy: z.enum(['all', 'relay']),
  allowedOrigins: z.array(z.string()),
  trustProxy: z.string(),
  maxConnectionsPerIp: z.number(),
  maxTcpConnectionsPerIp: z.number(),
  maxConnections: z.number(),
  rateJoin: rate,
  rateJoinIp: rate,
  rateSignal: rate,
  rateSignalIp: rate,
  rateIce: rate,
  rateIceIp: rate,
  rateIceLobbyIp: rate,
  rateEvents: rate,
  httpRedirectPort: z.optional(z.number()),
  shutdownTimeoutMs: z.number(),
  webRoot: z.string(),
});

function setting(key: UserKey): Setting {
  const found = SETTINGS.find((s) => s.key === key);
  if (!found) throw new TypeError(`No setting ${key}`);
  return found;
}

/** Fails at start-up, with the setting's name, rather than at the first TLS handshake. */
function checkTlsFiles(certPath: string, keyPath: string): void {
  const [certSetting, keySetting] = [setting('tlsCert'), setting('tlsKey')];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certPath));
  } catch (error) {
    throw new ConfigError(
      `Invalid ${settingName(certSetting)}: cannot read a PEM certificate from ${certPath} (${reason(error)}).`,
    );
  }
  try {
    const key = createPrivateKey(readFileSync(keyPath));
    if (!cert.checkPrivateKey(key)) {
      throw new ConfigError(`Invalid ${settingName(keySetting)}: ${keyPath} is not the key of ${certPath}.`);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `Invalid ${settingName(keySetting)}: cannot read a PEM private key from ${keyPath} (${reason(error)}).`,
    );
  }
}

function reason(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? (error.message.split('\n')[0] ?? 'unreadable') : 'unreadable';
}
