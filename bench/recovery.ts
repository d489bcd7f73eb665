/**
 * npm run bench:recovery — how fast a call comes back, measured in real Chromium.
 *
 * Everything (server and three browsers) runs in a network namespace of its own, so that UDP can be cut off
 * without touching the rest of the machine. Each run:
 * 1. Reference: Alice and Bob start a fresh call; Bob's Join click → first frame from Alice, timed in his page.
 * 2. UDP blackout: every UDP packet in the namespace is dropped for BENCH_BLACKOUT_S (40 s: long enough for
 *    ICE to give up), then let through again. Measured: from the moment UDP is back to a new video frame
 *    shown on both sides (three new frames, the later of the two sides), timed in the pages.
 * 3. Server restart: the server is killed (SIGKILL) and, 2 s later, started again on the same port, data dir
 *    and secret. Measured: from the process saying it listens to the room being usable again, that is, a
 *    newcomer (Carol, whose Join is pressed the moment the server listens) seeing video (three frames) from
 *    both Alice and Bob, which needs both of them to have rejoined by themselves.
 * Bounded: BENCH_RUNS runs (default 5) of about a minute each; any step that takes over 30 s counts as a
 * failed run and is reported as such.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { requireBuiltPage } from '../test/support/built-page.js';
import { createNetns } from '../test/support/netns.js';
import { Participant } from '../test/support/participant.js';
import { type ServerProcess, startServerProcess } from '../test/support/server-process.js';
import { armSetupTimer } from './setup-timer.js';
import { type Summary, summarize, table } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BLACKOUT_MS = Number(process.env.BENCH_BLACKOUT_S ?? 40) * 1000;
const SERVER_DOWN_MS = 2_000;
const STEP_LIMIT_MS = 30_000;
/** Between a call's end and the next one: Chromium holds a new connection's first frame ~2.3 s right after one
 * that sent the same camera closed (see bench/setup.ts). */
const SETTLE_MS = 3_000;
const PORT = 8443;
const TARGET_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** New frames that count as video flowing again: one alone could be a stray. */
const FRAMES_BACK = 3;

/**
 * Arms a page to note the wall-clock time (Date.now()) at which `name`'s tile has shown FRAMES_BACK new
 * video frames, waiting for the tile if it is not there yet. Resolves once armed, with the function that
 * gets the time.
 */
async function armNextFrames(page: Page, name: string): Promise<() => Promise<number>> {
  const key = `frames-${name}-${Math.random()}`;
  await page.evaluate(
    ({ name, key, wanted }) => {
      const slot = window as unknown as Record<string, Promise<number>>;
      slot[key] = new Promise<number>((resolve) => {
        let seen = 0;
        const watch = (video: HTMLVideoElement) =>
          video.requestVideoFrameCallback(() => {
            seen += 1;
            if (seen >= wanted) resolve(Date.now());
            else watch(video);
          });
        const selector = `figure[aria-label="${name}"] video`;
        const video = document.querySelector<HTMLVideoElement>(selector);
        if (video) return watch(video);
        const observer = new MutationObserver(() => {
          const found = document.querySelector<HTMLVideoElement>(selector);
          if (!found) return;
          observer.disconnect();
          watch(found);
        });
        observer.observe(document.body, { childList: true, subtree: true });
      });
    },
    { name, key, wanted: FRAMES_BACK },
  );
  return () =>
    withLimit(
      page.evaluate((key) => (window as unknown as Record<string, Promise<number>>)[key]!, key),
      `video from ${name}`,
    );
}

function withLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${STEP_LIMIT_MS} ms`)), STEP_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  requireBuiltPage();
  const startedAt = Date.now();
  const netns = await createNetns();
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-recovery-'));
  const secret = randomBytes(32).toString('base64url');
  const serverOptions = { port: PORT, dataDir, secret, maxPeers: 3, netns: netns.name };
  let server: ServerProcess | undefined;
  const browsers: Browser[] = [];
  const setup: number[] = [];
  const blackout: number[] = [];
  const restart: number[] = [];
  const failures: string[] = [];
  try {
    server = await startServerProcess(serverOptions);
    // One browser each, as on separate machines (see bench/setup.ts for why not one browser for all).
    for (let i = 0; i < 3; i += 1) {
      browsers.push(
        await launchChromium({
          executablePath: netns.chromium,
          extraArgs: ['--allow-loopback-in-peer-connection'],
        }),
      );
    }
    const [aliceBrowser, bobBrowser, carolBrowser] = browsers as [Browser, Browser, Browser];
    const url = `http://127.0.0.1:${PORT}/`;
    const alice = await Participant.open(aliceBrowser, url, 'Alice');
    const bob = await Participant.open(bobBrowser, url, 'Bob');
    const carol = await Participant.open(carolBrowser, url, 'Carol');
    // tsx compiles with esbuild's keepNames, which wraps named functions in the callbacks sent to the page
    // with a `__name` helper that exists only in Node (esbuild#1031); give the pages a stand-in.
    for (const person of [alice, bob, carol]) await person.page.evaluate('globalThis.__name = (fn) => fn');

    for (let run = 1; run <= RUNS; run += 1) {
      const room = `bench-recovery-${run}`;
      await sleep(SETTLE_MS);
      try {
        // 1. The reference: a fresh call.
        await alice.join(room);
        await bob.fillRoom(room);
        const timed = armSetupTimer(bob.page, 'Alice');
        timed.catch(() => {});
        await bob.page.getByRole('button', { name: 'Join' }).click();
        setup.push(await withLimit(timed, 'first frame of a fresh call'));
        await alice.framesAdvancing('Bob');

        // 2. A UDP blackout.
        await netns.blockUdp();
        await sleep(BLACKOUT_MS);
        const aliceSees = await armNextFrames(alice.page, 'Bob');
        const bobSees = await armNextFrames(bob.page, 'Alice');
        // From before the rule goes: deleting it takes a process start (`ip netns exec iptables`), and
        // packets flow from somewhere inside that, so the figure errs on the long side.
        const backAt = Date.now();
        await netns.unblockUdp();
        const frames = await Promise.all([aliceSees(), bobSees()]);
        blackout.push(Math.max(...frames) - backAt);

        // 3. A server restart. Carol's Join is pressed as soon as the server listens; her join waits for her
        // own socket to reconnect, like everyone else's.
        await alice.framesAdvancing('Bob');
        await server.kill('SIGKILL');
        server = undefined;
        await sleep(SERVER_DOWN_MS);
        await carol.fillRoom(room);
        const carolSeesAlice = await armNextFrames(carol.page, 'Alice');
        const carolSeesBob = await armNextFrames(carol.page, 'Bob');
        server = await startServerProcess(serverOptions);
        const listeningAt = server.listeningAt;
        await carol.page.getByRole('button', { name: 'Join' }).click();
        const seen = await Promise.all([carolSeesAlice(), carolSeesBob()]);
        restart.push(Math.max(...seen) - listeningAt);
        process.stdout.write(
          `run ${run}/${RUNS}: fresh call ${setup.at(-1)?.toFixed(0)} ms, ` +
            `after blackout ${blackout.at(-1)} ms, after restart ${restart.at(-1)} ms\n`,
        );
      } catch (error) {
        failures.push(`run ${run}: ${error instanceof Error ? error.message : String(error)}`);
        process.stdout.write(`run ${run}/${RUNS} failed: ${failures.at(-1)}\n`);
        await netns.unblockUdp().catch(() => undefined);
        server ??= await startServerProcess(serverOptions);
      }
      for (const person of [carol, bob, alice]) {
        if (await person.page.getByRole('button', { name: 'Leave' }).count()) await person.leave();
      }
    }

    const reference = summarize('Fresh call: Join click → first remote frame', setup);
    const rows: Summary[] = [
      summarize(`End of a ${BLACKOUT_MS / 1000} s UDP blackout → video again both ways`, blackout),
      summarize('Server listening again → both rejoined, newcomer sees both', restart),
    ];
    console.log(`\nRecovery in Chromium ${aliceBrowser.version()}, fake camera, loopback in a namespace:\n`);
    console.log(table(reference, rows));
    for (const row of rows) {
      console.log(
        `${row.name}: median ${row.median.toFixed(0)} ms, p90 ${row.p90.toFixed(0)} ms ` +
          `(target < ${TARGET_MS} ms: ${row.p90 < TARGET_MS ? 'met' : 'not met'} at p90)`,
      );
    }
    if (failures.length) console.log(`\nFailed runs:\n${failures.join('\n')}`);
    console.log(`\nTook ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
    await server?.kill();
    await netns.remove();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
