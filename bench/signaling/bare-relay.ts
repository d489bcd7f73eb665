/**
 * The reference for `npm run bench:signaling`: the least a socket.io relay can do. A socket joins a room and
 * every message it sends after that is forwarded to the rest of the room, unchecked, and acknowledged. Same
 * socket.io version and options as Parley's gateway, plain HTTP on 127.0.0.1.
 *
 * Run as its own process (so its RSS is its own); prints `listening <port>` on stdout once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

type Ack = (response: { ok: true }) => void;

const http = createServer();
const io = new Server(http, {
  maxHttpBufferSize: 128 * 1024,
  pingInterval: 10_000,
  pingTimeout: 8_000,
  serveClient: false,
});

io.on('connection', (socket) => {
  let room: string | undefined;
  // socket.io hands an acknowledgement callback over as the last argument when the client asked for one.
  socket.on('join', (name: unknown, ack?: Ack) => {
    room = String(name);
    void socket.join(room);
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.on('m', (payload: unknown, ack?: Ack) => {
    if (room !== undefined) socket.to(room).emit('m', payload);
    if (typeof ack === 'function') ack({ ok: true });
  });
});

http.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address: AddressInfo | string | null = http.address();
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  process.stdout.write(`listening ${address.port}\n`);
});

const stop = () => {
  void io.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
