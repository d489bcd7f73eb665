import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningRedis, startRedis } from '../support/redis.js';
import { type TestServer, startTestServer, testServers } from '../support/server.js';
import { FAST_EXPIRY_BOUND_MS, FAST_REGISTRY } from '../support/timing.js';
import {
  type Client,
  type Inbox,
  type Received,
  connect,
  drop,
  join,
  requestJoin,
  requestLeave,
  sendSignal,
} from './clients.js';

const SECRET = 'a-secret-shared-by-every-node-of-the-test';
const NODE = joinPath(import.meta.dirname, 'harness/redis-node.ts');
/** Scheduling and the relay through Redis on top of the registry's bound, on a loaded 2-core machine. */
const DELIVERY_SLACK_MS = 500;

describe('two Parley servers on one Redis', () => {
  let redis: RunningRedis;
  let one: TestServer;
  let two: TestServer;
  const sockets: Client[] = [];
  const children: ChildProcess[] = [];
  const dirs: string[] = [];

  const open = async (url: string) => {
    const client = await connect(url);
    sockets.push(client.socket);
    return client;
  };

  beforeAll(async () => {
    redis = await startRedis();
    const settings = { redisUrl: redis.url, secret: SECRET, maxPeers: 3 };
    [one, two] = await Promise.all([
      startTestServer(settings, { registryTiming: FAST_REGISTRY }),
      startTestServer(settings, { registryTiming: FAST_REGISTRY }),
    ]);
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await Promise.all([one?.close(), two?.close()]);
    await redis?.close();
  });
  /** Servers of one test's own, closed after it (before the sockets above: hooks run as a stack). */
  const start = testServers();

  it('keeps a room locked on every server: the password set through one is asked for by the other', async () => {
    const [ann, eve, bob] = [await open(one.url), await open(two.url), await open(two.url)];
    expect(await join(ann.socket, 'locked-across', 'Ann', undefined, 'shared secret')).toMatchObject({
      protected: true,
    });
    expect(await requestJoin(eve.socket, { room: 'locked-across', name: 'Eve' })).toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_REQUIRED' },
    });
    expect(
      await requestJoin(eve.socket, { room: 'locked-across', name: 'Eve', password: 'shared secrets' }),
    ).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    expect(await join(bob.socket, 'locked-across', 'Bob', undefined, 'shared secret')).toMatchObject({
      protected: true,
      created: false,
    });
  });

  it('puts people on different servers in one room and relays a signal to the named peer only', async () => {
    const ann = await open(one.url);
    const bob = await open(two.url);
    const cy = await open(one.url);
    const annJoin = await join(ann.socket, 'across', 'Ann');
    const bobJoin = await join(bob.socket, 'across', 'Bob');
    expect(bobJoin.peers).toEqual([{ id: annJoin.self.id, name: 'Ann' }]);
    await ann.inbox.waitFor((r) => r.event === 'peer-joined' && r.payload.peer.id === bobJoin.self.id);
    const cyJoin = await join(cy.socket, 'across', 'Cy');
    await bob.inbox.waitFor((r) => r.event === 'peer-joined' && r.payload.peer.id === cyJoin.self.id);

    expect(await sendSignal(ann.socket, bobJoin.self.id, 'from-ann')).toEqual({ ok: true });
    const delivered = await bob.inbox.waitFor((r) => r.event === 'signal');
    expect(delivered.payload).toMatchObject({ from: annJoin.self.id });
    // Cy shares Ann's server and room; a signal for Bob is still not Cy's. Cy's own signal to Bob, sent
    // after, arriving at Bob proves the relay has had time to (wrongly) reach Cy too.
    expect(await sendSignal(cy.socket, bobJoin.self.id, 'from-cy')).toEqual({ ok: true });
    await bob.inbox.waitFor((r) => r.event === 'signal' && r.payload.from === cyJoin.self.id);
    expect(signals(cy.inbox)).toEqual([]);
    expect(signals(ann.inbox)).toEqual([]);
  });

  it('refuses, through the other server, the resume token of a peer that left through the first', async () => {
    const [ann, mallory] = [await open(one.url), await open(two.url)];
    const a = await join(ann.socket, 'left-across', 'Ann');
    expect(await requestLeave(ann.socket)).toEqual({ ok: true });
    expect(
      await requestJoin(mallory.socket, {
        room: 'left-across',
        name: 'Ann',
        resume: { peerId: a.self.id, token: a.token },
      }),
    ).toMatchObject({ ok: false, error: { code: 'RESUME_REJECTED' } });
  });

  it('admits exactly two of ten people joining a room of two at once through both servers', async () => {
    const settings = { redisUrl: redis.url, secret: SECRET, maxPeers: 2 };
    const pair = await Promise.all([
      start(settings, { registryTiming: FAST_REGISTRY }),
      start(settings, { registryTiming: FAST_REGISTRY }),
    ]);
    const clients = await Promise.all(pair.flatMap((server) => [1, 2, 3, 4, 5].map(() => open(server.url))));
    const answers = await Promise.all(
      clients.map(({ socket }, i) => requestJoin(socket, { room: 'crowded', name: `P${i}` })),
    );
    const refusals = answers.flatMap((a) => (a.ok ? [] : [a.error.code]));
    expect(answers.filter((a) => a.ok)).toHaveLength(2);
    expect(refusals).toEqual(Array.from({ length: 8 }, () => 'ROOM_FULL'));
  });

  it('keeps a peer that resumed through the other server when the first one’s resume window runs out', async () => {
    const settings = { redisUrl: redis.url, secret: SECRET, resumeWindowMs: 200 };
    const pair = await Promise.all([
      start(settings, { registryTiming: FAST_REGISTRY }),
      start(settings, { registryTiming: FAST_REGISTRY }),
    ]);
    const [first, second] = pair.map((server) => server.url);
    if (first === undefined || second === undefined) throw new Error('setup failed');
    const ann = await open(first);
    const bob = await open(first);
    const annJoin = await join(ann.socket, 'moving', 'Ann');
    const bobJoin = await join(bob.socket, 'moving', 'Bob');
    await drop(bob.socket);
    const bobAgain = await open(second);
    const resumed = await join(bobAgain.socket, 'moving', 'Bob', {
      peerId: bobJoin.self.id,
      token: bobJoin.token,
    });
    expect(resumed.peers).toEqual([{ id: annJoin.self.id, name: 'Ann' }]);

    // Nothing to wait on for something that must not happen: let the first server's 200 ms window run
    // out, with room to spare, then check that Bob is still there and reachable on the second server.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await sendSignal(ann.socket, bobJoin.self.id, 'still-there')).toEqual({ ok: true });
    await bobAgain.inbox.waitFor((r) => r.event === 'signal' && r.payload.from === annJoin.self.id);
    expect(ann.inbox.events.filter((r) => r.event === 'peer-left')).toEqual([]);
  });

  it('tells the others within the bound when a server dies with people on it', async () => {
    const dataDir = await mkdtemp(joinPath(tmpdir(), 'parley-node-'));
    dirs.push(dataDir);
    const url = await startNodeProcess(redis.url, dataDir, children);
    const stay = await open(one.url);
    const doomed = await open(url);
    await join(stay.socket, 'crash', 'Stays');
    const gone = await join(doomed.socket, 'crash', 'Doomed');

    const child = children.at(-1);
    if (!child) throw new Error('no node process');
    const killedAt = performance.now();
    child.kill('SIGKILL');
    const left = await stay.inbox.waitFor((r) => r.event === 'peer-left');
    const elapsed = performance.now() - killedAt;
    expect(left.payload).toEqual({ peerId: gone.self.id, reason: 'disconnected' });
    expect(elapsed).toBeLessThan(FAST_EXPIRY_BOUND_MS + DELIVERY_SLACK_MS);
  });
});

function signals(inbox: Inbox): Received[] {
  return inbox.events.filter((r) => r.event === 'signal');
}

/** Starts a node in a child process and resolves with its URL. */
async function startNodeProcess(
  redisUrl: string,
  dataDir: string,
  children: ChildProcess[],
): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', NODE, redisUrl, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout?.setEncoding('utf8');
  for await (const chunk of child.stdout ?? []) {
    out += String(chunk);
    const line = out.match(/^(http:\/\/\S+)\n/m);
    if (line?.[1]) return line[1];
  }
  await once(child, 'exit');
  throw new Error(`the node process exited before listening:\n${out}`);
}
