import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `parley` command, exactly as `npm start` runs it. */
export const DIST_CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** How long the command may take to print its address. */
const START_TIMEOUT_MS = 20_000;
/** How long a SIGTERM may take before the process is killed. */
const STOP_TIMEOUT_MS = 10_000;

export interface CliServer {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Undefined while the process runs; its exit code or signal once it has exited. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Everything the process wrote to stderr, and the last lines of stdout (its JSON log). */
  output(): string;
  /** Log lines at level error or fatal, so far. */
  loggedErrors(): string[];
  /** The process's resident set size (`VmRSS` in /proc/PID/status), in KiB. */
  rssKiB(): Promise<number>;
  /** SIGTERM, then SIGKILL if it takes too long; removes the data dir. */
  stop(): Promise<void>;
}

/**
 * Runs `node dist/cli.js` as a child process: plain HTTP on 127.0.0.1, a free port, a fresh data dir, no
 * STUN responder, plus `args`. Resolves once it prints the address it serves.
 */
export async function startCliServer(args: string[] = []): Promise<CliServer> {
  if (!existsSync(DIST_CLI))
    throw new Error(`No ${DIST_CLI}: run \`npm run build\` first (\`npm test\` does).`);
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-cli-'));
  const child = spawn(
    process.execPath,
    [
      DIST_CLI,
      '--http',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--stun-port',
      '0',
      '--data-dir',
      dataDir,
      ...args,
    ],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdoutTail = '';
  let exit: CliServer['exit'];
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const errorLines: string[] = [];
  let partialLine = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdoutTail = (stdoutTail + chunk).slice(-4000);
    const lines = (partialLine + chunk).split('\n');
    partialLine = lines.pop() ?? '';
    // pino's levels: 50 error, 60 fatal.
    for (const line of lines) if (/"level":(50|60)[,}]/.test(line)) errorLines.push(line.slice(0, 2000));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`parley did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = /^ {2}(http:\/\/\S+)$/m.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`parley exited before it started:\n${stderr}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('parley has no pid');

  return {
    url,
    pid,
    child,
    get exit() {
      return exit;
    },
    output: () => `${stderr}\n…${stdoutTail}`,
    loggedErrors: () => [...errorLines],
    async rssKiB() {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
      if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
      return Number(match[1]);
    },
    async stop() {
      if (exit === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
