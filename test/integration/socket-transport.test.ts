import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketTransport, type ParleySocket } from '../../src/call/socket-transport.js';
import { PROTOCOL_VERSION } from '../../src/protocol/index.js';

/**
 * A bare socket.io server that notes every event it receives and answers `join` like a server with an empty
 * room: enough to see what the page's transport sends, and when.
 */
async function recordingServer() {
  const http = createServer();
  const server = new Server(http);
  const received: string[] = [];
  server.on('connection', (socket) => {
    socket.onAny((event: string, _payload: unknown, ack?: (answer: unknown) => void) => {
      received.push(event);
      ack?.({ ok: false, error: { code: 'INTERNAL', message: 'recorded' } });
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Drops every connection at the transport level, as a network cut does: clients reconnect. */
    cut: () => {
      for (const socket of server.sockets.sockets.values()) socket.conn.close();
    },
    close: () => server.close(),
  };
}

/** The next time the socket emits a lifecycle event (socket.io's emitter is not Node's). */
const next = (socket: ParleySocket, event: 'connect' | 'disconnect') =>
  new Promise<void>((resolve) => socket.once(event, () => resolve()));

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('SocketTransport offline', () => {
  it('fails a signal at once while the socket is down, instead of sending it on reconnect', async () => {
    const server = await recordingServer();
    const socket: ParleySocket = io(server.url, { transports: ['websocket'], autoConnect: false });
    closers.push(() => socket.close(), server.close);
    const transport = new SocketTransport(socket);
    const started = Date.now();
    const ack = await transport.request('signal', {
      to: 'someone-else-1',
      signal: { kind: 'candidate', candidate: { candidate: '' } },
    });
    expect(ack).toEqual({
      ok: false,
      error: { code: 'NOT_CONNECTED', message: 'Not connected to the server.' },
    });
    expect(Date.now() - started).toBeLessThan(100);
    socket.connect();
    await next(socket, 'connect');
    await transport.request('leave', {});
    expect(server.received).toEqual(['leave']);
  });

  it('lets a join wait for the connection, and sends it once connected', async () => {
    const server = await recordingServer();
    const socket: ParleySocket = io(server.url, { transports: ['websocket'], autoConnect: false });
    closers.push(() => socket.close(), server.close);
    const transport = new SocketTransport(socket);
    const joined = transport.request('join', { v: PROTOCOL_VERSION, room: 'kitchen', name: 'Me' });
    socket.connect();
    expect(await joined).toMatchObject({ ok: false, error: { message: 'recorded' } });
    expect(server.received).toEqual(['join']);
  });

  it('drops what other code emitted while the socket was down, rather than send it after the reconnect', async () => {
    const server = await recordingServer();
    const socket: ParleySocket = io(server.url, {
      transports: ['websocket'],
      reconnectionDelay: 50,
      reconnectionDelayMax: 50,
    });
    closers.push(() => socket.close(), server.close);
    new SocketTransport(socket);
    await next(socket, 'connect');
    const down = next(socket, 'disconnect');
    server.cut();
    await down;
    // A stale signal from before the drop, emitted straight on the socket (socket.io buffers it).
    socket.emit(
      'signal',
      { to: 'someone-else-1', signal: { kind: 'candidate', candidate: { candidate: '' } } },
      () => {},
    );
    await next(socket, 'connect');
    const transport = new SocketTransport(socket);
    await transport.request('leave', {});
    expect(server.received).toEqual(['leave']);
  });
});
