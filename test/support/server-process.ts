import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built `parley` command (`npm run build`). */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** How long the server may take to say it is listening. */
const START_TIMEOUT_MS = 15_000;

export interface ServerProcessOptions {
  /** A fixed port, so that clients reconnect to the same address after a restart. */
  port: number;
  /** A fixed data dir and secret, so that resume tokens minted before a restart still verify after it. */
  dataDir: string;
  secret: string;
  maxPeers?: number;
  /** Run inside this network namespace (`ip netns exec`). */
  netns?: string;
}

export interface ServerProcess {
  /** `http://127.0.0.1:PORT` (inside the namespace, when there is one). */
  url: string;
  pid: number;
  /** When the process said it was listening (Date.now()). */
  listeningAt: number;
  /** Sends `signal` to this process (by its PID) and waits for it to exit. Safe to call once it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** What the server wrote to stderr, for failure messages. */
  output(): string;
}

/**
 * A Parley server as a real child process of `dist/cli.js`, for tests that kill it (SIGKILL: no goodbye to
 * anyone) and start it again on the same port, data dir and secret. Plain HTTP on 127.0.0.1, no STUN.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  if (!existsSync(CLI)) throw new Error(`No ${CLI}: run \`npm run build\` first (\`npm test\` does).`);
  const args = [
    CLI,
    '--http',
    '--host',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--data-dir',
    options.dataDir,
    '--stun-port',
    '0',
    '--log-level',
    process.env.PARLEY_TEST_LOG ? 'debug' : 'warn',
    '--max-peers',
    String(options.maxPeers ?? 2),
  ];
  // The secret goes through the environment, not the command line that `ps` shows.
  const env = { ...process.env, PARLEY_SECRET: options.secret };
  const child: ChildProcess = options.netns
    ? spawn('ip', ['netns', 'exec', options.netns, process.execPath, ...args], { env, stdio: 'pipe' })
    : spawn(process.execPath, args, { env, stdio: 'pipe' });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = once(child, 'exit');

  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    if (process.env.PARLEY_TEST_LOG) process.stdout.write(chunk);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`parley did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Parley is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`parley exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  const listeningAt = Date.now();
  const pid = child.pid;
  if (pid === undefined) throw new Error('parley started without a PID');

  return {
    url: `http://127.0.0.1:${options.port}`,
    pid,
    listeningAt,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, signal);
        await exited;
      }
      process.off('exit', killOnExit);
    },
    output: () => output,
  };
}
