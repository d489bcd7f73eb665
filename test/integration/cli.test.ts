import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/server/config.js';

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
});
