import type { BrowserContext, Page } from 'playwright-core';
import { percentile } from './stats.js';

/**
 * The critical path of one Join, from `performance.mark`s in both pages put on one time axis (each page's
 * `performance.timeOrigin` plus the mark's time: both browsers run on this machine, on its one clock).
 * `prefix` is the app's own marks (`parley:` in src/call, `minimal:` in bench/minimal/page.ts); `pc:` marks
 * come from {@link markConnectionStates}, `bench:` marks from {@link armFirstFrame}.
 */
export const STEPS = [
  { label: 'join sent', page: 'newcomer', mark: '{app}:join-sent' },
  { label: 'join ack', page: 'newcomer', mark: '{app}:join-ack' },
  { label: 'offer sent', page: 'newcomer', mark: '{app}:offer-sent' },
  { label: 'offer at the peer', page: 'member', mark: '{app}:offer-received' },
  { label: 'answer sent by the peer', page: 'member', mark: '{app}:answer-sent' },
  { label: 'answer at the newcomer', page: 'newcomer', mark: '{app}:answer-received' },
  { label: 'ICE connected', page: 'newcomer', mark: 'pc:ice-connected' },
  { label: 'DTLS connected', page: 'newcomer', mark: 'pc:dtls-connected' },
  { label: 'first remote frame', page: 'newcomer', mark: 'bench:first-frame' },
] as const;

/** Milliseconds from the click to each step, in {@link STEPS} order; NaN for a step that never happened. */
export type Path = number[];

/**
 * Runs in a page before its own scripts: every RTCPeerConnection marks `pc:ice-connected` and
 * `pc:dtls-connected` (its connectionState reaching `connected`, which needs DTLS up on its transport).
 * Wrapping the constructor keeps these marks out of Parley's code.
 */
export async function markConnectionStates(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        this.addEventListener('iceconnectionstatechange', () => {
          if (this.iceConnectionState === 'connected') performance.mark('pc:ice-connected');
        });
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'connected') performance.mark('pc:dtls-connected');
        });
      }
    };
  });
}

/**
 * Arms the newcomer's page before its Join click: clears both pages' marks, then marks `bench:click` on
 * the click and `bench:first-frame` on the first frame shown in `tile`'s video (requestVideoFrameCallback).
 * `shown` settles once that frame is shown.
 */
export async function armFirstFrame(
  newcomer: Page,
  member: Page,
  tile: string,
): Promise<{ shown: Promise<void> }> {
  await member.evaluate(() => performance.clearMarks());
  const shown = newcomer.evaluate(
    (tile) =>
      new Promise<void>((resolve) => {
        performance.clearMarks();
        const join = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Join');
        join?.addEventListener('click', () => performance.mark('bench:click'), { capture: true, once: true });
        const watch = new MutationObserver(() => {
          const video = document.querySelector<HTMLVideoElement>(`figure[aria-label="${tile}"] video`);
          if (!video) return;
          watch.disconnect();
          video.requestVideoFrameCallback((now) => {
            performance.mark('bench:first-frame', { startTime: now });
            resolve();
          });
        });
        watch.observe(document.body, { childList: true, subtree: true });
      }),
    tile,
  );
  // If the click fails, this rejection is reported with it rather than as unhandled.
  shown.catch(() => {});
  // Wait until the page is armed: the evaluate above has run its synchronous part once this one returns.
  await newcomer.evaluate(() => undefined);
  // Wrapped: a promise resolved with a promise would wait for the frame itself.
  return { shown };
}

/** Reads both pages' marks and places each step of {@link STEPS} after the newcomer's click. */
export async function readPath(app: string, newcomer: Page, member: Page): Promise<Path> {
  const [ours, theirs] = await Promise.all([marksOf(newcomer), marksOf(member)]);
  const click = ours.get('bench:click');
  if (click === undefined) throw new Error('no bench:click mark in the newcomer page');
  return STEPS.map(({ page, mark }) => {
    const at = (page === 'newcomer' ? ours : theirs).get(mark.replace('{app}', app));
    return at === undefined ? Number.NaN : at - click;
  });
}

/** Each mark's first occurrence, in milliseconds since the epoch. */
async function marksOf(page: Page): Promise<Map<string, number>> {
  const { origin, marks } = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
  }));
  const first = new Map<string, number>();
  for (const [name, at] of marks) if (!first.has(name)) first.set(name, origin + at);
  return first;
}

/**
 * A Markdown table of the paths: for each step, the median and p90 of its time since the click and of
 * its time since the step before it.
 */
export function breakdownTable(columns: readonly { name: string; paths: readonly Path[] }[]): string {
  const header = ['step', ...columns.flatMap(({ name }) => [`${name}: since click`, `${name}: step`])];
  const lines = [`| ${header.join(' | ')} |`, `|---|${columns.map(() => '---:|---:|').join('')}`];
  STEPS.forEach(({ label, page }, i) => {
    const cells = columns.flatMap(({ paths }) => {
      const since = paths.map((path) => path[i] ?? Number.NaN).filter(Number.isFinite);
      const step = paths
        .map((path) => (path[i] ?? Number.NaN) - (i === 0 ? 0 : (path[i - 1] ?? Number.NaN)))
        .filter(Number.isFinite);
      return [spread(since), spread(step)];
    });
    lines.push(`| ${label} (${page}) | ${cells.join(' | ')} |`);
  });
  return lines.join('\n');
}

/** "median / p90", in whole milliseconds; "–" for no samples. */
function spread(samples: readonly number[]): string {
  if (samples.length === 0) return '–';
  return `${percentile(samples, 50).toFixed(0)} / ${percentile(samples, 90).toFixed(0)}`;
}
