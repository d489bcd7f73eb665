/**
 * npm run bench:files — how fast a file goes from one person to another, measured in real Chromium.
 *
 * Parley: Ann and Bob (one Chromium, a context each, like test/e2e/files.test.ts) are in a call on a local
 * server, camera and microphone (fake) on, as in real use. Each run, Ann sends Bob a file of BENCH_FILE_MB
 * random MB (default 100; MB = 1024 * 1024 bytes) through the chat's Send file button; Bob's page takes it
 * into memory by itself. Timed in the pages, on the wall clock both share: from the moment the file is
 * chosen (Ann's performance.timeOrigin + performance.now() just before the input's change event is
 * dispatched) to Bob's card saying "Arrived intact" (Date.now() from a MutationObserver in Bob's page). So
 * the figure covers the offer and acceptance over the server, the new data channel, reading, hashing and
 * sending on Ann's side and checking, hashing and keeping on Bob's, up to the verdict. Rate = size / time.
 *
 * Reference, in the same browser: the raw rate of a data channel, two RTCPeerConnections connected inside
 * one page (bench/files-harness.ts; connected once, and a new channel on them for each run, as Parley opens
 * one per file on the call's connection): the same bytes in the same 64 KiB + 8 B messages, with the same
 * 4 MiB / 1 MiB backpressure, timed in that page until the receiver has counted them all; and the same
 * again with both ends taking the bytes into a SHA-256 as Parley does, which prices the check apart from
 * the rest of Parley's work. Runs alternate (raw, raw with SHA-256, Parley, …: BENCH_RUNS of each,
 * default 5) so that machine noise lands on both alike;
 * an untimed 1 MB file of each goes first, so that no run pays for loading the page's file code or for a
 * first channel. Reported: median and p90 (nearest rank) of MB/s, and Parley's median ÷ raw's (target 0.8).
 *
 * Sender memory: during every Parley run, Ann's JS heap (CDP Performance.getMetrics JSHeapUsedSize) and the
 * memory behind her page's ArrayBuffers (CDP Runtime.getHeapUsage backingStorageSize, which the JS heap
 * figure leaves out) are sampled every 200 ms. The baseline is taken just before the send, after the file's
 * bytes were made and garbage was collected (HeapProfiler.collectGarbage); reported are the peak over it
 * and what is left over it once the file is across and garbage is collected again (garbage not yet
 * collected versus memory still held). One extra run with a file 4 times smaller shows whether the peak
 * grows with the file's size. Bob's page is sampled the same way while he receives: the file goes into Blobs
 * (the browser's blob store) as it arrives, so his page should not hold the file either. Finally the page's
 * SHA-256 speed (hash-wasm as Parley uses it, @noble/hashes as its fallback, and WebCrypto) is measured in
 * the raw channel's page, to weigh the hashing cost against the rates.
 *
 * Bounded: every run must end within 120 s and every other step within 30 s, or the benchmark stops, says
 * what failed, and exits non-zero; a watchdog ends the whole process if it still runs past its budget.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { requireBuiltPage } from '../test/support/built-page.js';
import { fileCard } from '../test/support/files.js';
import { openHarnessPage } from '../test/support/harness-page.js';
import { Participant } from '../test/support/participant.js';
import { type TestServer, startTestServer } from '../test/support/server.js';
import type { HashRates } from './files-harness.js';
import { type Summary, median, summarize } from './stats.js';
import { sleep, withLimit as bounded } from './limits.js';

const MB = 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const FILE_BYTES = Math.round(Number(process.env.BENCH_FILE_MB ?? 100) * MB);
/** The extra run for memory: a file this many times smaller. */
const SMALLER_BY = 4;
const SMALLER_BYTES = Math.round(FILE_BYTES / SMALLER_BY);
const WARMUP_BYTES = MB;
const RUN_LIMIT_MS = 120_000;
const STEP_LIMIT_MS = 30_000;
const SAMPLE_EVERY_MS = 200;
/** Parley's median rate should be at least this share of the raw channel's. */
const TARGET_RATIO = 0.8;
/** As src/call/files/outgoing-transfer.ts and chunks.ts send. */
const CHUNK_BYTES = 64 * 1024;
const HEADER_BYTES = 8;
const HIGH_WATER = 4 * MB;
const LOW_WATER = MB;
/** What Bob's card says when a file did not arrive (src/web/i18n/en.ts, files.*). */
const FAILED_TEXT = 'damaged|could not|Stopped:|declined|cancelled|left the call|Too large|too many';
/** Setup (browser, server, two joins, warm-ups) plus every run at its limit, plus the hash measurement. */
const BUDGET_MS = 4 * STEP_LIMIT_MS + (3 * RUNS + 3) * RUN_LIMIT_MS;

