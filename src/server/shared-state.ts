import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ServerOptions } from 'socket.io';
import type { PeerId, RoomName } from '../protocol/index.js';
import type { Logger } from './logger.js';
import { type RedisClient, connectRedis, pings, withoutPassword } from './redis.js';
import { type HeldPlace, MemoryRoomRegistry, type RoomRegistry } from './rooms/index.js';
import { RedisRoomRegistry, type RedisRoomRegistryOptions } from './rooms/redis-registry.js';

/** How long `/readyz` waits for Redis to answer PING. */
const PING_TIMEOUT_MS = 1_000;

/** The Redis registry's timing; tests shorten it to see a dead node go within seconds. */
export type RegistryTiming = Pick<
  RedisRoomRegistryOptions,
  'heartbeatIntervalMs' | 'heartbeatTtlMs' | 'sweepIntervalMs'
>;

/**
 * Where room membership lives and how events reach sockets on other nodes: in this process, or in Redis
 * shared with the other nodes.
 */
export interface SharedState {
  readonly registry: RoomRegistry;
  /** The socket.io adapter to use; undefined for the in-process default. */
  readonly adapter: ServerOptions['adapter'] | undefined;
  /** The nodes' shared Redis, for what else they count together; undefined for in-memory state. */
  readonly redis: RedisClient | undefined;
  /** Called for each member of a dead node that this node removed. */
  onExpired(listener: (room: RoomName, peerId: PeerId) => void): void;
  /**
   * Says who this node holds, so that a Redis that comes back having lost them (a restart without
   * persistence) gets them back within moments: capacity, locks and presence hold again.
   */
  holdPlaces(places: () => readonly HeldPlace[]): void;
  /** Undefined when healthy, else why not. */
  unhealthy(): Promise<string | undefined>;
  /**
   * Stops the registry and closes Redis. The heartbeat is left to run out by its TTL, as a crash would: the
   * people this node held are reconnecting through other nodes and resume their places there meanwhile;
   * whoever does not come back is removed by the other nodes within the usual bound. Idempotent.
   */
  close(): Promise<void>;
}

/** In-memory state for one server; or, with `redisUrl`, state shared through that Redis. */
export async function openSharedState(
  redisUrl: string | undefined,
  logger: Logger,
  timing: RegistryTiming = {},
): Promise<SharedState> {
  if (redisUrl === undefined) {
    return {
      registry: new MemoryRoomRegistry(),
      adapter: undefined,
      redis: undefined,
      onExpired() {},
      holdPlaces() {},
      unhealthy: () => Promise.resolve(undefined),
      close: () => Promise.resolve(),
    };
  }
  const client = await connectRedis(redisUrl, logger);
  // The registry has a connection of its own without an offline queue: while Redis is away a join is
  // refused at once (and never carried out later, behind the person's back), and a leave that fails is
  // put right when the places are reasserted. The adapter keeps the queue for its cross-node messages, and
  // duplicates its client for its blocking stream reads and its subscriptions.
  let registryClient: RedisClient;
  try {
    registryClient = await connectRedis(redisUrl, logger, { offlineQueue: false });
  } catch (error) {
    client.destroy();
    throw error;
  }
  const registry = new RedisRoomRegistry({ client: registryClient, ...timing });
  registry.on('error', (error) => logger.warn({ err: error, code: error.code }, 'room registry problem'));
  try {
    await registry.start();
  } catch (error) {
    client.destroy();
    registryClient.destroy();
    throw error;
  }
  // Every reconnection after the first: Redis may have restarted with nothing in it.
  registryClient.on('ready', () => {
    registry.reassert().then(
      (restored) => {
        if (restored > 0) logger.info({ restored }, 'redis is back; places put back');
      },
      (error: unknown) => logger.warn({ err: error }, 'redis is back, but putting places back failed'),
    );
  });
  logger.info({ redis: withoutPassword(redisUrl), nodeId: registry.nodeId }, 'rooms shared through redis');
  let closing: Promise<void> | undefined;
  return {
    registry,
    adapter: createAdapter(client),
    redis: client,
    onExpired(listener) {
      registry.on('expired', listener);
    },
    holdPlaces(places) {
      registry.holdPlaces(places);
    },
    async unhealthy() {
      return (await pings(client, PING_TIMEOUT_MS)) ? undefined : 'redis does not answer';
    },
    close() {
      closing ??= closeRedis(registry, client, registryClient);
      return closing;
    },
  };
}

/** How long closing waits for Redis: with Redis gone, commands would wait in the offline queue forever. */
const CLOSE_TIMEOUT_MS = 2_000;

async function closeRedis(
  registry: RedisRoomRegistry,
  client: RedisClient,
  registryClient: RedisClient,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
  });
  // close() waits for the replies to commands already sent; destroy() drops whatever is still waiting.
  const orderly = registry
    .close({ keepHeartbeat: true })
    .then(() => Promise.all([client.close(), registryClient.close()]));
  await Promise.race([orderly.catch(() => {}), late]);
  clearTimeout(timer);
  if (client.isOpen) client.destroy();
  if (registryClient.isOpen) registryClient.destroy();
}
