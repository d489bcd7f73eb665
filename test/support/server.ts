import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import {
  type Config,
  LOG_LEVELS,
  type LogLevel,
  type RunningServer,
  type StartOptions,
  configFrom,
  startParley,
} from '../../src/server/index.js';

export type TestServer = RunningServer & { dataDir: string };

/**
 * A real Parley server for tests: plain HTTP on 127.0.0.1, a free port, a fresh data dir, silent logs
 * (set PARLEY_TEST_LOG=debug, or any level, to see them).
 *
 * `close()` also deletes the data dir, unless the caller passed its own `dataDir` (to restart a server on
 * the same one, say): then the caller owns it.
 *
 * @example
 * const server = await startTestServer({ maxPeers: 3 });
 * const socket = io(server.url, { transports: ['websocket'] });
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: StartOptions = {},
): Promise<TestServer> {
  const ownDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'parley-test-')));
  try {
    const config = configFrom({
      host: '127.0.0.1',
      port: 0,
      http: true,
      // Off: parallel test servers would all want UDP 3478. A test that wants it asks for a port.
      stunPort: 0,
      logLevel: testLogLevel(),
      ...overrides,
      dataDir,
    });
    const server = await startParley(config, options);
    let closing: Promise<void> | undefined;
    return {
      ...server,
      dataDir,
      close() {
        closing ??= server.close().finally(async () => {
          if (ownDir) await rm(dataDir, { recursive: true, force: true });
        });
        return closing;
      },
    };
  } catch (error) {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Starts a {@link TestServer} that is closed after the test that started it. */
export type StartTestServer = (overrides?: Partial<Config>, options?: StartOptions) => Promise<TestServer>;

/**
 * The servers of the tests in the enclosing `describe` (or file): call it once, at collection time, and
 * start servers inside the tests with the function it returns. Each is closed after the test that started
 * it, passed or failed. Vitest runs `afterEach` hooks as a stack: register the hooks that must run after
 * the servers are closed (stopping Redis, say) before calling this, and those that must run before it
 * (closing clients) after.
 *
 * @example
 * const start = testServers();
 * it('…', async () => {
 *   const { url } = await start({ maxPeers: 3 });
 * });
 */
export function testServers(): StartTestServer {
  const started: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (overrides, options) => {
    const server = await startTestServer(overrides, options);
    started.push(server);
    return server;
  };
}

/**
 * A fresh server for each test of the enclosing `describe`, started in `beforeEach` and closed in
 * `afterEach`; read `.server` inside the tests (hooks registered after this one run before it is closed).
 *
 * @example
 * const each = serverForEachTest({ maxPeers: 3 });
 * const clients = new Clients(() => each.server.url);
 * afterEach(() => clients.closeAll());
 */
export function serverForEachTest(
  overrides: Partial<Config> = {},
  options: StartOptions = {},
): { readonly server: TestServer } {
  let server: TestServer | undefined;
  beforeEach(async () => {
    server = await startTestServer(overrides, options);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return {
    get server() {
      if (server === undefined) throw new Error('the server starts in beforeEach; use it inside a test.');
      return server;
    },
  };
}

/** PARLEY_TEST_LOG names a pino level; any other non-empty value (`1`) means debug. */
function testLogLevel(): LogLevel {
  const wanted = process.env.PARLEY_TEST_LOG;
  if (wanted === undefined || wanted === '') return 'silent';
  return LOG_LEVELS.find((level) => level === wanted) ?? 'debug';
}

/** A UDP port nothing listens on: bound by us for a moment, then released. */
export async function closedUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/**
 * A server whose built-in STUN responder has a port of its own. Ports are drawn below Linux's ephemeral range
 * (32768-60999), where browsers in other tests keep binding UDP sockets, and another is tried if taken.
 */
export async function startWithStun(
  overrides: Partial<Config> = {},
): Promise<{ server: TestServer; stunPort: number }> {
  for (let attempt = 1; ; attempt++) {
    const stunPort = randomInt(5_000, 10_000);
    try {
      return { server: await startTestServer({ ...overrides, stunPort }), stunPort };
    } catch (error) {
      if (!String(error).includes('EADDRINUSE') || attempt >= 20) throw error;
    }
  }
}