/** A step of this benchmark within its limit (STEP_LIMIT_MS unless said). */
function withLimit<T>(promise: Promise<T>, what: string, limitMs = STEP_LIMIT_MS): Promise<T> {
  return bounded(promise, what, limitMs);
}

type Slot = Record<string, unknown>;

/**
 * Arms Bob's page to note the wall-clock time (Date.now()) at which the card of `name` first says
 * "Arrived intact"; it fails as soon as the card says the file did not arrive. Returns the function that
 * waits for it.
 */
async function armArrival(page: Page, name: string): Promise<() => Promise<number>> {
  const key = `arrival-${Math.random()}`;
  await page.evaluate(
    ({ name, key, failed }) => {
      const slot = window as unknown as Record<string, Promise<number>>;
      slot[key] = new Promise<number>((resolve, reject) => {
        const check = () => {
          const items = document.querySelectorAll('[role=log] > li');
          for (const item of items) {
            if (item.querySelector('.file__name')?.textContent !== name) continue;
            const text = item.textContent ?? '';
            if (text.includes('Arrived intact')) resolve(Date.now());
            else if (new RegExp(failed).test(text))
              reject(new Error(`${name} did not arrive; Bob's card says: ${text}`));
            else continue;
            observer.disconnect();
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      // Not left unhandled while nobody waits on it yet.
      slot[key].catch(() => undefined);
    },
    { name, key, failed: FAILED_TEXT },
  );
  return () => page.evaluate((key) => (window as unknown as Record<string, Promise<number>>)[key]!, key);
}

/** Makes `size` random bytes in the page as a File, kept (and nothing else of them) until it is chosen. */
async function makeFile(page: Page, name: string, size: number): Promise<void> {
  await page.evaluate(
    async ({ name, size }) => {
      const bytes = new Uint8Array(size);
      // getRandomValues fills at most 64 KiB per call.
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
      const file = new File([bytes], name, { type: 'application/octet-stream' });
      // Made in the page, a file is handed to the browser's blob store in the background: wait until its last
      // byte can be read, as it could at once from a file on disk, so that the timing is the transfer's.
      await file.slice(size - 1).arrayBuffer();
      (window as unknown as Slot).benchFile = file;
    },
    { name, size },
  );
}

/**
 * Chooses the file made by {@link makeFile} in the input after Send file, as a person picking it would;
 * returns the wall-clock time noted just before the change event.
 */
async function chooseMadeFile(ann: Participant): Promise<number> {
  const button = ann.page.getByRole('button', { name: 'Send file' }).and(ann.page.locator(':enabled'));
  await button.waitFor();
  const input = button.locator('xpath=following-sibling::input[@type="file"][1]');
  return input.evaluate((element: HTMLInputElement) => {
    const slot = window as unknown as Slot;
    const transfer = new DataTransfer();
    transfer.items.add(slot.benchFile as File);
    delete slot.benchFile;
    element.files = transfer.files;
    const chosenAt = performance.timeOrigin + performance.now();
    element.dispatchEvent(new Event('change', { bubbles: true }));
    return chosenAt;
  });
}

interface Memory {
  /** JSHeapUsedSize, bytes. */
  heap: number;
  /** Memory behind ArrayBuffers (outside the JS heap), bytes; NaN where Chromium does not report it. */
  buffers: number;
}

async function memoryOf(cdp: CDPSession): Promise<Memory> {
  const [{ metrics }, usage] = await withLimit(
    Promise.all([cdp.send('Performance.getMetrics'), cdp.send('Runtime.getHeapUsage')]),
    "reading Ann's memory",
  );
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  const buffers = (usage as { backingStorageSize?: number }).backingStorageSize ?? Number.NaN;
  return { heap, buffers };
}

/** Samples `cdp`'s page every SAMPLE_EVERY_MS until stopped; returns the peaks seen. */
function sampleMemory(cdp: CDPSession): { stop: () => Promise<Memory & { samples: number }> } {
  let stopped = false;
  const peak: Memory = { heap: Number.NEGATIVE_INFINITY, buffers: Number.NEGATIVE_INFINITY };
  let samples = 0;
  const loop = (async () => {
    while (!stopped) {
      const at = Date.now();
      const now = await memoryOf(cdp);
      peak.heap = Math.max(peak.heap, now.heap);
      peak.buffers = Math.max(peak.buffers, now.buffers);
      samples += 1;
      await sleep(Math.max(0, SAMPLE_EVERY_MS - (Date.now() - at)));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { ...peak, samples };
    },
  };
}

interface ParleyRun {
  seconds: number;
  /** Peak growth over the baseline, bytes. */
  growth: Memory;
  /** Bob's peak growth over his baseline while he receives (the file goes into Blobs as it arrives). */
  receiverGrowth: Memory;
  /** Growth over the baseline that is left once the file is across and garbage was collected, bytes. */
  retained: Memory;
  samples: number;
}

/** Collects garbage in the page (twice: a first collection can leave what only a second one frees). */
async function collectGarbage(cdp: CDPSession, whose = "Ann's"): Promise<void> {
  const twice = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
  };
  await withLimit(twice(), `collecting garbage in ${whose} page`);
  await sleep(500);
}

let fileNumber = 0;

/** One file from Ann to Bob through the UI, timed in the pages, with both pages' memory sampled throughout. */
async function parleyRun(
  ann: Participant,
  bob: Participant,
  cdp: CDPSession,
  bobCdp: CDPSession,
  size: number,
): Promise<ParleyRun> {
  fileNumber += 1;
  const name = `bench-${fileNumber}-${(size / MB).toFixed(0)}MB.bin`;
  await withLimit(makeFile(ann.page, name, size), `making ${name}`);
  const arrival = await withLimit(armArrival(bob.page, name), "arming Bob's page");
  await collectGarbage(cdp);
  await collectGarbage(bobCdp, "Bob's");
  const baseline = await memoryOf(cdp);
  const bobBaseline = await memoryOf(bobCdp);
  const sampler = sampleMemory(cdp);
  const bobSampler = sampleMemory(bobCdp);
  let peak: Memory & { samples: number };
  let bobPeak: Memory;
  let arrivedAt: number;
  let chosenAt: number;
  try {
    const run = (async () => {
      chosenAt = await chooseMadeFile(ann);
      arrivedAt = await arrival();
      // Not timed: Ann has heard the verdict, so the next run starts with nothing under way.
      await fileCard(ann.page, name).getByText('Bob received it intact').waitFor({ timeout: RUN_LIMIT_MS });
    })();
    await withLimit(run, `sending ${name}`, RUN_LIMIT_MS);
  } finally {
    peak = await sampler.stop();
    bobPeak = await bobSampler.stop();
  }
  await collectGarbage(cdp);
  const after = await memoryOf(cdp);
  return {
    seconds: (arrivedAt! - chosenAt!) / 1000,
    growth: { heap: peak.heap - baseline.heap, buffers: peak.buffers - baseline.buffers },
    receiverGrowth: { heap: bobPeak.heap - bobBaseline.heap, buffers: bobPeak.buffers - bobBaseline.buffers },
    retained: { heap: after.heap - baseline.heap, buffers: after.buffers - baseline.buffers },
    samples: peak.samples,
  };
}

async function rawRun(page: Page, size: number, hashed = false): Promise<number> {
  const ms = await withLimit(
    page.evaluate(
      ({ size, chunk, header, high, low, hashed }) =>
        window.rawChannel(size, chunk, header, high, low, hashed),
      { size, chunk: CHUNK_BYTES, header: HEADER_BYTES, high: HIGH_WATER, low: LOW_WATER, hashed },
    ),
    'raw data channel run',
    RUN_LIMIT_MS,
  );
  return ms / 1000;
}

const mbps = (bytes: number, seconds: number) => bytes / MB / seconds;
const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / MB).toFixed(1)} MB` : 'n/a');
const grown = (bytes: number) => `${bytes >= 0 ? '+' : ''}${mib(bytes)}`;

function rateTable(rows: readonly Summary[]): string {
  const lines = ['| measurement | runs | median (MB/s) | p90 (MB/s) |', '|---|---:|---:|---:|'];
  const rate = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
  for (const row of rows) lines.push(`| ${row.name} | ${row.n} | ${rate(row.median)} | ${rate(row.p90)} |`);
  return lines.join('\n');
}

function report(
  browser: Browser,
  rawRates: number[],
  hashedRates: number[],
  parleyRates: number[],
  memory: ParleyRun[],
  smaller: ParleyRun | undefined,
  hashes: HashRates | undefined,
): void {
  const sizeMb = FILE_BYTES / MB;
  const raw = summarize(`Raw data channel, one page, ${sizeMb} MB`, rawRates);
  const hashed = summarize(`Raw data channel with SHA-256 at both ends, one page, ${sizeMb} MB`, hashedRates);
  const parley = summarize(
    `Parley, Ann → Bob through the UI, ${sizeMb} MB (chosen → "Arrived intact")`,
    parleyRates,
  );
  console.log(`\nFile transfer in Chromium ${browser.version()}, loopback, ${sizeMb} MB of random bytes:\n`);
  console.log(rateTable([raw, hashed, parley]));
  if (raw.n && parley.n) {
    const ratio = parley.median / raw.median;
    const met = ratio >= TARGET_RATIO ? 'met' : 'not met';
    console.log(`\nParley ÷ raw (medians): ${ratio.toFixed(2)}x (target ≥ ${TARGET_RATIO}x: ${met})`);
  }
  if (raw.n && hashed.n)
    console.log(`Raw with SHA-256 ÷ raw (medians): ${(hashed.median / raw.median).toFixed(2)}x`);
  if (memory.length || smaller) {
    console.log(
      `\nAnn's page while sending: peak growth over the value just before the send (sampled every ` +
        `${SAMPLE_EVERY_MS} ms), and what is left of it once the file is across and garbage is collected; ` +
        'median over the runs (max):\n',
    );
    console.log('| file | runs | JS heap peak | JS heap left | ArrayBuffers peak | ArrayBuffers left |');
    console.log('|---|---:|---:|---:|---:|---:|');
    const memoryRow = (label: string, runs: readonly ParleyRun[]) => {
      const cell = (values: number[]) => `${mib(median(values))} (${mib(Math.max(...values))})`;
      const cells = [
        runs.map((run) => run.growth.heap),
        runs.map((run) => run.retained.heap),
        runs.map((run) => run.growth.buffers),
        runs.map((run) => run.retained.buffers),
      ].map(cell);
      console.log(`| ${label} | ${runs.length} | ${cells.join(' | ')} |`);
    };
    if (memory.length) memoryRow(`${sizeMb} MB`, memory);
    if (smaller) {
      const smallerMb = (SMALLER_BYTES / MB).toFixed(0);
      memoryRow(`${smallerMb} MB`, [smaller]);
      console.log(`\n(${smallerMb} MB run: ${mbps(SMALLER_BYTES, smaller.seconds).toFixed(1)} MB/s.)`);
    }
    const received = [...memory, ...(smaller ? [smaller] : [])];
    const receivedPeak = (values: number[]) => `${mib(median(values))} (${mib(Math.max(...values))})`;
    console.log(
      `\nBob's page while receiving into memory, peak growth: JS heap ` +
        `${receivedPeak(received.map((run) => run.receiverGrowth.heap))}, ArrayBuffers ` +
        `${receivedPeak(received.map((run) => run.receiverGrowth.buffers))} (median (max) over every run; ` +
        "the file itself goes to the browser's blob store as it arrives).",
    );
  }
  if (hashes) {
    const row = (label: string, rate: number) =>
      console.log(`| ${label} | ${rate.toFixed(0)} | ${(1000 / rate).toFixed(1)} |`);
    console.log(`\nSHA-256 in the raw channel's page, nothing else running in it:\n`);
    console.log('| hash | MB/s | ms per MB |\n|---|---:|---:|');
    row('hash-wasm, 64 KiB updates (as Parley hashes)', hashes.wasmChunks64KiB);
    row('@noble/hashes, 64 KiB updates (the fallback without WebAssembly)', hashes.nobleChunks64KiB);
    row('@noble/hashes, 1 MiB updates', hashes.noble1MiB);
    row('WebCrypto crypto.subtle.digest, one call', hashes.webCrypto);
  }
}

