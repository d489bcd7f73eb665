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
      return { ok: true, created: false, others, resumed: true, self, protected: existing.lock !== null };
    }
    if (!existing) {
      if (access.opensWith === undefined) return { ok: false, reason: 'absent' };
      if (capacity < 1) return { ok: false, reason: 'full' };
      const joined = { peerId: member.peerId, name: member.name };
      this.#rooms.set(name, { members: new Map([[joined.peerId, joined]]), lock: access.opensWith });
      return {
        ok: true,
        created: true,
        others: [],
        resumed: false,
        self: joined,
        protected: access.opensWith !== null,
      };
    }
    if (existing.lock !== access.unlocks) return { ok: false, reason: 'locked', lock: existing.lock };
    if (existing.members.size >= capacity) return { ok: false, reason: 'full' };
    const others = [...existing.members.values()];
    const joined = { peerId: member.peerId, name: member.name };
    existing.members.set(joined.peerId, joined);
    return {
      ok: true,
      created: false,
      others,
      resumed: false,
      self: joined,
      protected: existing.lock !== null,
    };
  }

  leave(room: RoomName, peerId: PeerId): Promise<boolean> {
    const existing = this.#rooms.get(room);
    const removed = existing?.members.delete(peerId) ?? false;
    // The lock goes with the last member: a room nobody is in has no password to keep.
    if (existing?.members.size === 0) this.#rooms.delete(room);
    return Promise.resolve(removed);
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
