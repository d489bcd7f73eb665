import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_NAME_MESSAGES, normalizeRoomName } from '../../src/protocol/index.js';
import { type TestServer, startTestServer } from '../support/server.js';
import { Clients, join, requestJoin } from './clients.js';

const INDEX = '<!doctype html><title>Parley test page</title>';

/** Sends `path` as raw bytes (UTF-8, unescaped), the way a hand-typed request or a lax client might. */
function rawGet(url: string, path: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), hostname, () => {
      socket.write(
        Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`, 'utf8'),
      );
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

describe('room names in any script', () => {
  let webRoot: string;
  let server: TestServer;
  const clients = new Clients(() => server.url);

  beforeAll(async () => {
    webRoot = await mkdtemp(joinPath(tmpdir(), 'parley-names-'));
    await writeFile(joinPath(webRoot, 'index.html'), INDEX);
    server = await startTestServer({ webRoot });
  });
  afterAll(async () => {
    clients.closeAll();
    await server.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('brings two people into 周会, and full-width and plain Latin names into one room', async () => {
    const ann = await clients.open();
    const bob = await clients.open();
    const first = await join(ann.socket, '周会', 'Ann');
    expect(first).toMatchObject({ room: '周会', created: true });
    const second = await join(bob.socket, '周会', '小明');
    expect(second).toMatchObject({ room: '周会', created: false, peers: [first.self] });
    const joined = await ann.inbox.waitFor((r) => r.event === 'peer-joined');
    expect(joined.payload).toEqual({ peer: second.self });

    const cat = await clients.open();
    const dan = await clients.open();
    await join(cat.socket, normalizeRoomName('Ｔｅａｍ　周会'), 'Cat');
    expect(await join(dan.socket, normalizeRoomName('team 周会'), 'Dan')).toMatchObject({
      room: 'team-周会',
      created: false,
    });
  });

  it('refuses a name with an invisible character, saying so', async () => {
    const eve = await clients.open();
    const answer = await requestJoin(eve.socket, { room: '周\u200b会' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(answer.ok ? '' : answer.error.message).toBe(`room: ${ROOM_NAME_MESSAGES.invisible}`);
  });

  it('serves the page for /r/周会 as a browser sends it, percent-encoded', async () => {
    const encoded = await fetch(`${server.url}/r/%E5%91%A8%E4%BC%9A`);
    expect(encoded.status).toBe(200);
    expect(await encoded.text()).toBe(INDEX);
    const typed = await fetch(`${server.url}/r/周会`); // fetch percent-encodes it, as browsers do
    expect(typed.status).toBe(200);
    // Unescaped bytes above 0x7F are not a valid request-target (RFC 9112 section 3.2): Node's parser
    // refuses them with 400 before express sees them. Browsers never send them; they encode what was typed.
    expect(await rawGet(server.url, '/r/周会')).toMatch(/^HTTP\/1\.1 400 /);
    // A link that does not decode is still the client's mistake.
    expect((await fetch(`${server.url}/r/%E5%91`)).status).toBe(400);
  });
});
