import type { PeerId, RoomName } from '../../protocol/index.js';
import { type JoinOutcome, type Member, OPEN_ROOM, type RoomAccess, type RoomRegistry } from './registry.js';
import type { PasswordHash } from './room-password.js';

/** A room with members: who, in join order (a Map keeps insertion order), and its lock (null: open). */
interface Room {
  readonly members: Map<PeerId, Member>;
  readonly lock: PasswordHash | null;
}

/**
 * The embedded registry: a map in this process. Each method runs to completion without awaiting, so the
 * lock check, the capacity check and the insert cannot interleave with another join.
 */
export class MemoryRoomRegistry implements RoomRegistry {
  readonly #rooms = new Map<RoomName, Room>();
  /** Which room each peer id is in: one at most, so a join elsewhere moves it. */
  readonly #roomOf = new Map<PeerId, RoomName>();

  join(
    room: RoomName,
    member: Member,
    capacity: number,
    access: RoomAccess = OPEN_ROOM,
  ): Promise<JoinOutcome> {
    return Promise.resolve(this.#join(room, member, capacity, access));
  }

  #join(name: RoomName, member: Member, capacity: number, access: RoomAccess): JoinOutcome {
    const existing = this.#rooms.get(name);
    const self = existing?.members.get(member.peerId);
    if (existing && self) {
      const others = [...existing.members.values()].filter((m) => m.peerId !== member.peerId);
      return {
        ok: true,
        created: false,
        others,
        resumed: true,
        self,
        protected: existing.lock !== null,
        movedFrom: null,
      };
    }
    if (!existing) {
      if (access.opensWith === undefined) return { ok: false, reason: 'absent' };
      if (capacity < 1) return { ok: false, reason: 'full' };
      const movedFrom = this.#moveOut(member.peerId, name);
      const joined = { peerId: member.peerId, name: member.name };
      this.#rooms.set(name, { members: new Map([[joined.peerId, joined]]), lock: access.opensWith });
      this.#roomOf.set(joined.peerId, name);
      return {
        ok: true,
        created: true,
        others: [],
        resumed: false,
        self: joined,
        protected: access.opensWith !== null,
        movedFrom,
      };
    }
    if (existing.lock !== access.unlocks) return { ok: false, reason: 'locked', lock: existing.lock };
    if (existing.members.size >= capacity) return { ok: false, reason: 'full' };
    const movedFrom = this.#moveOut(member.peerId, name);
    const others = [...existing.members.values()];
    const joined = { peerId: member.peerId, name: member.name };
    existing.members.set(joined.peerId, joined);
    this.#roomOf.set(joined.peerId, name);
    return {
      ok: true,
      created: false,
      others,
      resumed: false,
      self: joined,
      protected: existing.lock !== null,
      movedFrom,
    };
  }

  /** Takes `peerId` out of the room it is in, if that is not `room`; says which room that was. */
  #moveOut(peerId: PeerId, room: RoomName): RoomName | null {
    const previous = this.#roomOf.get(peerId);
    if (previous === undefined || previous === room) return null;
    this.#remove(previous, peerId);
    return previous;
  }

  leave(room: RoomName, peerId: PeerId): Promise<boolean> {
    return Promise.resolve(this.#remove(room, peerId));
  }

  #remove(room: RoomName, peerId: PeerId): boolean {
    const existing = this.#rooms.get(room);
    const removed = existing?.members.delete(peerId) ?? false;
    if (removed && this.#roomOf.get(peerId) === room) this.#roomOf.delete(peerId);
    // The lock goes with the last member: a room nobody is in has no password to keep.
    if (existing?.members.size === 0) this.#rooms.delete(room);
    return removed;
  }

  /** One process holds every member, so this is {@link leave}. */
  leaveIfHeld(room: RoomName, peerId: PeerId): Promise<boolean> {
    return this.leave(room, peerId);
  }

  members(room: RoomName): Promise<Member[]> {
    return Promise.resolve([...(this.#rooms.get(room)?.members.values() ?? [])]);
  }

  has(room: RoomName, peerId: PeerId): Promise<boolean> {
    return Promise.resolve(this.#rooms.get(room)?.members.has(peerId) ?? false);
  }

  roomCount(): Promise<number> {
    return Promise.resolve(this.#rooms.size);
  }
}