async function main(): Promise<void> {
  requireBuiltPage();
  const startedAt = Date.now();
  const watchdog = setTimeout(() => {
    console.error(`\nFAILED: the benchmark was still running after ${BUDGET_MS / 1000} s; stopped.`);
    process.exit(2);
  }, BUDGET_MS);
  watchdog.unref();
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const rawRates: number[] = [];
  const hashedRates: number[] = [];
  const parleyRates: number[] = [];
  const memory: ParleyRun[] = [];
  let smaller: ParleyRun | undefined;
  let hashes: HashRates | undefined;
  let failure: string | undefined;
  try {
    server = await withLimit(startTestServer({ maxPeers: 4 }), 'starting the server');
    browser = await withLimit(launchChromium(), 'starting Chromium');
    const url = `${server.url}/r/bench-files`;
    const ann = await withLimit(Participant.open(browser, url, 'Ann'), "opening Ann's page");
    await withLimit(ann.join(), 'Ann joining');
    const bob = await withLimit(Participant.open(browser, url, 'Bob'), "opening Bob's page");
    await withLimit(bob.join(), 'Bob joining');
    await withLimit(bob.framesAdvancing('Ann'), "Ann's video at Bob's");
    if (process.env.BENCH_MEDIA === 'off')
      for (const page of [ann.page, bob.page])
        for (const device of ['Camera', 'Microphone'])
          await page.getByRole('button', { name: device }).first().click();
    const harness = await withLimit(
      openHarnessPage(browser, fileURLToPath(new URL('./files-harness.ts', import.meta.url))),
      'opening the raw channel page',
    );
    // tsx compiles with esbuild's keepNames, which wraps named functions in the callbacks sent to the page
    // with a `__name` helper that exists only in Node (esbuild#1031); give the pages a stand-in.
    for (const page of [ann.page, bob.page, harness]) await page.evaluate('globalThis.__name = (fn) => fn');
    const cdp = await ann.context.newCDPSession(ann.page);
    await cdp.send('Performance.enable');
    const bobCdp = await bob.context.newCDPSession(bob.page);
    await bobCdp.send('Performance.enable');

    try {
      await rawRun(harness, WARMUP_BYTES);
      await rawRun(harness, WARMUP_BYTES, true);
      await parleyRun(ann, bob, cdp, bobCdp, WARMUP_BYTES);
      for (let run = 1; run <= RUNS; run += 1) {
        const rawSeconds = await rawRun(harness, FILE_BYTES);
        rawRates.push(mbps(FILE_BYTES, rawSeconds));
        const hashedSeconds = await rawRun(harness, FILE_BYTES, true);
        hashedRates.push(mbps(FILE_BYTES, hashedSeconds));
        const parley = await parleyRun(ann, bob, cdp, bobCdp, FILE_BYTES);
        parleyRates.push(mbps(FILE_BYTES, parley.seconds));
        memory.push(parley);
        process.stdout.write(
          `run ${run}/${RUNS}: raw ${rawRates.at(-1)!.toFixed(1)} MB/s (${rawSeconds.toFixed(2)} s), ` +
            `raw with SHA-256 ${hashedRates.at(-1)!.toFixed(1)} MB/s (${hashedSeconds.toFixed(2)} s), ` +
            `Parley ${parleyRates.at(-1)!.toFixed(1)} MB/s (${parley.seconds.toFixed(2)} s), ` +
            `Ann's peak heap ${grown(parley.growth.heap)}, ArrayBuffers ${grown(parley.growth.buffers)} ` +
            `(${parley.samples} samples; left after GC ${grown(parley.retained.heap)}, ` +
            `${grown(parley.retained.buffers)}); Bob's peak ArrayBuffers ` +
            `${grown(parley.receiverGrowth.buffers)}\n`,
        );
      }
      smaller = await parleyRun(ann, bob, cdp, bobCdp, SMALLER_BYTES);
      process.stdout.write(
        `extra run, ${SMALLER_BYTES / MB} MB: Parley ` +
          `${mbps(SMALLER_BYTES, smaller.seconds).toFixed(1)} MB/s, ` +
          `Ann's peak heap ${grown(smaller.growth.heap)}, ArrayBuffers ${grown(smaller.growth.buffers)} ` +
          `(left after GC ${grown(smaller.retained.heap)}, ${grown(smaller.retained.buffers)}); ` +
          `Bob's peak ArrayBuffers ${grown(smaller.receiverGrowth.buffers)}\n`,
      );
      hashes = await withLimit(
        harness.evaluate((size) => window.hashRate(size), 64 * MB),
        'measuring SHA-256 in the page',
        RUN_LIMIT_MS,
      );
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    report(browser, rawRates, hashedRates, parleyRates, memory, smaller, hashes);
    console.log(`\nTook ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  } finally {
    await browser?.close();
    await server?.close();
    clearTimeout(watchdog);
  }
  if (failure) {
    console.error(`\nFAILED: ${failure}`);
    process.exitCode = 1;
  }
}

await main();
