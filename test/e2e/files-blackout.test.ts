import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuiltPage } from '../support/built-page.js';
import {
  type RecordedChannel,
  chooseRandomFile,
  downloadSaved,
  fileCard,
  recordDataChannels,
} from '../support/files.js';
import { type NamespacedCall, startNamespacedCall } from '../support/namespaced-call.js';
import { Participant } from '../support/participant.js';

const MB = 1024 * 1024;
const FLOWING = 10;
/**
 * Large enough to be still moving when the blackout starts (it starts at 5 %, a few MB in), small enough to
 * finish soon after on a busy 2-core machine (the rest moves at 5 to 15 MB/s there).
 */
const FILE_BYTES = 64 * MB;
/** The blackout starts once the receiver's bar shows at least this much (percent), and before LATEST. */
const EARLIEST = 5;
const LATEST = 60;
/**
 * UDP stays off at least this long, and until Bob's card says the file is paused: a 10 s outage alone is
 * healed by an ICE restart on the same RTCPeerConnection, whose SCTP association (and so the file's channel)
 * lives through it; only once the call rebuilds its connection (about 11 s in) is the file's channel gone,
 * and the file has to go on, from what Bob holds, on a channel of the new connection.
 */
const BLACKOUT_MS = 10_000;
/** How long into the blackout the call may take to give up the old connection (and pause the file). */
const PAUSED_WITHIN_MS = 30_000;
/** How long the rest of the file may take once UDP is back, on a busy 2-core machine. */
const DONE_WITHIN_MS = 45_000;

/** One change of the receiver's card, as its page saw it (Date.now(), percent, "45 MB of 67 MB", status). */
interface ProgressEntry {
  at: number;
  percent: number | undefined;
  progress: string | undefined;
  status: string;
}

/**
 * In the receiver's page: notes every change of the card of the file `name` (its bar and status line) on
 * `window.fileProgress`, with the time it was seen.
 */
function watchProgress(name: string): void {
  const entries: ProgressEntry[] = [];
  Object.assign(window, { fileProgress: entries });
  const note = () => {
    const card = [...document.querySelectorAll('[role="log"] li')].find(
      (line) => line.querySelector('.file__name')?.textContent === name,
    );
    if (!card) return;
    const bar = card.querySelector('[role="progressbar"]');
    const now = bar?.getAttribute('aria-valuenow');
    const entry: ProgressEntry = {
      at: Date.now(),
      percent: now == null ? undefined : Number(now),
      progress: bar?.getAttribute('aria-valuetext') ?? undefined,
      status: card.querySelector('.file__status')?.textContent ?? '',
    };
    const last = entries.at(-1);
    if (
      !last ||
      last.percent !== entry.percent ||
      last.progress !== entry.progress ||
      last.status !== entry.status
    )
      entries.push(entry);
  };
  new MutationObserver(note).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['aria-valuenow', 'aria-valuetext'],
  });
}

/**
 * A 64 MiB file moving when UDP is cut off (TCP, and so signaling, still works) for 10 s and until the call
 * has given up the old connection: Bob's card says the file is paused. Once UDP is back, the file goes on by
 * itself, on a channel of the rebuilt connection, from the bytes Bob holds, and arrives intact: same
 * SHA-256, Ann told so, and Ann's page sent barely more than the file (it resumed, it did not start again).
 * Server and browsers run in a network namespace of their own, so the blackout touches nothing else.
 */
