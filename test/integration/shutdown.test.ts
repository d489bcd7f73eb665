import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { type Socket, io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type JoinResult, PROTOCOL_VERSION, ackSchema } from '../../src/protocol/index.js';
import { freePort } from '../support/ports.js';
import { Inbox, sendSignal } from './clients.js';

const CLI = joinPath(import.meta.dirname, '../../dist/cli.js');
const SHUTDOWN_TIMEOUT_MS = 5_000;

interface Node {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real `parley` command as built (dist/cli.js), plain HTTP on a given port. */
async function startNode(port: number, dataDir: string): Promise<Node> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const child = spawn(
    process.execPath,
    [
      CLI,
      '--http',
      '--host=127.0.0.1',
      `--port=${port}`,
      `--data-dir=${dataDir}`,
      '--stun-port=0',
      `--shutdown-timeout-ms=${SHUTDOWN_TIMEOUT_MS}`,
    ],
    {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (err.includes('Parley is running')) resolve();
    };
    child.stderr?.on('data', check);
    void exited.then(() => reject(new Error(`parley exited before listening:\n${err}`)));
  });
  return { child, stdout: () => out, exited };
}

/**
 * A client that behaves like the page (src/web/app.tsx and use-call.ts): socket.io's default reconnection,
 * WebSocket only, and on every reconnect a `join` that resumes its place with the token of its last join.
 */
class PageLikeClient {
  readonly socket: Socket;
  readonly inbox: Inbox;
  readonly disconnects: string[] = [];
  readonly resumes: JoinResult[] = [];
  #membership: { room: string; name: string; peerId: string; token: string } | undefined;
  #waiters: (() => void)[] = [];

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], forceNew: true });
    this.inbox = new Inbox(this.socket);
    this.socket.on('disconnect', (reason) => this.disconnects.push(reason));
    this.socket.on('connect', () => {
      const membership = this.#membership;
      if (!membership) return;
      const { room, name, peerId, token } = membership;
      void this.#join({ room, name, resume: { peerId, token } }).then((result) => {
        this.resumes.push(result);
        for (const waiter of this.#waiters.splice(0)) waiter();
      });
    });
  }

  async join(room: string, name: string): Promise<JoinResult> {
    if (!this.socket.connected)
      await new Promise((resolve) => this.socket.once('connect', () => resolve(null)));
    const result = await this.#join({ room, name });
    this.#membership = { room, name, peerId: result.self.id, token: result.token };
    return result;
  }

  /** Resolves once the client has resumed after a reconnect. */
  resumed(): Promise<JoinResult> {
    const done = this.resumes.at(-1);
    if (done) return Promise.resolve(done);
    return new Promise((resolve) => this.#waiters.push(() => resolve(this.resumes.at(-1) as JoinResult)));
  }

  async #join(request: { room: string; name: string; resume?: { peerId: string; token: string } }) {
    const ack = ackSchema('join').parse(
      await this.socket.emitWithAck('join', { v: PROTOCOL_VERSION, ...request }),
    );
    if (!ack.ok) throw new Error(`join failed: ${ack.error.code} ${ack.error.message}`);
    return ack;
  }
}

describe('SIGTERM with people in a call (memory state)', () => {
  const nodes: Node[] = [];
  const clients: PageLikeClient[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.socket.close();
    for (const node of nodes.splice(0)) if (node.child.exitCode === null) node.child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('exits within the bound, and after a restart the clients reconnect and resume their places by themselves', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-shutdown-'));
    dirs.push(dataDir);
    const first = await startNode(port, dataDir);
    nodes.push(first);
    const url = `http://127.0.0.1:${port}`;
    const ann = new PageLikeClient(url);
    const bob = new PageLikeClient(url);
    clients.push(ann, bob);
    const annJoin = await ann.join('restart', 'Ann');
    const bobJoin = await bob.join('restart', 'Bob');

    const sentAt = performance.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    const took = performance.now() - sentAt;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(took).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(first.stdout()).toContain('"sockets":2,"msg":"closing; connected clients will reconnect"');
    // A closed transport, not a socket.io disconnect: socket.io clients then reconnect on their own.
    expect(ann.disconnects).toEqual(['transport close']);
    expect(bob.disconnects).toEqual(['transport close']);

    const second = await startNode(port, dataDir);
    nodes.push(second);
    const [annBack, bobBack] = await Promise.all([ann.resumed(), bob.resumed()]);
    // Same peer ids: the resume tokens are HMACs under the secret kept in the data dir.
    expect(annBack.self).toEqual(annJoin.self);
    expect(bobBack.self).toEqual(bobJoin.self);
    // Both are in the room again, and signaling between them works.
    expect(await sendSignal(bob.socket, annJoin.self.id, 'v=0 after restart')).toEqual({ ok: true });
    const signal = await ann.inbox.waitFor((r) => r.event === 'signal');
    expect(signal.payload.from).toBe(bobJoin.self.id);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  }, 40_000);
});
