import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSocket } from 'node:dgram';
import { type AddressInfo, connect, createServer as createNetServer } from 'node:net';
import { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/server/config/index.js';
import { freePort } from '../support/ports.js';
import { type RunningRedis, startRedis } from '../support/redis.js';

const CLI = join(import.meta.dirname, '../../src/cli.ts');

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stderr, as soon as it appears. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the `parley` command from source, with only the environment given (plus PATH and HOME). */
function parley(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const watchers: (() => void)[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    for (const watcher of [...watchers]) watcher();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStderr(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = err.match(pattern);
          if (!match) return;
          watchers.splice(watchers.indexOf(check), 1);
          resolve(match);
        };
        watchers.push(check);
        check();
        void exited.then(() => reject(new Error(`parley exited before printing ${pattern}:\n${err}`)));
      });
    },
  };
}

describe('the parley command', () => {
  const running: Run[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const run of running.splice(0)) {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('exits with 2 and one line naming the setting when a flag is bad', async () => {
    const run = parley(['--max-peers', '9']);
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toBe(
      'parley: Invalid --max-peers (PARLEY_MAX_PEERS): expected an integer from 2 to 8, got "9".\n',
    );
  });

  it('exits with 2 naming the variable when an environment variable is bad', async () => {
    const run = parley([], { PARLEY_HTTP: 'maybe' });
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toMatch(/^parley: Invalid --http \(PARLEY_HTTP\): .*"maybe"\.\n$/);
  });

  it('exits with 2 for an unknown flag', async () => {
    const run = parley(['--prot', '80']);
    expect(await run.exited).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toContain('Unknown option --prot');
  });

  it('exits with 1 and one line when Redis cannot be reached', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    dirs.push(dataDir);
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const run = parley(['--http', '--port', '0', '--redis-url', 'redis://:hunter2@127.0.0.1:1'], {
      PARLEY_LOG_LEVEL: 'silent',
      PARLEY_DATA_DIR: dataDir,
    });
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(
      /^parley: could not start: cannot reach Redis at redis:\/\/.*127\.0\.0\.1:1.*\n$/,
    );
    expect(run.stderr()).not.toContain('hunter2');
  });

  it('prints every setting for --help and exits with 0', async () => {
    const run = parley(['--help']);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    for (const setting of SETTINGS) {
      expect(run.stdout()).toContain(`--${setting.flag}`);
      expect(run.stdout()).toContain(setting.env);
    }
  });

  it('starts over HTTPS, prints the URL and fingerprint, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    dirs.push(dataDir);
    const run = parley([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      dataDir,
      '--log-level',
      'silent',
      // Parallel test runs would otherwise fight over UDP 3478.
      '--stun-port',
      '0',
    ]);
    running.push(run);

    const [, url = ''] = await run.waitForStderr(/^ {2}(https:\/\/localhost:\d+)$/m);
    const [, fingerprint] = await run.waitForStderr(/^ {2}((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/m);
    const ca = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8');
    const served = await new Promise<string | undefined>((resolve, reject) => {
      const req = request(`${url}/healthz`, { ca }, (res) => {
        res.resume();
        if (res.statusCode !== 200 || !(res.socket instanceof TLSSocket)) resolve(undefined);
        else resolve(res.socket.getPeerCertificate().fingerprint256);
      });
      req.on('error', reject);
      req.end();
    });
    expect(served).toBe(fingerprint);

    run.child.kill('SIGTERM');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toBe('');
  });

  it('prints its version for --version and exits with 0', async () => {
    const run = parley(['--version']);
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(run.stdout()).toMatch(/^parley \d+\.\d+\.\d+\n$/);
  });

  it('answers plain http:// on the HTTPS port, and on --http-redirect-port, with a 308 to https', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    dirs.push(dataDir);
    const redirectPort = await freePort();
    const run = parley([
      ...['--port', '0', '--host', '127.0.0.1', '--stun-port', '0', '--log-level', 'silent'],
      ...['--data-dir', dataDir, '--http-redirect-port', String(redirectPort)],
    ]);
    running.push(run);
    const [, port = ''] = await run.waitForStderr(/^ {2}https:\/\/localhost:(\d+)$/m);

    const same = await fetch(`http://localhost:${port}/r/team?from=mail#x`, { redirect: 'manual' });
    expect(same.status).toBe(308);
    expect(same.headers.get('location')).toBe(`https://localhost:${port}/r/team?from=mail`);
    const second = await fetch(`http://localhost:${redirectPort}/r/team?a=1`, { redirect: 'manual' });
    expect(second.status).toBe(308);
    expect(second.headers.get('location')).toBe(`https://localhost:${port}/r/team?a=1`);
    // HTTPS on the same port is served as before.
    const ca = await readFile(join(dataDir, 'tls', 'cert.pem'), 'utf8');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`https://localhost:${port}/healthz`, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
  });

  it('refuses to put a forged Host header into the redirect', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
    dirs.push(dataDir);
    const run = parley(['--port', '0', '--host', '127.0.0.1', '--stun-port', '0', '--data-dir', dataDir]);
    running.push(run);
    const [, port = ''] = await run.waitForStderr(/^ {2}https:\/\/localhost:(\d+)$/m);
    const reply = await rawRequest(Number(port), 'GET / HTTP/1.1\r\nHost: evil.example/x\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).not.toContain('evil.example');
  });

  it('answers a rejected setting from `npm start` without building again', async () => {
    const root = join(import.meta.dirname, '../..');
    if (!existsSync(join(root, 'dist', '.build-inputs')))
      throw new Error('No dist/.build-inputs: run `npm run build` first (`npm test` does).');
    const cli = await stat(join(root, 'dist', 'cli.js'));
    const child = spawn('npm', ['start', '--silent', '--', '--port', 'nope'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(err).toContain('parley: Invalid --port (PORT): expected an integer from 0 to 65535, got "nope".');
    expect(err).not.toContain('building');
    expect((await stat(join(root, 'dist', 'cli.js'))).mtimeMs).toBe(cli.mtimeMs);
  });

  describe('a start that fails', () => {
    let redis: RunningRedis | undefined;
    afterEach(async () => {
      await redis?.close();
      redis = undefined;
    });

    it('with Redis, because the STUN port is taken, exits 1 with one plain line', async () => {
      redis = await startRedis();
      const taken = createSocket('udp4');
      await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
      try {
        const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
        dirs.push(dataDir);
        const run = parley(
          ['--port', '0', '--host', '127.0.0.1', '--stun-port', String(taken.address().port)],
          { PARLEY_REDIS_URL: redis.url, PARLEY_DATA_DIR: dataDir },
        );
        expect(await run.exited).toEqual({ code: 1, signal: null });
        expect(run.stderr()).toMatch(/^parley: could not start: cannot answer STUN on UDP .*EADDRINUSE.*\n$/);
        expect(run.stdout()).not.toContain('closing');
      } finally {
        taken.close();
      }
    });

    it('with Redis, because the TCP port is taken, exits 1 with one plain line', async () => {
      redis = await startRedis();
      const taken = createNetServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      try {
        const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
        dirs.push(dataDir);
        const port = (taken.address() as AddressInfo).port;
        const run = parley(['--port', String(port), '--host', '127.0.0.1', '--stun-port', '0'], {
          PARLEY_REDIS_URL: redis.url,
          PARLEY_DATA_DIR: dataDir,
        });
        expect(await run.exited).toEqual({ code: 1, signal: null });
        expect(run.stderr()).toBe(
          `parley: could not start: cannot listen on TCP 127.0.0.1:${port} (EADDRINUSE); set --port (PORT) to a free port\n`,
        );
        expect(run.stdout()).not.toContain('closing');
      } finally {
        taken.close();
      }
    });
  });
});

/** Sends `text` as it is over plain TCP and resolves with everything the server answers. */
async function rawRequest(port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  socket.end(text);
  let reply = '';
  for await (const chunk of socket) reply += String(chunk);
  return reply;
}
