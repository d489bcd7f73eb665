import { createClient } from 'redis';
import type { Logger } from './logger.js';

export type RedisClient = ReturnType<typeof createClient>;

/** Longest wait for the first connection: a Redis that is not there should stop the start quickly. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Longest pause between reconnection attempts once we have been connected. */
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Connects one node-redis client, failing at once (with a one-line reason) if Redis cannot be reached at
 * start. Once connected, a lost connection is retried with backoff and logged, never fatal: commands wait in
 * node-redis's offline queue (unless `offlineQueue: false`), and `/readyz` reports the outage.
 */
export async function connectRedis(
  url: string,
  logger: Logger,
  options: { offlineQueue?: boolean } = {},
): Promise<RedisClient> {
  let connected = false;
  const client = createClient({
    url,
    // Without the queue a command fails at once while Redis is away, instead of running whenever it is back.
    disableOfflineQueue: options.offlineQueue === false,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: (retries, cause) =>
        connected ? Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : cause,
    },
  });
  // Without a listener an 'error' event would throw; before the first connection connect() reports it.
  client.on('error', (error: unknown) => {
    if (connected) logger.warn({ err: error }, 'redis connection error');
  });
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new Error(`cannot reach Redis at ${withoutPassword(url)} (${reason(error)})`, { cause: error });
  }
  connected = true;
  return client;
}

/** Whether Redis answers PING within `timeoutMs`. */
export async function pings(client: RedisClient, timeoutMs: number): Promise<boolean> {
  const pong = await within(client.ping(), timeoutMs).catch(() => undefined);
  return pong === 'PONG';
}

/**
 * `promise`, or a rejection after `ms`. While Redis is away, node-redis queues commands until it is back,
 * so a probe or a scrape that waits on one must give up by itself.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL as it may be logged or printed. */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return reason(error.errors[0]);
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}
