import { type Server, type Socket, createConnection, createServer } from 'node:net';

export interface DelayProxyOptions {
  /** Where the proxy forwards to, on loopback. */
  targetPort: number;
  /** How long each chunk is held, in each direction: half the round trip it adds. */
  oneWayMs: number;
  /** Connections open at once; more are refused. A benchmark run needs a handful. */
  maxConnections?: number;
  /** Bytes held in one direction of one connection; beyond that the connection is cut. */
  maxHeldBytes?: number;
  /** The proxy closes itself after this long, whatever its caller does. */
  lifetimeMs?: number;
}

export interface DelayProxy {
  /** `http://127.0.0.1:<port>`: the target's URL, seen through the delay. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 that holds every chunk for `oneWayMs` before passing it on, in both directions:
 * a long signaling path (a server far away) on one machine, while the browsers' media stays direct.
 * Chunks keep their order, since Node runs timers of equal delay in the order they were set. Bounded: at
 * most `maxConnections` connections and `maxHeldBytes` in flight each way, and it closes itself after
 * `lifetimeMs` even if the benchmark that started it never does.
 */
export async function startDelayProxy({
  targetPort,
  oneWayMs,
  maxConnections = 32,
  maxHeldBytes = 8 * 1024 * 1024,
  lifetimeMs = 10 * 60_000,
}: DelayProxyOptions): Promise<DelayProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (sockets.size >= maxConnections * 2) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
    }
    pipeDelayed(client, upstream, oneWayMs, maxHeldBytes);
    pipeDelayed(upstream, client, oneWayMs, maxHeldBytes);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }));
  const lifetime = setTimeout(() => void close(), lifetimeMs);
  lifetime.unref();
  return { url: `http://127.0.0.1:${address.port}`, port: address.port, close };
}

/** Passes `from`'s bytes to `to` after `delayMs`; an end or an error on either side ends both. */
function pipeDelayed(from: Socket, to: Socket, delayMs: number, maxHeldBytes: number): void {
  let held = 0;
  const timers = new Set<NodeJS.Timeout>();
  const cut = () => {
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    from.destroy();
    to.destroy();
  };
  from.on('data', (chunk: Buffer) => {
    held += chunk.length;
    if (held > maxHeldBytes) return cut();
    const timer = setTimeout(() => {
      timers.delete(timer);
      held -= chunk.length;
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
    timers.add(timer);
  });
  // The end travels as late as the data before it.
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', cut);
  from.on('close', () => {
    if (timers.size === 0) to.destroy();
    else setTimeout(() => to.destroy(), delayMs);
  });
}
