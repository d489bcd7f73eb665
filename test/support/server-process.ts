import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `parley` command (`npm run build`), exactly as `npm start` runs it. */
export const DIST_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** How long the server may take to print its address. */
const START_TIMEOUT_MS = 20_000;
/** How long a SIGTERM may take in {@link ServerProcess.stop} before the process is killed. */
const STOP_TIMEOUT_MS = 10_000;
/** How much of stdout (the JSON log) is kept for {@link ServerProcess.stdout}. */
const STDOUT_KEPT = 256 * 1024;

export interface ServerProcessOptions {
  /** A fixed port, so that clients reconnect to the same address after a restart; by default a free one. */
  port?: number;
  /**
   * A fixed data dir (and `secret`), so that resume tokens minted before a restart still verify after it;
   * the caller owns it then. By default a fresh one, removed once the process has been stopped or killed.
   */
  dataDir?: string;
  secret?: string;
  maxPeers?: number;
  /** More flags for the command, after the fixture's own (so they win). */
  args?: string[];
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  /** `http://127.0.0.1:PORT` as the server printed it (inside the namespace, when there is one). */
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** When the process said it was listening (Date.now()). */
  readonly listeningAt: number;
  /** Undefined while the process runs; its exit code or signal once it has exited. */
  readonly exit: ProcessExit | undefined;
  /** Resolves when the process exits. */
  readonly exited: Promise<ProcessExit>;
  /** What the process wrote to stdout (its JSON log), the last 256 KiB of it. */
  stdout(): string;
  /** Everything the process wrote to stderr, and the last lines of stdout: for failure messages. */
  output(): string;
  /** Log lines at level error or fatal, so far. */
  loggedErrors(): string[];
  /** The process's resident set size (`VmRSS` in /proc/PID/status), in KiB. */
  rssKiB(): Promise<number>;
  /**
   * Sends `signal` (SIGKILL by default: no goodbye to anyone) and waits for the process to exit; removes the
   * data dir the fixture made. Safe to call once it is gone.
   */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL if it takes too long; removes the data dir the fixture made. */
  stop(): Promise<void>;
}

/**
 * A Parley server as a real child process of `dist/cli.js`: plain HTTP on 127.0.0.1, no STUN responder, log
 * level warn, and only PATH and HOME from this environment (a PARLEY_* variable in the shell that runs the
 * tests changes nothing). For tests that look at the process itself: its exit, its memory, a SIGKILL and a
 * restart on the same port, data dir and secret. Resolves once the server prints the address it serves.
 *
 * @example
 * const server = await startServerProcess({ args: ['--max-peers', '4'] });
 * await server.stop();
 */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  if (!existsSync(DIST_CLI))
    throw new Error(`No ${DIST_CLI}: run \`npm run build\` first (\`npm test\` does).`);
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-process-')));
  const removeOwnDir = async () => {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
  };
  const args = [
    DIST_CLI,
    '--http',
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port ?? 0),
    '--data-dir',
    dataDir,
    '--stun-port',
    '0',
    '--log-level',
    process.env.PARLEY_TEST_LOG ? 'debug' : 'warn',
    ...(options.maxPeers === undefined ? [] : ['--max-peers', String(options.maxPeers)]),
    ...(options.args ?? []),
  ];
  // The secret goes through the environment, not the command line that `ps` shows.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  if (options.secret !== undefined) env.PARLEY_SECRET = options.secret;
  const stdio: ['ignore', 'pipe', 'pipe'] = ['ignore', 'pipe', 'pipe'];
  const child = options.netns
    ? spawn('ip', ['netns', 'exec', options.netns, process.execPath, ...args], { env, stdio })
    : spawn(process.execPath, args, { env, stdio });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      process.off('exit', killOnExit);
      resolve(exit);
    }),
  );
  let stderr = '';
  let stdout = '';
  const errorLines: string[] = [];
  let partialLine = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    if (process.env.PARLEY_TEST_LOG) process.stdout.write(chunk);
    stdout = (stdout + chunk).slice(-STDOUT_KEPT);
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop() ?? '';
    // pino's levels: 50 error, 60 fatal.
    for (const line of lines) if (/"level":(50|60)[,}]/.test(line)) errorLines.push(line.slice(0, 2000));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`parley did not start within ${START_TIMEOUT_MS} ms:\n${stderr}`)),
      START_TIMEOUT_MS,
    );
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      // src/cli.ts prints "Parley is running. Open:" and then the address, indented by two spaces.
      const match = /^Parley is running\. Open:\n {2}(http:\/\/\S+)$/m.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`parley exited (${code ?? signal}) before listening:\n${stderr}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    await removeOwnDir();
    throw error;
  });
  const listeningAt = Date.now();
  const pid = child.pid;
  if (pid === undefined) throw new Error('parley started without a PID');

  return {
    url,
    pid,
    child,
    listeningAt,
    get exit() {
      return exit;
    },
    exited,
    stdout: () => stdout,
    output: () => `${stderr}\n…${stdout.slice(-4000)}`,
    loggedErrors: () => [...errorLines],
    async rssKiB() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
      return Number(match[1]);
    },
    async kill(signal = 'SIGKILL') {
      // By PID: with a namespace, `ip netns exec` has exec'd node, so the PID is the server's own.
      if (child.exitCode === null && child.signalCode === null) process.kill(pid, signal);
      await exited;
      await removeOwnDir();
    },
    async stop() {
      if (exit === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await removeOwnDir();
    },
  };
}
