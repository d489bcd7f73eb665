import { describe, expect, it } from 'vitest';
import type { Member, RoomRegistry } from './registry.js';

/**
 * The behaviour every {@link RoomRegistry} must have, as a suite any implementation runs:
 *
 * @example
 * describeRoomRegistry('RedisRoomRegistry', async () => new RedisRoomRegistry(await connect()));
 */
export function describeRoomRegistry(name: string, create: () => RoomRegistry | Promise<RoomRegistry>): void {
  const ann: Member = { peerId: 'ann-000001', name: 'Ann' };
  const bob: Member = { peerId: 'bob-000002', name: 'Bob' };
  const cat: Member = { peerId: 'cat-000003', name: 'Cat' };

  describe(`${name} (room registry contract)`, () => {
    it('opens a room on the first join and lists earlier members to later ones', async () => {
      const rooms = await create();
      expect(await rooms.join('r', ann, 2)).toEqual({
        ok: true,
        created: true,
        others: [],
        resumed: false,
        self: ann,
      });
      expect(await rooms.join('r', bob, 2)).toEqual({
        ok: true,
        created: false,
        others: [ann],
        resumed: false,
        self: bob,
      });
      expect(await rooms.members('r')).toEqual([ann, bob]);
      expect(await rooms.has('r', bob.peerId)).toBe(true);
    });

    it('refuses a join beyond capacity and leaves the room as it was', async () => {
      const rooms = await create();
      await rooms.join('r', ann, 2);
      await rooms.join('r', bob, 2);
      expect(await rooms.join('r', cat, 2)).toEqual({ ok: false, reason: 'full' });
      expect(await rooms.members('r')).toEqual([ann, bob]);
      expect(await rooms.has('r', cat.peerId)).toBe(false);
    });

    it('admits exactly `capacity` of many joins made at once', async () => {
      const rooms = await create();
      const people = Array.from({ length: 6 }, (_, i) => ({ peerId: `peer-${i}-abcdef`, name: `P${i}` }));
      const outcomes = await Promise.all(people.map((p) => rooms.join('r', p, 3)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
      expect(outcomes.filter((o) => o.ok && o.created)).toHaveLength(1);
      expect(await rooms.members('r')).toHaveLength(3);
    });

    it('frees the place on leave, so someone else can join', async () => {
      const rooms = await create();
      await rooms.join('r', ann, 2);
      await rooms.join('r', bob, 2);
      expect(await rooms.leave('r', ann.peerId)).toBe(true);
      expect(await rooms.members('r')).toEqual([bob]);
      expect(await rooms.join('r', cat, 2)).toMatchObject({ ok: true, created: false, others: [bob] });
    });

    it('lets a member rejoin after leaving', async () => {
      const rooms = await create();
      await rooms.join('r', ann, 2);
      await rooms.join('r', bob, 2);
      await rooms.leave('r', bob.peerId);
      expect(await rooms.join('r', bob, 2)).toMatchObject({ ok: true, resumed: false, others: [ann] });
    });

    it('lets a member this registry holds leave through leaveIfHeld', async () => {
      const rooms = await create();
      await rooms.join('r', ann, 2);
      expect(await rooms.leaveIfHeld('r', ann.peerId)).toBe(true);
      expect(await rooms.leaveIfHeld('r', ann.peerId)).toBe(false);
      expect(await rooms.members('r')).toEqual([]);
    });

    it('answers false for leaving a room one is not in', async () => {
      const rooms = await create();
      expect(await rooms.leave('nowhere', ann.peerId)).toBe(false);
      await rooms.join('r', ann, 2);
      expect(await rooms.leave('r', bob.peerId)).toBe(false);
      expect(await rooms.members('r')).toEqual([ann]);
    });

    it('forgets a room once it is empty', async () => {
      const rooms = await create();
      await rooms.join('r', ann, 2);
      await rooms.join('q', bob, 2);
      expect(await rooms.roomCount()).toBe(2);
      await rooms.leave('r', ann.peerId);
      expect(await rooms.roomCount()).toBe(1);
      expect(await rooms.members('r')).toEqual([]);
      expect(await rooms.join('r', cat, 2)).toMatchObject({ ok: true, created: true, others: [] });
    });

    it('treats a join under a present peer id as a resume: no second place, the first name kept', async () => {
      const rooms = await create();
      await rooms.join('r', ann, 2);
      await rooms.join('r', bob, 2);
      expect(await rooms.join('r', { peerId: ann.peerId, name: 'Annie' }, 2)).toEqual({
        ok: true,
        created: false,
        others: [bob],
        resumed: true,
        self: ann,
      });
      expect(await rooms.members('r')).toEqual([ann, bob]);
    });

    it('keeps rooms apart', async () => {
      const rooms = await create();
      await rooms.join('a', ann, 2);
      await rooms.join('a', bob, 2);
      expect(await rooms.join('b', cat, 2)).toMatchObject({ ok: true, created: true, others: [] });
      expect(await rooms.has('b', ann.peerId)).toBe(false);
      expect(await rooms.members('b')).toEqual([cat]);
    });
  });
}
