import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  ConfigError,
  DEFAULT_WEB_ROOT,
  SETTINGS,
  SETTING_GROUPS,
  configFrom,
  helpText,
  invocation,
  readCommandLine,
} from './config/index.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const line = readCommandLine(argv, env);
  if (line.kind !== 'run') throw new Error(`expected a configuration, got ${line.kind}`);
  return line.config;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('readCommandLine', () => {
  it('has the documented defaults', () => {
    const config = run([]);
    expect(config).toEqual({
      port: 8443,
      host: '0.0.0.0',
      dataDir: resolve('.data'),
      maxPeers: 2,
      uploadBudget: 2500,
      tlsCert: undefined,
      tlsKey: undefined,
      http: false,
      logLevel: 'info',
      logFile: undefined,
      resumeWindowMs: 5000,
      secret: undefined,
      redisUrl: undefined,
      metricsToken: undefined,
      stunPort: 3478,
      turnUrls: [],
      turnSecret: undefined,
      turnTtl: 86400,
      icePolicy: 'all',
      allowedOrigins: ['self'],
      trustProxy: 'false',
      maxConnectionsPerIp: 200,
      maxTcpConnectionsPerIp: 256,
      maxConnections: 10000,
      rateJoin: { points: 10, seconds: 60 },
      rateJoinIp: { points: 300, seconds: 60 },
      rateSignal: { points: 500, seconds: 10 },
      rateSignalIp: { points: 5000, seconds: 10 },
      rateIce: { points: 20, seconds: 60 },
      rateIceIp: { points: 600, seconds: 60 },
      rateIceLobbyIp: { points: 30, seconds: 60 },
      rateEvents: { points: 600, seconds: 10 },
      shutdownTimeoutMs: 10000,
      webRoot: resolve(DEFAULT_WEB_ROOT),
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads allowed origins as browsers write them, with self', () => {
    const config = run(['--allowed-origins', 'self, HTTPS://Meet.Example.org:443/,http://10.0.0.5:8080']);
    expect(config.allowedOrigins).toEqual(['self', 'https://meet.example.org', 'http://10.0.0.5:8080']);
    for (const bad of ['https://a.example/path', 'meet.example.org', 'ftp://a.example', '*', ',']) {
      expect(errorOf(() => run(['--allowed-origins', bad])).message).toMatch(
        /^Invalid --allowed-origins \(PARLEY_ALLOWED_ORIGINS\): expected self and origins/,
      );
    }
  });

  it("reads trust-proxy in express's forms and refuses the rest", () => {
    for (const good of ['false', 'true', '1', '10', 'loopback', 'loopback, 10.0.0.0/8, ::1', '192.0.2.1'])
      expect(run([], { PARLEY_TRUST_PROXY: good }).trustProxy).toBe(good);
    for (const bad of ['0', '11', 'yes', '10.0.0.0/33', 'proxy.example.org'])
      expect(errorOf(() => run(['--trust-proxy', bad])).message).toContain('Invalid --trust-proxy');
  });

  it('reads a secret from the file its _FILE variable names, and says when that goes wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-secret-'));
    const file = join(dir, 'turn-secret');
    writeFileSync(file, 'a-turn-secret-from-a-file\n');
    const urls = { PARLEY_TURN_URLS: 'turn:turn.example.org:3478' };
    expect(run([], { ...urls, PARLEY_TURN_SECRET_FILE: file }).turnSecret).toBe('a-turn-secret-from-a-file');
    expect(() => run([], { PARLEY_SECRET: 'x'.repeat(32), PARLEY_SECRET_FILE: file })).toThrow(
      'Set PARLEY_SECRET or PARLEY_SECRET_FILE, not both.',
    );
    expect(() => run([], { PARLEY_METRICS_TOKEN_FILE: join(dir, 'missing') })).toThrow(
      `Invalid PARLEY_METRICS_TOKEN_FILE: cannot read ${join(dir, 'missing')} (ENOENT).`,
    );
    rmSync(dir, { recursive: true });
  });

  it('reads rates as count/seconds', () => {
    const config = run(['--rate-signal', '50/1s', '--rate-join-ip', '7 / 30'], { PARLEY_RATE_ICE: '3/2s' });
    expect(config.rateSignal).toEqual({ points: 50, seconds: 1 });
    expect(config.rateJoinIp).toEqual({ points: 7, seconds: 30 });
    expect(config.rateIce).toEqual({ points: 3, seconds: 2 });
    for (const bad of ['50', '0/10s', '5/0s', '5/10m', 'fast'])
      expect(errorOf(() => run(['--rate-signal', bad])).message).toBe(
        `Invalid --rate-signal (PARLEY_RATE_SIGNAL): expected a count per window such as 600/10s: 1 to 1000000 per 1 to 3600 seconds, got ${JSON.stringify(bad)}.`,
      );
  });

  it('points webRoot at <repo>/dist/web', () => {
    expect(DEFAULT_WEB_ROOT).toBe(resolve(import.meta.dirname, '../../dist/web') + '/');
  });

  it('reads environment variables', () => {
    const config = run([], {
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: '/tmp/parley-x',
      PARLEY_MAX_PEERS: '4',
      PARLEY_HTTP: 'yes',
      PARLEY_LOG_LEVEL: 'debug',
      PARLEY_LOG_FILE: 'parley.log',
      PARLEY_RESUME_WINDOW_MS: '250',
      PARLEY_SECRET: 's'.repeat(32),
    });
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      dataDir: '/tmp/parley-x',
      maxPeers: 4,
      http: true,
      logLevel: 'debug',
      logFile: resolve('parley.log'),
      resumeWindowMs: 250,
      secret: 's'.repeat(32),
    });
  });

  it('reads the Redis URL and the metrics token', () => {
    const config = run(['--redis-url', 'rediss://:pw@redis.internal:6380/0'], {
      PARLEY_METRICS_TOKEN: 't'.repeat(16),
    });
    expect(config).toMatchObject({
      redisUrl: 'rediss://:pw@redis.internal:6380/0',
      metricsToken: 't'.repeat(16),
    });
  });

  it('lets flags win over environment variables', () => {
    const config = run(['--port', '9000', '--max-peers=3', '--http=no'], {
      PORT: '1234',
      PARLEY_MAX_PEERS: '8',
      PARLEY_HTTP: '1',
    });
    expect(config).toMatchObject({ port: 9000, maxPeers: 3, http: false });
  });

  it('treats a bare boolean flag as true and accepts the usual words', () => {
    expect(run(['--http']).http).toBe(true);
    for (const [word, value] of [
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['No', false],
    ] as const) {
      expect(run([], { PARLEY_HTTP: word }).http).toBe(value);
    }
  });

  it('treats an empty environment variable as unset', () => {
    expect(run([], { PORT: '' }).port).toBe(8443);
  });

  it.each([
    [['--port', '70000'], '--port (PORT)', 'an integer from 0 to 65535'],
    [['--port', 'abc'], '--port (PORT)', 'an integer from 0 to 65535'],
    [['--port', '80.5'], '--port (PORT)', 'an integer from 0 to 65535'],
    [['--max-peers', '1'], '--max-peers (PARLEY_MAX_PEERS)', 'from 2 to 8'],
    [['--max-peers', '9'], '--max-peers (PARLEY_MAX_PEERS)', 'from 2 to 8'],
    [['--http=maybe'], '--http (PARLEY_HTTP)', 'true, false, 1, 0, yes or no'],
    [
      ['--log-level', 'loud'],
      '--log-level (PARLEY_LOG_LEVEL)',
      'fatal, error, warn, info, debug, trace, silent',
    ],
    [['--resume-window-ms', '-1'], '--resume-window-ms (PARLEY_RESUME_WINDOW_MS)', 'from 0 to 120000'],
    [['--resume-window-ms', '120001'], '--resume-window-ms (PARLEY_RESUME_WINDOW_MS)', 'from 0 to 120000'],
    [['--secret', 'short'], '--secret (PARLEY_SECRET)', 'at least 32 characters'],
    [['--host='], '--host (HOST)', 'a host name'],
    [['--redis-url', 'http://localhost:6379'], '--redis-url (PARLEY_REDIS_URL)', 'a redis:// or rediss://'],
    [['--redis-url', 'redis://'], '--redis-url (PARLEY_REDIS_URL)', 'a redis:// or rediss://'],
    [['--metrics-token', 'short'], '--metrics-token (PARLEY_METRICS_TOKEN)', 'at least 16 characters'],
    [['--stun-port', '65536'], '--stun-port (PARLEY_STUN_PORT)', 'an integer from 0 to 65535'],
    [['--turn-urls', 'http://turn.example.org'], '--turn-urls (PARLEY_TURN_URLS)', 'turn: or turns: URLs'],
    [['--turn-urls', 'turn:a.org,stun:b.org'], '--turn-urls (PARLEY_TURN_URLS)', 'turn: or turns: URLs'],
    [['--turn-urls', 'turn:a.org:70000'], '--turn-urls (PARLEY_TURN_URLS)', 'turn: or turns: URLs'],
    [['--turn-urls', 'turn:a.org?transport=sctp'], '--turn-urls (PARLEY_TURN_URLS)', 'turn: or turns: URLs'],
    [['--turn-secret', 'short'], '--turn-secret (PARLEY_TURN_SECRET)', 'at least 16 characters'],
    [['--turn-ttl', '59'], '--turn-ttl (PARLEY_TURN_TTL)', 'from 60 to 604800'],
    [['--turn-ttl', '604801'], '--turn-ttl (PARLEY_TURN_TTL)', 'from 60 to 604800'],
    [['--ice-policy', 'none'], '--ice-policy (PARLEY_ICE_POLICY)', 'all or relay'],
  ])('rejects %j naming %s', (argv, name, allowed) => {
    const error = errorOf(() => run(argv));
    expect(error.message).toContain(name);
    expect(error.message).toContain(allowed);
    expect(error.message).not.toContain('\n');
  });

  it('names the setting when the bad value comes from the environment', () => {
    expect(errorOf(() => run([], { PARLEY_MAX_PEERS: 'ten' })).message).toBe(
      'Invalid --max-peers (PARLEY_MAX_PEERS): expected an integer from 2 to 8, got "ten".',
    );
  });

  it('never echoes a secret back', () => {
    expect(errorOf(() => run(['--secret', 'hunter2'])).message).not.toContain('hunter2');
  });

  it('reads TURN settings: comma-separated URLs, the secret, the lifetime and the policy', () => {
    const config = run(['--ice-policy', 'relay', '--stun-port=0'], {
      PARLEY_TURN_URLS: ' turn:t.example.org:3478?transport=udp, turns:[2001:db8::1]:5349?transport=tcp ,',
      PARLEY_TURN_SECRET: 't'.repeat(16),
      PARLEY_TURN_TTL: '3600',
    });
    expect(config).toMatchObject({
      stunPort: 0,
      turnUrls: ['turn:t.example.org:3478?transport=udp', 'turns:[2001:db8::1]:5349?transport=tcp'],
      turnSecret: 't'.repeat(16),
      turnTtl: 3600,
      icePolicy: 'relay',
    });
  });

  it('wants TURN URLs and secret together, and a relay for the relay policy', () => {
    const secret = 'hunter2-hunter2-hunter2';
    const urlsOnly = errorOf(() => run(['--turn-urls', 'turn:t.example.org']));
    expect(urlsOnly.message).toBe(
      'Set both --turn-urls (PARLEY_TURN_URLS) and --turn-secret (PARLEY_TURN_SECRET), or neither.',
    );
    const secretOnly = errorOf(() => run(['--turn-secret', secret]));
    expect(secretOnly.message).toBe(urlsOnly.message);
    expect(secretOnly.message).not.toContain(secret);
    const relay = errorOf(() => run(['--ice-policy', 'relay']));
    expect(relay.message).toContain('--ice-policy (PARLEY_ICE_POLICY)');
    expect(relay.message).toContain('--turn-urls (PARLEY_TURN_URLS)');
  });

  it('never echoes the TURN secret', () => {
    expect(errorOf(() => run(['--turn-secret', 'hunter2'])).message).not.toContain('hunter2');
  });

  it('rejects unknown flags, stray arguments and missing values', () => {
    expect(errorOf(() => run(['--prot', '80'])).message).toContain('Unknown option --prot');
    expect(errorOf(() => run(['serve'])).message).toContain('Unexpected argument "serve"');
    expect(errorOf(() => run(['--port'])).message).toContain('Missing value for --port (PORT)');
  });

  it('answers --help with the table instead of a configuration', () => {
    const line = readCommandLine(['--port', '1', '--help'], {});
    expect(line.kind).toBe('help');
    expect(readCommandLine(['-h'], {}).kind).toBe('help');
  });
});

