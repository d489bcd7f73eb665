/**
 * What bench/mesh.ts measures inside each person's page over a window of the call: video bytes sent on all
 * connections (outbound-rtp bytesSent), frames decoded from each other person (inbound-rtp framesDecoded,
 * matched to a tile by its track), frames presented in each remote tile (requestVideoFrameCallback) and the
 * gaps between them while the tile is visible. The page's RTCPeerConnections are those the Participant
 * helper records (`recordPeerConnections`).
 *
 * The functions run in the page (Playwright sends their source), so they are self-contained; tsx's
 * keepNames wraps their inner functions in `__name()`, which the bench defines in each page first.
 */
import type { Page } from 'playwright-core';

/** A gap longer than this between two frames of a visible tile counts as a stall. */
export const STALL_MS = 1_000;
/** How often the page checks that a tile is still visible: a hidden tile's gap is not a stall. */
const VISIBILITY_EVERY_MS = 100;

export interface TileWindow {
  /** Whose tile. */
  name: string;
  /** Frames presented in the tile during the window. */
  presented: number;
  /** Frames decoded from this person's video track during the window (NaN when no stats matched it). */
  decoded: number;
  /** Whether the tile was visible at every check of the window. */
  alwaysVisible: boolean;
  /** The longest time without a new frame while the tile was visible, in ms (gaps at both ends included). */
  longestGapMs: number;
  /** The sum of all gaps longer than {@link STALL_MS}, whole, in ms. */
  stalledMs: number;
}

export interface SentStream {
  /** To whom: the person whose video comes back on the same connection ('?' when none does). */
  to: string;
  /** What the encoder sends now (outbound-rtp at the window's end). */
  width: number;
  height: number;
  fps: number;
  /** Why the encoder sends less than it could: none, bandwidth, cpu or other. */
  limitation: string;
  /**
   * The cap the page set on this connection's camera sender (setParameters' maxBitrate), kbit/s; NaN when
   * none is set (Chromium's own rate control alone, as without the adaptation).
   */
  maxKbps: number;
  /** Whether the encoding is active (false: paused, nothing sent). */
  active: boolean;
  /** Bytes sent during the window. */
  bytes: number;
}

export interface PageWindow {
  /**
   * The window of the stats (bytes, frames decoded), from the first snapshot to the last, as the page timed
   * it; getStats itself can take seconds on a busy machine, so the tiles have a window of their own.
   */
  statsSeconds: number;
  /** The window of the tiles (frames shown, gaps), from when they were first watched to when they stopped. */
  tilesSeconds: number;
  /** Video bytes sent on all connections during the window. */
  uploadBytes: number;
  tiles: TileWindow[];
  sent: SentStream[];
}

/** Starts a window in `page`, watching the tiles of `names` (the other people). */
export async function startWindow(page: Page, names: readonly string[]): Promise<void> {
  await page.evaluate(
    async ({ names, stallMs, everyMs }) => {
      const slot = window as unknown as Record<string, unknown>;
      const all = slot.parleyPeerConnections as RTCPeerConnection[] | undefined;
      if (!all) throw new Error('open the participant with recordPeerConnections');
      const snapshot = async () => {
        const sent = new Map<string, Record<string, unknown>>();
        const decoded = new Map<string, number>();
        /** Per connection, the video tracks it receives: who is at the other end. */
        const receives = new Map<number, string[]>();
        /** Per connection, the maxBitrate set on its first video sender (NaN: none). */
        const caps = new Map<number, number>();
        for (const [index, pc] of all.entries()) {
          if (pc.connectionState === 'closed') continue;
          const sender = pc.getSenders().find((candidate) => candidate.track?.kind === 'video');
          caps.set(index, (sender?.getParameters().encodings[0]?.maxBitrate ?? Number.NaN) / 1000);
          (await pc.getStats()).forEach((stat: Record<string, unknown>) => {
            if (stat.kind !== 'video') return;
            if (stat.type === 'outbound-rtp') sent.set(`${index}:${String(stat.id)}`, stat);
            if (stat.type !== 'inbound-rtp') return;
            decoded.set(String(stat.trackIdentifier), Number(stat.framesDecoded ?? 0));
            receives.set(index, [...(receives.get(index) ?? []), String(stat.trackIdentifier)]);
          });
        }
        return { at: performance.now(), sent, decoded, receives, caps };
      };
      const visible = (video: HTMLVideoElement) => {
        if (document.visibilityState !== 'visible' || video.hidden) return false;
        const rect = video.getBoundingClientRect();
        return (
          rect.width > 0 &&
          rect.height > 0 &&
          rect.bottom > 0 &&
          rect.right > 0 &&
          rect.top < innerHeight &&
          rect.left < innerWidth
        );
      };
      const start = await snapshot();
      const tilesFrom = performance.now();
      const tiles = names.map((name) => {
        const video = document.querySelector<HTMLVideoElement>(
          `figure[aria-label="${CSS.escape(name)}"] video`,
        );
        if (!video) throw new Error(`no video in ${name}'s tile`);
        return {
          name,
          video,
          first: undefined as number | undefined,
          last: undefined as number | undefined,
          lastFrameAt: tilesFrom,
          alwaysVisible: true,
          longestGapMs: 0,
          stalledMs: 0,
          stopped: false,
        };
      });
      type Tile = (typeof tiles)[number];
      const noteGap = (tile: Tile, gap: number) => {
        tile.longestGapMs = Math.max(tile.longestGapMs, gap);
        if (gap > stallMs) tile.stalledMs += gap;
      };
      const watch = (tile: Tile) =>
        tile.video.requestVideoFrameCallback((now, meta) => {
          if (tile.stopped) return;
          tile.first ??= meta.presentedFrames;
          tile.last = meta.presentedFrames;
          noteGap(tile, now - tile.lastFrameAt);
          tile.lastFrameAt = now;
          watch(tile);
        });
      for (const tile of tiles) watch(tile);
      // A gap counts only while the tile can be seen: one that is hidden starts its gap again.
      const ticker = setInterval(() => {
        for (const tile of tiles)
          if (!visible(tile.video)) {
            tile.alwaysVisible = false;
            tile.lastFrameAt = performance.now();
          }
      }, everyMs);
      slot.meshWindow = { start, tilesFrom, tiles, ticker, snapshot };
    },
    { names, stallMs: STALL_MS, everyMs: VISIBILITY_EVERY_MS },
  );
}