describe('a file through a UDP blackout of 10 s or more', () => {
  let bed: NamespacedCall | undefined;
  let ann: Participant;
  let bob: Participant;
  const room = 'e2e-files-blackout';

  beforeAll(async () => {
    requireBuiltPage();
    bed = await startNamespacedCall('files-blackout');
    ann = await Participant.open(bed.browser, bed.roomUrl(room), 'Ann');
    // Ann's page counts what it sends on each file's channel, and from which offset.
    await recordDataChannels(ann);
    await ann.join();
    bob = await Participant.open(bed.browser, bed.roomUrl(room), 'Bob');
    await bob.join();
    expect(await bob.framesAdvancing('Ann')).toBeGreaterThanOrEqual(FLOWING);
  });
  afterAll(async () => {
    await bed?.close();
  });

  it('pauses while the connection is rebuilt, goes on from what arrived once UDP is back, and arrives intact', async () => {
    const name = 'through the blackout.bin';
    await bob.page.evaluate(watchProgress, name);
    const sent = await chooseRandomFile(
      ann.page.getByRole('button', { name: 'Send file' }),
      name,
      FILE_BYTES,
    );
    const bobCard = fileCard(bob.page, name);
    const bar = bobCard.getByRole('progressbar');
    await bar.waitFor({ timeout: 30_000 });
    // Waits on the page's own mutations: the bar moves in steps of the page's redraws.
    await bar.evaluate(
      (element, earliest) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (Number(element.getAttribute('aria-valuenow')) < earliest) return false;
            observer.disconnect();
            resolve();
            return true;
          };
          const observer = new MutationObserver(check);
          if (!check()) observer.observe(element, { attributes: true, attributeFilter: ['aria-valuenow'] });
        }),
      EARLIEST,
    );

    const blockedAt = Date.now();
    let backAt: number;
    await bed!.netns.blockUdp();
    try {
      const atBlackout = Number(await bar.getAttribute('aria-valuenow'));
      expect(atBlackout, 'still moving when UDP went').toBeGreaterThanOrEqual(EARLIEST);
      expect(atBlackout, 'still moving when UDP went').toBeLessThan(LATEST);
      await bobCard
        .getByText('connection interrupted, it will go on by itself')
        .waitFor({ timeout: PAUSED_WITHIN_MS });
      // The blackout's length is the fault being tested, not a wait for something to happen.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, blockedAt + BLACKOUT_MS - Date.now())));
    } finally {
      await bed!.netns.unblockUdp();
      backAt = Date.now();
    }

    const save = bobCard.getByRole('link', { name: `Save ${name}` });
    await save.waitFor({ timeout: DONE_WITHIN_MS });
    const doneAt = Date.now();
    await bobCard.getByText('Arrived intact (SHA-256 checked)').waitFor();
    await fileCard(ann.page, name).getByText('Bob received it intact').waitFor();
    expect(await downloadSaved(bob.page, save), 'what Bob saved').toEqual({
      sha256: sent.sha256,
      size: sent.size,
      savedAs: name,
    });

    // What Bob saw: the bar never went back, and when it moved again after UDP came back.
    const seen = await bob.page.evaluate(
      () => (window as unknown as { fileProgress: ProgressEntry[] }).fileProgress,
    );
    const before = seen.filter((entry) => entry.at <= blockedAt && entry.progress !== undefined);
    const during = seen.filter((entry) => entry.at > blockedAt && entry.percent !== undefined);
    const lastBefore = before.at(-1);
    expect(lastBefore, 'progress seen before the blackout').toBeDefined();
    for (const entry of during)
      expect(entry.percent, `Bob's bar at ${entry.at - blockedAt} ms`).toBeGreaterThanOrEqual(
        lastBefore!.percent!,
      );
    const heldAtBack = seen.filter((entry) => entry.at <= backAt && entry.progress !== undefined).at(-1);
    const wentOn = seen.find(
      (entry) => entry.at > backAt && entry.progress !== undefined && entry.progress !== heldAtBack?.progress,
    );
    // What Bob held when the file paused ("9.4 MB of 67 MB · connection interrupted…"), in bytes give or
    // take the rounding of what is shown.
    const paused = seen.find((entry) => entry.status.includes('connection interrupted'));
    const heldMB = Number(/^([\d.]+) MB of/.exec(paused?.progress ?? '')?.[1]);

    // What Ann's page sent: on each channel of the file, from which offset and how much.
    const recorded = await ann.page.evaluate(() =>
      (window as unknown as { parleyDataChannels: RecordedChannel[] }).parleyDataChannels.map(
        ({ label, firstOffset, fileBytesSent, createdAt }) => ({
          label,
          firstOffset,
          fileBytesSent,
          createdAt,
        }),
      ),
    );
    const channels = recorded.filter((each) => each.label.startsWith('file:'));
    const totalSent = channels.reduce((sum, each) => sum + each.fileBytesSent, 0);
    // A call channel per RTCPeerConnection: a new one after the blackout began means a rebuilt connection
    // (a shorter outage is healed by an ICE restart on the same one, and the file's channel lives on).
    const rebuilds = recorded.filter((each) => each.label === 'chat' && each.createdAt > blockedAt).length;
    console.info(
      `file through a ${((backAt - blockedAt) / 1000).toFixed(1)} s UDP blackout: cut at ${lastBefore?.percent}% ` +
        `(${lastBefore?.progress}); ${wentOn ? `moving again ${wentOn.at - backAt} ms` : 'never seen moving'} ` +
        `after UDP came back, complete ${doneAt - backAt} ms after; ` +
        `paused ${paused ? `${paused.at - blockedAt} ms into it, holding ${paused.progress}` : 'never'}; ` +
        `connection rebuilt ${rebuilds} time(s); ` +
        `file channels: ${channels.map((each) => `from ${each.firstOffset} sent ${each.fileBytesSent}`).join(', ')}; ` +
        `${(totalSent / MB).toFixed(1)} MiB sent for ${FILE_BYTES / MB} MiB`,
    );

    expect(wentOn, 'Bob saw the file move again after UDP came back').toBeDefined();
    expect(rebuilds, 'connections rebuilt during the blackout').toBeGreaterThanOrEqual(1);
    // The file's channel died with the old connection; it went on, on a channel of the new one.
    expect(channels.length, 'channels the file went on').toBeGreaterThanOrEqual(2);
    expect(new Set(channels.map((each) => each.label)).size, 'all of one transfer').toBe(1);
    expect(channels[0]!.firstOffset).toBe(0);
    const resumedAt = channels[1]!.firstOffset!;
    expect(
      Math.abs(resumedAt - heldMB * 1e6),
      `resumed from ${resumedAt}: what Bob held`,
    ).toBeLessThanOrEqual(0.5e6);
    channels.slice(1).forEach((resumed, index) => {
      const before = channels[index]!;
      expect(resumed.firstOffset, 'a resumed channel goes on from what Bob held').toBeGreaterThan(0);
      expect(resumed.firstOffset, 'and never past what was sent').toBeLessThanOrEqual(
        before.firstOffset! + before.fileBytesSent,
      );
    });
    expect(totalSent, 'file bytes Ann sent in all').toBeGreaterThanOrEqual(FILE_BYTES);
    // Sent again: only what was on its way when the old connection went (a few MiB of queue).
    expect(totalSent, 'file bytes Ann sent in all: resumed, not restarted').toBeLessThan(1.25 * FILE_BYTES);
    expect(await bob.framesAdvancing('Ann'), 'video flows again too').toBeGreaterThanOrEqual(FLOWING);
  }, 90_000);
});
