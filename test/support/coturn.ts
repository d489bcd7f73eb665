import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StunMethod, buildStunMessage, parseStunMessage } from '../../src/server/ice/stun-message.js';

/** Debian's coturn; never anything downloaded by a test. */
export const TURNSERVER_PATH = process.env.PARLEY_TURNSERVER ?? '/usr/bin/turnserver';

const HOST = '127.0.0.1';
/** How long coturn may take to open its listener before the test fails and shows its log. */
const READY_TIMEOUT_MS = 10_000;
/** How long it may take to exit after SIGTERM before it is killed outright. */
const STOP_TIMEOUT_MS = 5_000;
/** Relay ports per instance: a call needs one per candidate, a few tests a few dozen. */
const RELAY_PORTS = 100;

export interface CoturnOptions {
  /** The `static-auth-secret` (TURN REST credentials, `use-auth-secret`). */
  secret: string;
  realm?: string;
  /** The turnserver binary; defaults to {@link TURNSERVER_PATH}. */
  binary?: string;
}

export interface RunningCoturn {
  /** `turn:127.0.0.1:PORT`, for `RTCIceServer.urls`. */
  url: string;
  port: number;
  pid: number;
  /** Everything coturn has logged so far, for a failing test's message. */
  log(): string;
  /** Stops coturn (by its PID) and removes its files. Safe to call more than once. */
  close(): Promise<void>;
}

/**
 * Starts Debian's coturn on 127.0.0.1 on a free port, with the flags from the team's testing guide, and
 * resolves once it is really listening: its log has announced the UDP listener, and it has answered a
 * STUN Binding request on that port.
 *
 * @example
 * const coturn = await startCoturn({ secret: 'test-secret' });
 * const { username, credential } = mintTurnCredentials({ secret: 'test-secret', ttlSeconds: 600, id: 'p' });
 * // iceServers: [{ urls: coturn.url, username, credential }]
 * await coturn.close();
 */
export async function startCoturn({
  secret,
  realm = 'parley.test',
  binary = TURNSERVER_PATH,
}: CoturnOptions): Promise<RunningCoturn> {
  if (!existsSync(binary)) {
    throw new Error(
      `coturn is not installed at ${binary}. Install Debian's package (apt-get install coturn) ` +
        'or point PARLEY_TURNSERVER at a turnserver binary.',
    );
  }
  const port = await freePort();
  // Below Linux's ephemeral range (32768-60999), so the OS does not hand these out to other sockets; a
  // random block so that instances started side by side rarely share ports.
  const minPort = 10_000 + randomInt(0, 220) * RELAY_PORTS;
  const maxPort = minPort + RELAY_PORTS - 1;
  const dir = await mkdtemp(join(tmpdir(), 'parley-coturn-'));

  const args = [
    '-n', // no configuration file: everything is on this command line
    '-v', // verbose, so the log announces each listener as it opens
    `--listening-ip=${HOST}`,
    `--relay-ip=${HOST}`,
    `--listening-port=${port}`,
    `--min-port=${minPort}`,
    `--max-port=${maxPort}`,
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    '--fingerprint',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    // Peers are on 127.0.0.1 too; coturn refuses to relay to loopback without this.
    '--allow-loopback-peers',
    '--log-file=stdout',
    '--simple-log',
    // Keep each instance's files to itself (the defaults are /var/run/turnserver.pid and /var/lib/turn).
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const log = () => lines.join('\n');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= stop(child).finally(() => rm(dir, { recursive: true, force: true }));
    return closing;
  };

  try {
    await waitForListener(child, lines, port);
    await probe(port);
  } catch (error) {
    await close();
    throw new Error(`coturn did not start: ${(error as Error).message}\n--- coturn log ---\n${log()}`, {
      cause: error,
    });
  }

  const pid = child.pid;
  if (pid === undefined) throw new Error('coturn has no PID');
  return { url: `turn:${HOST}:${port}`, port, pid, log, close };
}

/** Resolves when coturn logs that its UDP listener is open on `port`; rejects if it exits first. */
function waitForListener(child: ChildProcess, lines: string[], port: number): Promise<void> {
  const wanted = `UDP listener opened on: ${HOST}:${port}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${wanted}" in its log within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`it exited (code ${code}, signal ${signal})`));
    };
    child.once('exit', onExit);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        if (line.includes(wanted)) {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve();
        }
      });
    }
  });
}

/** One STUN Binding request to coturn (it answers those without credentials), checked with our codec. */
async function probe(port: number): Promise<void> {
  const socket = createSocket('udp4');
  try {
    const transactionId = randomBytes(12);
    const request = buildStunMessage({ method: StunMethod.binding, class: 'request', transactionId });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no answer to a STUN Binding request within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      socket.on('message', (datagram) => {
        const parsed = parseStunMessage(datagram);
        if (parsed.ok && parsed.message.transactionId.equals(transactionId)) {
          clearTimeout(timer);
          if (parsed.message.class === 'success-response') resolve();
          else reject(new Error(`a Binding ${parsed.message.class}`));
        }
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.send(request, port, HOST);
    });
  } finally {
    socket.close();
  }
}

/** SIGTERM to the child's PID, then SIGKILL if it has not exited in time; resolves once it has exited. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * A port free for both UDP and TCP on 127.0.0.1 (coturn listens on both). The OS picks a free UDP port;
 * another process may hold the same TCP port, so try again with another one.
 */
async function freePort(): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await freePortOnce();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 20) throw error;
    }
  }
}

async function freePortOnce(): Promise<number> {
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, HOST, resolve));
  const port = udp.address().port;
  const tcp = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(port, HOST, resolve);
    });
  } finally {
    udp.close();
    await new Promise<void>((resolve) => (tcp.listening ? tcp.close(() => resolve()) : resolve()));
  }
  return port;
}