/** Ends the window started by {@link startWindow} and returns what it saw. */
export async function endWindow(page: Page): Promise<PageWindow> {
  return page.evaluate(async (stallMs) => {
    const slot = window as unknown as Record<string, unknown>;
    interface Snapshot {
      at: number;
      sent: Map<string, Record<string, unknown>>;
      decoded: Map<string, number>;
      receives: Map<number, string[]>;
      caps: Map<number, number>;
    }
    interface Tile {
      name: string;
      video: HTMLVideoElement;
      first: number | undefined;
      last: number | undefined;
      lastFrameAt: number;
      alwaysVisible: boolean;
      longestGapMs: number;
      stalledMs: number;
      stopped: boolean;
    }
    const state = slot.meshWindow as {
      start: Snapshot;
      tilesFrom: number;
      tiles: Tile[];
      ticker: ReturnType<typeof setInterval>;
      snapshot: () => Promise<Snapshot>;
    };
    // The tiles stop first, at one moment; the stats snapshot after them may take a while.
    const tilesTo = performance.now();
    clearInterval(state.ticker);
    const tiles = state.tiles.map((tile) => {
      tile.stopped = true;
      // The gap still open at the end counts as any other.
      const gap = tilesTo - tile.lastFrameAt;
      tile.longestGapMs = Math.max(tile.longestGapMs, gap);
      if (gap > stallMs) tile.stalledMs += gap;
      const stream = tile.video.srcObject;
      const ids = stream instanceof MediaStream ? stream.getVideoTracks().map((track) => track.id) : [];
      return { tile, ids };
    });
    const end = await state.snapshot();
    delete slot.meshWindow;
    const number = (value: unknown) => (typeof value === 'number' ? value : 0);
    const owner = new Map(tiles.flatMap(({ tile, ids }) => ids.map((id) => [id, tile.name] as const)));
    const sent = [...end.sent].map(([key, stat]) => ({
      to:
        (end.receives.get(Number(key.split(':')[0])) ?? [])
          .map((id) => owner.get(id))
          .find((name) => name !== undefined) ?? '?',
      width: number(stat.frameWidth),
      height: number(stat.frameHeight),
      fps: number(stat.framesPerSecond),
      maxKbps: end.caps.get(Number(key.split(':')[0])) ?? Number.NaN,
      limitation: typeof stat.qualityLimitationReason === 'string' ? stat.qualityLimitationReason : 'unknown',
      active: stat.active !== false,
      bytes: number(stat.bytesSent) - number(state.start.sent.get(key)?.bytesSent),
    }));
    const results = tiles.map(({ tile, ids }) => {
      const matched = ids.filter((id) => end.decoded.has(id));
      const decoded = matched.length
        ? matched.reduce((sum, id) => sum + end.decoded.get(id)! - (state.start.decoded.get(id) ?? 0), 0)
        : Number.NaN;
      return {
        name: tile.name,
        presented: tile.first === undefined ? 0 : tile.last! - tile.first,
        decoded,
        alwaysVisible: tile.alwaysVisible,
        longestGapMs: tile.longestGapMs,
        stalledMs: tile.stalledMs,
      };
    });
    return {
      statsSeconds: (end.at - state.start.at) / 1000,
      tilesSeconds: (tilesTo - state.tilesFrom) / 1000,
      uploadBytes: sent.reduce((sum, stream) => sum + stream.bytes, 0),
      tiles: results,
      sent,
    };
  }, STALL_MS);
}
