import { type IncomingMessage, type ServerResponse, createServer as createHttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { type Server as NetServer, type Socket, createServer as createNetServer } from 'node:net';

/**
 * The first byte of a TLS connection is a handshake record's content type, 22
 * (https://www.rfc-editor.org/rfc/rfc8446#section-5.1); a plain HTTP request starts with a method's letter.
 */
const TLS_HANDSHAKE = 0x16;

/** How long a new connection may stay silent before its first byte; the TLS and HTTP timeouts follow. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

/** A Host header we are willing to put into a Location: a name or address and maybe a port. */
const SAFE_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * One TCP port for both schemes: TLS connections go to `https`, and a person who typed `http://` gets a
 * 308 to the same URL on `https://` rather than the empty reply a TLS server gives a plain request.
 *
 * Sniffing the first byte is what httpolyglot does; that library replaces the HTTP server with its own,
 * though, and Parley's https.Server has socket.io and express attached to it, so the few lines are here.
 */
export function serveBothSchemes(https: HttpsServer): NetServer {
  const redirect = createHttpServer((request, response) => redirectToHttps(request, response));
  redirect.headersTimeout = FIRST_BYTE_TIMEOUT_MS;
  redirect.requestTimeout = FIRST_BYTE_TIMEOUT_MS;
  const front = createNetServer((socket: Socket) => {
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', destroyQuietly);
    const route = () => {
      const data: unknown = socket.read();
      if (!Buffer.isBuffer(data)) return void socket.once('readable', route);
      socket.setTimeout(0);
      socket.off('error', destroyQuietly);
      socket.unshift(data);
      (data[0] === TLS_HANDSHAKE ? https : redirect).emit('connection', socket);
    };
    route();
  });
  // https.Server.close() answers "not running" when it never listened itself; the front owns the port.
  front.once('close', () => redirect.close());
  return front;
}

/** Before a connection is handed on, a reset is nobody's business but the client's. */
function destroyQuietly(this: Socket): void {
  this.destroy();
}

/**
 * A plain HTTP server that sends every request to `https://<host>[:httpsPort]<path>`, for the optional
 * second port (`--http-redirect-port`, usually 80).
 */
export function createRedirectServer(httpsPort: number) {
  const server = createHttpServer((request, response) => redirectToHttps(request, response, httpsPort));
  server.headersTimeout = FIRST_BYTE_TIMEOUT_MS;
  server.requestTimeout = FIRST_BYTE_TIMEOUT_MS;
  return server;
}

/**
 * 308 keeps the method and body (https://www.rfc-editor.org/rfc/rfc9110#section-15.4.9). The Host header
 * comes from the client: anything but a plain host and port is refused, so it cannot smuggle a header or
 * an odd URL into the Location.
 */
function redirectToHttps(request: IncomingMessage, response: ServerResponse, httpsPort?: number): void {
  const host = request.headers.host ?? '';
  const path = request.url ?? '/';
  if (!SAFE_HOST.test(host) || !path.startsWith('/')) {
    response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    response.end('Bad request: use https://\n');
    return;
  }
  const target =
    httpsPort === undefined
      ? host
      : `${host.replace(/:\d{1,5}$/, '')}${httpsPort === 443 ? '' : `:${httpsPort}`}`;
  response.writeHead(308, {
    location: `https://${target}${path}`,
    'content-type': 'text/plain; charset=utf-8',
    connection: 'close',
  });
  response.end(`Parley is served over https://${target}${path}\n`);
}