describe('helpText', () => {
  it('has one row per setting with its flag, variable and default', () => {
    const text = helpText();
    for (const setting of SETTINGS) {
      const row = text
        .split('\n')
        .map((line) => line.trimStart())
        .find((line) => line.startsWith(`--${setting.flag} `) || line === `--${setting.flag}`);
      expect(row, setting.flag).toBeDefined();
      expect(row).toContain(setting.env);
      expect(row).toContain(setting.default === undefined ? '(unset)' : `(default ${setting.default})`);
    }
  });

  it('fits a terminal of 100 columns', () => {
    const widest = Math.max(
      ...helpText()
        .split('\n')
        .map((line) => line.length),
    );
    expect(widest).toBeLessThanOrEqual(100);
  });

  it('prints the settings under their headings, each setting once, in the order of the groups', () => {
    const lines = helpText().split('\n');
    const headings = Object.values(SETTING_GROUPS).map((heading) => lines.indexOf(heading));
    expect(headings.every((at) => at > 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    for (const setting of SETTINGS) {
      const row = lines.findIndex((line) => line.trimStart().split(' ')[0] === `--${setting.flag}`);
      const heading = lines.indexOf(SETTING_GROUPS[setting.group]);
      const next = headings.find((at) => at > heading) ?? lines.length;
      expect(row > heading && row < next, setting.flag).toBe(true);
    }
  });

  it('names the way Parley was started in its usage line and its errors', () => {
    expect(helpText(invocation({ npm_lifecycle_event: 'start' }))).toMatch(/^Usage: npm start -- \[options]/);
    expect(() => readCommandLine(['--nope'], { npm_lifecycle_event: 'start' })).toThrow(
      'see npm start -- --help',
    );
    expect(() => readCommandLine(['--nope'], {})).toThrow('see parley --help');
  });
});

describe('--version', () => {
  it("prints package.json's version", async () => {
    const pkg = z
      .object({ version: z.string() })
      .parse(JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')));
    expect(readCommandLine(['--version'], {})).toEqual({ kind: 'version', text: `parley ${pkg.version}\n` });
  });
});

describe('TLS settings', () => {
  let dir: string;
  let cert: string;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-config-'));
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
    });
    const other = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
    });
    [cert, key, otherKey] = [join(dir, 'cert.pem'), join(dir, 'key.pem'), join(dir, 'other-key.pem')];
    await writeFile(cert, pems.cert);
    await writeFile(key, pems.private);
    await writeFile(otherKey, other.private);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts a matching certificate and key', () => {
    expect(run(['--tls-cert', cert, '--tls-key', key])).toMatchObject({ tlsCert: cert, tlsKey: key });
  });

  it('wants both or neither', () => {
    const message = errorOf(() => run([], { PARLEY_TLS_CERT: cert })).message;
    expect(message).toContain('--tls-cert (PARLEY_TLS_CERT)');
    expect(message).toContain('--tls-key (PARLEY_TLS_KEY)');
  });

  it('names the file that is missing or unreadable', () => {
    expect(errorOf(() => run(['--tls-cert', join(dir, 'nope.pem'), '--tls-key', key])).message).toMatch(
      /^Invalid --tls-cert \(PARLEY_TLS_CERT\): cannot read a PEM certificate from .*nope\.pem \(ENOENT\)\.$/,
    );
    expect(errorOf(() => run(['--tls-cert', key, '--tls-key', key])).message).toContain('--tls-cert');
    expect(errorOf(() => run(['--tls-cert', cert, '--tls-key', cert])).message).toContain('--tls-key');
  });

  it('refuses a key that does not belong to the certificate', () => {
    expect(errorOf(() => run(['--tls-cert', cert, '--tls-key', otherKey])).message).toContain(
      'is not the key of',
    );
  });

  it('refuses TLS files together with plain HTTP', () => {
    expect(errorOf(() => run(['--http', '--tls-cert', cert, '--tls-key', key])).message).toContain(
      '--http (PARLEY_HTTP)',
    );
  });
});

describe('configFrom', () => {
  it('applies typed overrides over the defaults and freezes the result', () => {
    const config = configFrom({ port: 0, http: true, webRoot: '/srv/web' });
    expect(config).toMatchObject({ port: 0, http: true, host: '0.0.0.0', webRoot: '/srv/web' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('checks overrides like the command line', () => {
    expect(errorOf(() => configFrom({ maxPeers: 20 })).message).toContain('--max-peers (PARLEY_MAX_PEERS)');
    expect(errorOf(() => configFrom({ turnUrls: ['turn:ok.org', 'nope'] })).message).toContain(
      '--turn-urls (PARLEY_TURN_URLS)',
    );
  });
});
