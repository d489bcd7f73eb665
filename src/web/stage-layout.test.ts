import { describe, expect, it } from 'vitest';
import { bestGrid, layoutStage, type Rect } from './stage-layout.js';

const area = (rect: Rect) => rect.width * rect.height;
const overlaps = (a: Rect, b: Rect) =>
  a.left < b.left + b.width &&
  b.left < a.left + a.width &&
  a.top < b.top + b.height &&
  b.top < a.top + a.height;
const inside = (rect: Rect, width: number, height: number) =>
  rect.left >= -0.01 &&
  rect.top >= -0.01 &&
  rect.left + rect.width <= width + 0.01 &&
  rect.top + rect.height <= height + 0.01;

describe('bestGrid', () => {
  it('puts two tiles side by side on a wide stage and stacks them on a tall one', () => {
    expect(bestGrid(2, 1600, 600, 16 / 9).columns).toBe(2);
    expect(bestGrid(2, 400, 800, 16 / 9).columns).toBe(1);
  });

  it('fills the width or the height, whichever binds first', () => {
    const fit = bestGrid(4, 1200, 500, 16 / 9);
    expect(fit).toMatchObject({ columns: 2, rows: 2 });
    expect(fit.tileHeight * 2).toBeCloseTo(500);
  });

  it('leaves room for the gaps', () => {
    const fit = bestGrid(3, 1000, 2000, 16 / 9, 10);
    expect(fit.columns * fit.tileWidth + (fit.columns - 1) * 10).toBeLessThanOrEqual(1000);
  });

  it('never gives a negative size on a stage smaller than the gaps', () => {
    expect(bestGrid(8, 10, 10, 16 / 9, 12).tileWidth).toBe(0);
  });
});

describe('layoutStage', () => {
  it('alone: the waiting card and your preview never overlap, wide or tall', () => {
    for (const [width, height] of [
      [924, 560],
      [1600, 900],
      [370, 420],
      [370, 300],
      [370, 370],
    ] as const) {
      const layout = layoutStage({ width, height, ids: ['me'], selfId: 'me' });
      const self = layout.tiles.get('me')!;
      expect(self.role).toBe('beside');
      expect(layout.waiting).toBeDefined();
      expect(overlaps(self.rect, layout.waiting!)).toBe(false);
      expect(inside(self.rect, width, height)).toBe(true);
      expect(area(layout.waiting!)).toBeGreaterThan(area(self.rect));
    }
  });

  it('two people: the other fills the stage, you are a small corner picture inside it', () => {
    const layout = layoutStage({ width: 924, height: 560, ids: ['me', 'ann'], selfId: 'me' });
    const ann = layout.tiles.get('ann')!;
    const me = layout.tiles.get('me')!;
    expect(ann).toMatchObject({ role: 'main', rect: { left: 0, top: 0, width: 924, height: 560 } });
    expect(me.role).toBe('corner');
    // The main tile's caption keeps clear of the corner picture: all of it from its left edge on.
    expect(ann.coveredRight).toBeGreaterThanOrEqual(924 - me.rect.left);
    expect(area(ann.rect)).toBeGreaterThan(8 * area(me.rect));
    expect(me.rect.left + me.rect.width).toBeLessThan(924);
    expect(me.rect.top + me.rect.height).toBeLessThan(560);
  });

  it('three to eight: a grid of equal tiles, inside the stage, none over another', () => {
    for (let count = 3; count <= 8; count++) {
      const ids = Array.from({ length: count }, (_, index) => `p${index}`);
      const layout = layoutStage({ width: 1200, height: 700, ids, selfId: 'p0' });
      const rects = ids.map((id) => layout.tiles.get(id)!.rect);
      for (const [index, rect] of rects.entries()) {
        expect(layout.tiles.get(ids[index]!)!.role).toBe('grid');
        expect(inside(rect, 1200, 700)).toBe(true);
        expect(rect.width).toBeCloseTo(rects[0]!.width);
        for (const other of rects.slice(index + 1)) expect(overlaps(rect, other)).toBe(false);
      }
    }
  });

  it('a pinned person fills the stage above a strip of the others', () => {
    const ids = ['me', 'ann', 'bob', 'cy'];
    const layout = layoutStage({ width: 1200, height: 700, ids, selfId: 'me', pinned: 'bob' });
    const bob = layout.tiles.get('bob')!;
    expect(bob.role).toBe('main');
    for (const id of ['me', 'ann', 'cy']) {
      const tile = layout.tiles.get(id)!;
      expect(tile.role).toBe('strip');
      expect(tile.rect.top).toBeGreaterThan(bob.rect.top + bob.rect.height);
      expect(inside(tile.rect, 1200, 700)).toBe(true);
    }
  });

  it('pinning yourself in a pair puts the other person in the strip', () => {
    const layout = layoutStage({ width: 900, height: 600, ids: ['me', 'ann'], selfId: 'me', pinned: 'me' });
    expect(layout.tiles.get('me')!.role).toBe('main');
    expect(layout.tiles.get('ann')!.role).toBe('strip');
  });

  it('a pin on someone who has left is ignored', () => {
    const layout = layoutStage({ width: 900, height: 600, ids: ['me', 'ann'], selfId: 'me', pinned: 'gone' });
    expect(layout.tiles.get('ann')!.role).toBe('main');
  });

  it('many people in the strip share its width instead of running off the stage', () => {
    const ids = Array.from({ length: 8 }, (_, index) => `p${index}`);
    const layout = layoutStage({ width: 390, height: 400, ids, selfId: 'p0', pinned: 'p3' });
    for (const id of ids) expect(inside(layout.tiles.get(id)!.rect, 390, 400)).toBe(true);
  });
});
