/**
 * Where each tile of the call goes on the stage, as plain arithmetic so it can be tested without a browser.
 *
 * - Alone: the waiting card takes most of the stage and your own preview sits beside it, never over it, so
 *   the message and the room link stay readable at every size.
 * - Two people: the other person fills the stage; you are a small picture in its corner.
 * - Three and more: a grid whose tiles are as large as the stage allows at a 16:9 ratio ({@link bestGrid}).
 * - Someone pinned: they fill the stage above a strip of everyone else.
 */

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * `main`: the large tile (its video is letterboxed, never cropped); `grid`: one of equals; `strip`: small,
 * under a pinned tile; `corner`: your own picture over the other person's; `beside`: your own preview next
 * to the waiting card.
 */
export type TileRole = 'main' | 'grid' | 'strip' | 'corner' | 'beside';

export interface PlacedTile {
  rect: Rect;
  role: TileRole;
  /** Pixels at the bottom right that another tile covers (your corner picture): the caption stays clear. */
  coveredRight?: number;
}

export interface StageLayout {
  tiles: ReadonlyMap<string, PlacedTile>;
  /** The "waiting for others" card, when you are alone. */
  waiting?: Rect;
}

export interface StageInput {
  width: number;
  height: number;
  /** Everyone on the stage, yourself included, in the order tiles are shown. */
  ids: readonly string[];
  selfId: string;
  /** The tile that fills the stage, if any; ignored when it is not on the stage. */
  pinned?: string | undefined;
  /** Space between tiles, in pixels. */
  gap?: number;
  /** Width over height of a grid tile. */
  aspect?: number;
}

export interface GridFit {
  columns: number;
  rows: number;
  tileWidth: number;
  tileHeight: number;
}

const WIDE = 16 / 9;

/** A rectangle as an element's inline position inside the stage. */
export function rectStyle(rect: Rect): Record<'left' | 'top' | 'width' | 'height', string> {
  return {
    left: `${rect.left}px`,
    top: `${rect.top}px`,
    width: `${rect.width}px`,
    height: `${rect.height}px`,
  };
}

/** The number of columns that gives `count` tiles of ratio `aspect` the largest size in `width`×`height`. */
export function bestGrid(count: number, width: number, height: number, aspect = WIDE, gap = 0): GridFit {
  let best: GridFit = { columns: 1, rows: Math.max(count, 1), tileWidth: 0, tileHeight: 0 };
  for (let columns = 1; columns <= Math.max(count, 1); columns++) {
    const rows = Math.ceil(count / columns);
    const tileWidth = Math.max(
      0,
      Math.min((width - gap * (columns - 1)) / columns, ((height - gap * (rows - 1)) / rows) * aspect),
    );
    if (tileWidth > best.tileWidth) best = { columns, rows, tileWidth, tileHeight: tileWidth / aspect };
  }
  return best;
}

/** Rectangles for a grid of `ids`, centred in the area; an unfinished last row is centred too. */
function placeGrid(ids: readonly string[], area: Rect, aspect: number, gap: number, role: TileRole) {
  const fit = bestGrid(ids.length, area.width, area.height, aspect, gap);
  const usedHeight = fit.rows * fit.tileHeight + (fit.rows - 1) * gap;
  const top = area.top + (area.height - usedHeight) / 2;
  return ids.map((id, index): [string, PlacedTile] => {
    const row = Math.floor(index / fit.columns);
    const inRow = Math.min(fit.columns, ids.length - row * fit.columns);
    const rowWidth = inRow * fit.tileWidth + (inRow - 1) * gap;
    const column = index - row * fit.columns;
    const left = area.left + (area.width - rowWidth) / 2 + column * (fit.tileWidth + gap);
    return [
      id,
      {
        role,
        rect: { left, top: top + row * (fit.tileHeight + gap), width: fit.tileWidth, height: fit.tileHeight },
      },
    ];
  });
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

export function layoutStage({
  width,
  height,
  ids,
  selfId,
  pinned,
  gap = 12,
  aspect = WIDE,
}: StageInput): StageLayout {
  const others = ids.filter((id) => id !== selfId);

  if (others.length === 0) {
    // Beside the card, never over it: at its right on a wide stage, under it on a tall or narrow one (a
    // phone's, where the card would be too narrow to read beside it).
    const landscape = width >= Math.max(height * 1.2, 560);
    const selfWidth = landscape
      ? clamp(width * 0.28, Math.min(160, width * 0.4), 360)
      : Math.min(clamp(height * 0.25, 90, 220) * aspect, width * 0.6);
    const selfHeight = selfWidth / aspect;
    const self: Rect = {
      left: width - selfWidth,
      top: landscape ? (height - selfHeight) / 2 : height - selfHeight,
      width: selfWidth,
      height: selfHeight,
    };
    const waiting: Rect = landscape
      ? { left: 0, top: 0, width: width - selfWidth - gap, height }
      : { left: 0, top: 0, width, height: height - selfHeight - gap };
    return {
      tiles: new Map(ids.includes(selfId) ? [[selfId, { role: 'beside', rect: self }]] : []),
      waiting,
    };
  }

  if (pinned !== undefined && ids.includes(pinned)) {
    const rest = ids.filter((id) => id !== pinned);
    const stripHeight = clamp(height * 0.2, 56, 150);
    const tileWidth = Math.min(stripHeight * aspect, (width - gap * (rest.length - 1)) / rest.length);
    const tileHeight = tileWidth / aspect;
    const mainHeight = height - tileHeight - gap;
    const strip = placeGrid(
      rest,
      { left: 0, top: mainHeight + gap, width, height: tileHeight },
      aspect,
      gap,
      'strip',
    );
    return {
      tiles: new Map([
        [pinned, { role: 'main', rect: { left: 0, top: 0, width, height: mainHeight } }],
        ...strip,
      ]),
    };
  }

  if (others.length === 1 && ids.includes(selfId)) {
    const [other] = others as [string];
    const inset = Math.min(12, gap);
    const selfWidth = clamp(Math.min(width, height * aspect) * 0.22, 96, 280);
    const selfHeight = selfWidth / aspect;
    return {
      tiles: new Map([
        [
          other,
          { role: 'main', rect: { left: 0, top: 0, width, height }, coveredRight: selfWidth + 2 * inset },
        ],
        [
          selfId,
          {
            role: 'corner',
            rect: {
              left: width - selfWidth - inset,
              top: height - selfHeight - inset,
              width: selfWidth,
              height: selfHeight,
            },
          },
        ],
      ]),
    };
  }

  return { tiles: new Map(placeGrid(ids, { left: 0, top: 0, width, height }, aspect, gap, 'grid')) };
}
