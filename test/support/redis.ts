import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, constants } from 'node:fs/promises';

import { createClient } from 'redis';
import { freePort } from './ports.js';

/** Debian's package puts it here (`apt-get install redis-server`). */
const REDIS_SERVER = '/usr/bin/redis-server';
/** How long a fresh redis-server may take to say it is ready; it usually takes a few milliseconds. */
const READY_TIMEOUT_MS = 10_000;
/** How long a redis-server may take to exit on SIGTERM before it gets SIGKILL. */
const STOP_TIMEOUT_MS = 5_000;

export interface RunningRedis {
  /** `redis://127.0.0.1:PORT`, for `createClient({ url })`. */
  url: string;
  port: number;
  /** Stops the server by its PID (SIGTERM, then SIGKILL if it lingers). Safe to call twice. */
  close(): Promise<void>;
  /** Kills the server by its PID with SIGKILL, as a crash would, and resolves once it is gone. */
  crash(): Promise<void>;
}

/**
 * A throwaway redis-server for tests: a free port on 127.0.0.1, no persistence, stopped by `close()`.
 * Resolves once the server has answered PING.
 *
 * @example
 * const redis = await startRedis();
 * const client = await createClient({ url: redis.url }).connect();
 * // ...
 * client.destroy();
 * await redis.close();
 */
export async function startRedis(options: { port?: number } = {}): Promise<RunningRedis> {
  try {
    await access(REDIS_SERVER, constants.X_OK);
  } catch (error) {
    throw new Error(`${REDIS_SERVER} is missing: the Redis tests need it (apt-get install redis-server).`, {
      cause: error,
    });
  }
  // A restart on the port of a server that is gone: nothing else is expected to have taken it.
  if (options.port !== undefined) return await launch(options.port);
  // The port is found free and then handed to redis-server, so another process can take it in between.
  // That shows as "Address already in use" and only then is another port tried; nothing else is retried.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(port);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function launch(port: number): Promise<RunningRedis> {
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // If the test process dies without calling close(), the server must not outlive it.
  const killOnExit = () => kill(child, 'SIGKILL');
  process.once('exit', killOnExit);

  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(`redis-server on port ${port} was not ready after ${READY_TIMEOUT_MS} ms:\n${output}`),
      );
    }, READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const why = `redis-server on port ${port} exited (${signal ?? `code ${code}`}) before it was ready`;
      reject(
        output.includes('Address already in use') ? new PortTakenError(why) : new Error(`${why}:\n${output}`),
      );
    });
  });

  let stopping: Promise<void> | undefined;
  const close = () => {
    stopping ??= stop(child).finally(() => process.off('exit', killOnExit));
    return stopping;
  };

  try {
    await ready;
    // The log line says the listener is up; a PING through a real client proves it answers.
    const client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on('error', () => {});
    await client.connect();
    try {
      const pong = await client.ping();
      if (pong !== 'PONG') throw new Error(`redis-server on port ${port} answered PING with ${String(pong)}`);
    } finally {
      client.destroy();
    }
  } catch (error) {
    await close();
    throw error;
  }
  const crash = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    kill(child, 'SIGKILL');
    await exited;
    process.off('exit', killOnExit);
  };
  return { url: `redis://127.0.0.1:${port}`, port, close, crash };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  kill(child, 'SIGTERM');
  const timer = setTimeout(() => kill(child, 'SIGKILL'), STOP_TIMEOUT_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Signals the process by its own PID only; a process that is already gone is not an error. */
function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ESRCH')) throw error;
  }
}
