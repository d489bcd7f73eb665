import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import express from 'express';
import { Server } from 'socket.io';

/**
 * The original design Parley grew from, as the WebRTC codelab taught it: an express page and a socket.io
 * server with rooms of two. `create or join` answers `created` to the first person and `full` to a third;
 * to the second it answers `joined` (and tells the first `join`), and that word from the server is what lets
 * the newcomer send its offer. Every other message is relayed untouched to the rest of the room. No checks,
 * no limits: the reference for how fast this shape can set up a call, served on 127.0.0.1 for the benchmark
 * only.
 */
export interface MinimalApp {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startMinimalApp(): Promise<MinimalApp> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const app = express();
  app.get('/page.js', (_request, response) => response.type('text/javascript').send(script));
  app.get('/', (_request, response) =>
    response
      .type('text/html')
      .send(
        '<!doctype html><meta charset="utf-8"><title>Minimal call</title>' +
          '<input id="room" aria-label="Room"><button disabled>Join</button><script src="/page.js"></script>',
      ),
  );
  const http = createServer(app);
  const io = new Server(http, { transports: ['websocket'] });
  io.on('connection', (socket) => {
    let joined: string | undefined;
    socket.on('create or join', (room: unknown) => {
      if (typeof room !== 'string') return;
      const clients = io.sockets.adapter.rooms.get(room)?.size ?? 0;
      if (clients === 0) {
        void socket.join(room);
        joined = room;
        socket.emit('created', room);
      } else if (clients === 1) {
        io.to(room).emit('join', room);
        void socket.join(room);
        joined = room;
        socket.emit('joined', room);
      } else {
        socket.emit('full', room);
      }
    });
    socket.on('message', (message: unknown) => {
      if (joined !== undefined) socket.to(joined).emit('message', message);
    });
    socket.on('bye', () => {
      if (joined !== undefined) void socket.leave(joined);
      joined = undefined;
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await io.close();
      http.closeAllConnections();
    },
  };
}
