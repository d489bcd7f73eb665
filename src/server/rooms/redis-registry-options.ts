import { randomUUID } from 'node:crypto';
import { DEFAULT_PREFIX } from './redis-keys.js';
import type { RedisCommandSender } from './redis-scripts.js';

export interface RedisRoomRegistryOptions {
  client: RedisCommandSender;
  /** Prefix of every key; several deployments can share a Redis under different prefixes. */
  prefix?: string;
  /** This server's id in Redis. Default: a random UUID, new for each registry. */
  nodeId?: string;
  /** How often the heartbeat is refreshed. Default 5000 ms. */
  heartbeatIntervalMs?: number;
  /** How long a heartbeat outlives its last refresh. Default three heartbeat intervals. */
  heartbeatTtlMs?: number;
  /**
   * How often this node sweeps out the members of dead nodes; 0 turns periodic sweeps off (joins still
   * clear their own room). Default: the heartbeat interval.
   */
  sweepIntervalMs?: number;
}

const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

/** The registry's settings with every default filled in. */
export type ResolvedOptions = Required<Omit<RedisRoomRegistryOptions, 'client'>>;

/**
 * Fills in the defaults and checks the timing, so that a registry never starts with a heartbeat that
 * outlives nothing or a node id that cannot be a key part.
 *
 * @throws {TypeError} for a node id or a timing that cannot work.
 */
export function resolveOptions(options: RedisRoomRegistryOptions): ResolvedOptions {
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const resolved = {
    prefix: options.prefix ?? DEFAULT_PREFIX,
    nodeId: options.nodeId ?? randomUUID(),
    heartbeatIntervalMs,
    heartbeatTtlMs: options.heartbeatTtlMs ?? 3 * heartbeatIntervalMs,
    sweepIntervalMs: options.sweepIntervalMs ?? heartbeatIntervalMs,
  };
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(resolved.nodeId)) {
    throw new TypeError(`nodeId must be 1-64 of A-Z a-z 0-9 _ . - (got ${JSON.stringify(resolved.nodeId)})`);
  }
  positiveInteger('heartbeatIntervalMs', resolved.heartbeatIntervalMs);
  positiveInteger('heartbeatTtlMs', resolved.heartbeatTtlMs);
  if (resolved.sweepIntervalMs !== 0) positiveInteger('sweepIntervalMs', resolved.sweepIntervalMs);
  if (resolved.heartbeatTtlMs <= resolved.heartbeatIntervalMs) {
    throw new TypeError(
      'heartbeatTtlMs must be longer than heartbeatIntervalMs, or a live node would expire',
    );
  }
  return resolved;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer of milliseconds (got ${value})`);
  }
}
