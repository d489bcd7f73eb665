import { describe, expect, it } from 'vitest';
import { ROOM_NAME_MAX, ROOM_NAME_MAX_BYTES, RoomName, normalizeRoomName } from '../../protocol/index.js';
import { type JoinOutcome, type Member, OPEN_ROOM, type RoomRegistry } from './registry.js';

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
        protected: false,
        movedFrom: null,
      });
      expect(await rooms.join('r', bob, 2)).toEqual({
        ok: true,
        created: false,
        others: [ann],
        resumed: false,
        self: bob,
        protected: false,
        movedFrom: null,
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
        protected: false,
        movedFrom: null,
      });
      expect(await rooms.members('r')).toEqual([ann, bob]);
    });

    it('moves a peer id that joins another room out of the one it was in, and says from where', async () => {
      const rooms = await create();
      await rooms.join('a', ann, 2);
      await rooms.join('a', bob, 2);
      expect(await rooms.join('b', ann, 2)).toMatchObject({ ok: true, created: true, movedFrom: 'a' });
      expect(await rooms.members('a')).toEqual([bob]);
      expect(await rooms.members('b')).toEqual([ann]);
      // The place it left is free for someone else.
      expect(await rooms.join('a', cat, 2)).toMatchObject({ ok: true, movedFrom: null });
    });

    it('keeps a peer id resumed into two rooms at once in one of them only', async () => {
      for (let round = 0; round < 8; round += 1) {
        const rooms = await create();
        const [one, two] = [`one-${round}`, `two-${round}`];
        await rooms.join(one, bob, 2);
        await rooms.join(two, cat, 2);
        const outcomes = await Promise.all([rooms.join(one, ann, 2), rooms.join(two, ann, 2)]);
        expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
        const holding = [
          (await rooms.has(one, ann.peerId)) ? one : undefined,
          (await rooms.has(two, ann.peerId)) ? two : undefined,
        ].filter((room) => room !== undefined);
        expect(holding).toHaveLength(1);
        // The room it is not in has its place free again.
        const other = holding[0] === one ? two : one;
        expect(await rooms.members(other)).toHaveLength(1);
      }
    });

    it('keeps rooms apart', async () => {
      const rooms = await create();
      await rooms.join('a', ann, 2);
      await rooms.join('a', bob, 2);
      expect(await rooms.join('b', cat, 2)).toMatchObject({ ok: true, created: true, others: [] });
      expect(await rooms.has('b', ann.peerId)).toBe(false);
      expect(await rooms.members('b')).toEqual([cat]);
    });

    describe('locked rooms', () => {
      // Stand-ins for password hashes: the registry compares them and never looks inside.
      const lockA = 'scrypt$16384$8$5$saltA$keyA';
      const lockB = 'scrypt$16384$8$5$saltB$keyB';

      it('locks a room with the lock its opener gives, and admits only whoever unlocks it', async () => {
        const rooms = await create();
        expect(await rooms.join('r', ann, 3, { unlocks: null, opensWith: lockA })).toMatchObject({
          ok: true,
          created: true,
          protected: true,
          movedFrom: null,
        });
        expect(await rooms.join('r', bob, 3, OPEN_ROOM)).toEqual({
          ok: false,
          reason: 'locked',
          lock: lockA,
        });
        expect(await rooms.join('r', bob, 3, { unlocks: lockB })).toEqual({
          ok: false,
          reason: 'locked',
          lock: lockA,
        });
        expect(await rooms.members('r')).toEqual([ann]);
        expect(await rooms.join('r', bob, 3, { unlocks: lockA })).toEqual({
          ok: true,
          created: false,
          others: [ann],
          resumed: false,
          self: bob,
          protected: true,
          movedFrom: null,
        });
      });

      it('keeps an open room open: a lock offered by a later joiner is not put on it', async () => {
        const rooms = await create();
        await rooms.join('r', ann, 3);
        expect(await rooms.join('r', bob, 3, { unlocks: null, opensWith: lockA })).toMatchObject({
          ok: true,
          created: false,
          protected: false,
          movedFrom: null,
        });
        expect(await rooms.join('r', cat, 3)).toMatchObject({ ok: true, protected: false });
      });

      it('tells a joiner who proved a lock that the room is now open, rather than letting it pass', async () => {
        const rooms = await create();
        await rooms.join('r', ann, 3);
        expect(await rooms.join('r', bob, 3, { unlocks: lockA })).toEqual({
          ok: false,
          reason: 'locked',
          lock: null,
        });
      });

      it('answers absent for an empty room when the joiner did not say how to open it, and opens nothing', async () => {
        const rooms = await create();
        expect(await rooms.join('r', ann, 2, { unlocks: null })).toEqual({ ok: false, reason: 'absent' });
        expect(await rooms.join('r', ann, 2, { unlocks: lockA })).toEqual({ ok: false, reason: 'absent' });
        expect(await rooms.members('r')).toEqual([]);
        expect(await rooms.roomCount()).toBe(0);
      });

      it('checks the lock before the capacity: only whoever unlocks a full room learns it is full', async () => {
        const rooms = await create();
        await rooms.join('r', ann, 2, { unlocks: null, opensWith: lockA });
        await rooms.join('r', bob, 2, { unlocks: lockA });
        expect(await rooms.join('r', cat, 2)).toEqual({ ok: false, reason: 'locked', lock: lockA });
        expect(await rooms.join('r', cat, 2, { unlocks: lockA })).toEqual({ ok: false, reason: 'full' });
      });

      it('lets a member back in under its own peer id without the lock (a resume)', async () => {
        const rooms = await create();
        await rooms.join('r', ann, 2, { unlocks: null, opensWith: lockA });
        await rooms.join('r', bob, 2, { unlocks: lockA });
        expect(await rooms.join('r', ann, 2)).toEqual({
          ok: true,
          created: false,
          others: [bob],
          resumed: true,
          self: ann,
          protected: true,
          movedFrom: null,
        });
      });

      it('forgets the lock once the room is empty: the next opener decides', async () => {
        const rooms = await create();
        await rooms.join('r', ann, 2, { unlocks: null, opensWith: lockA });
        await rooms.join('r', bob, 2, { unlocks: lockA });
        await rooms.leave('r', ann.peerId);
        expect(await rooms.join('r', cat, 2)).toMatchObject({ ok: false, reason: 'locked', lock: lockA });
        await rooms.leaveIfHeld('r', bob.peerId);
        expect(await rooms.roomCount()).toBe(0);
        expect(await rooms.join('r', cat, 2)).toMatchObject({ ok: true, created: true, protected: false });
        expect(await rooms.join('r', ann, 2)).toMatchObject({ ok: true, created: false, protected: false });
        await rooms.leave('r', cat.peerId);
        await rooms.leave('r', ann.peerId);
        expect(await rooms.join('r', bob, 2, { unlocks: null, opensWith: lockB })).toMatchObject({
          created: true,
          protected: true,
          movedFrom: null,
        });
        expect(await rooms.join('r', ann, 2, { unlocks: lockA })).toEqual({
          ok: false,
          reason: 'locked',
          lock: lockB,
        });
      });

      it('ends many simultaneous openers with one lock, the first opener’s, that the others are shown', async () => {
        const rooms = await create();
        const people = Array.from({ length: 8 }, (_, i) => ({
          member: { peerId: `opener-${i}-abcdef`, name: `O${i}` },
          // Half would open it locked, each with a lock of their own; half would open it open.
          lock: i % 2 === 0 ? `scrypt$16384$8$5$salt${i}$key${i}` : null,
        }));
        const outcomes = await Promise.all(
          people.map(({ member, lock }) => rooms.join('r', member, 8, { unlocks: null, opensWith: lock })),
        );
        const created = outcomes.flatMap((o, i) => (o.ok && o.created ? [people[i]] : []));
        expect(created).toHaveLength(1);
        const winner = created[0]!;
        const admitted = outcomes.filter((o): o is Extract<JoinOutcome, { ok: true }> => o.ok);
        const refused = outcomes.filter((o) => !o.ok);
        if (winner.lock === null) {
          // An open room: everyone is in, and nobody's lock was put on it.
          expect(admitted).toHaveLength(8);
          expect(admitted.every((o) => !o.protected)).toBe(true);
        } else {
          // A locked room: only its opener is in; everyone else is shown the one lock there is.
          expect(admitted).toHaveLength(1);
          expect(refused).toEqual(Array(7).fill({ ok: false, reason: 'locked', lock: winner.lock }));
          // Whoever proves that lock is let in, whatever lock they came with.
          const late = people.find((p) => p !== winner && p.lock !== null);
          expect(late).toBeDefined();
          expect(await rooms.join('r', late!.member, 8, { unlocks: winner.lock })).toMatchObject({
            ok: true,
            protected: true,
            movedFrom: null,
          });
        }
      });
    });

    describe('room names in any script', () => {
      it('keeps a Chinese room apart from others and lists its members back as they joined', async () => {
        const rooms = await create();
        const room = normalizeRoomName('周会');
        await rooms.join(room, ann, 3);
        await rooms.join(normalizeRoomName('周会-team'), cat, 3);
        expect(await rooms.join(room, { ...bob, name: '小明' }, 3)).toMatchObject({
          ok: true,
          others: [ann],
        });
        expect(await rooms.members(room)).toEqual([ann, { ...bob, name: '小明' }]);
        expect(await rooms.members(normalizeRoomName('周会-team'))).toEqual([cat]);
        expect(await rooms.roomCount()).toBe(2);
        expect(await rooms.leave(room, ann.peerId)).toBe(true);
        expect(await rooms.has(room, bob.peerId)).toBe(true);
      });

      it('meets in one room whether its name was typed full width or not', async () => {
        const rooms = await create();
        await rooms.join(normalizeRoomName('Ｔｅａｍ　周会'), ann, 2);
        expect(await rooms.join(normalizeRoomName('team 周会'), bob, 2)).toMatchObject({
          ok: true,
          created: false,
          others: [ann],
        });
      });

      it('holds names at the byte limit, and moves a member between them', async () => {
        const rooms = await create();
        const wide = '𠀀'.repeat(ROOM_NAME_MAX_BYTES / 4);
        const chinese = '周'.repeat(ROOM_NAME_MAX);
        expect(RoomName.safeParse(wide).success && RoomName.safeParse(chinese).success).toBe(true);
        expect(await rooms.join(wide, ann, 2)).toMatchObject({ ok: true, created: true });
        expect(await rooms.join(wide, bob, 2)).toMatchObject({ ok: true, others: [ann] });
        expect(await rooms.join(chinese, bob, 2)).toMatchObject({ ok: true, movedFrom: wide });
        expect(await rooms.members(wide)).toEqual([ann]);
        expect(await rooms.members(chinese)).toEqual([bob]);
      });
    });
  });
}
