import type { PeerId, RoomName } from '../../protocol/index.js';
import type { JoinOutcome, Member, RoomRegistry } from './registry.js';

/**
 * The embedded registry: a map in this process. Each method runs to completion without awaiting, so the
 * capacity check and the insert cannot interleave with another join.
 */
export class MemoryRoomRegistry implements RoomRegistry {
  /** Room name → members by peer id; a Map keeps insertion order, which is join order. */
  readonly #rooms = new Map<RoomName, Map<PeerId, Member>>();

  join(room: RoomName, member: Member, capacity: number): Promise<JoinOutcome> {
    const members = this.#rooms.get(room) ?? new Map<PeerId, Member>();
    const existing = members.get(member.peerId);
    const others = [...members.values()].filter((m) => m.peerId !== member.peerId);
    if (existing) return Promise.resolve({ ok: true, created: false, others, resumed: true, self: existing });
    if (members.size >= capacity) return Promise.resolve({ ok: false, reason: 'full' });
    const self = { peerId: member.peerId, name: member.name };
    members.set(member.peerId, self);
    this.#rooms.set(room, members);
    return Promise.resolve({ ok: true, created: members.size === 1, others, resumed: false, self });
  }

  leave(room: RoomName, peerId: PeerId): Promise<boolean> {
    const members = this.#rooms.get(room);
    const removed = members?.delete(peerId) ?? false;
    if (members?.size === 0) this.#rooms.delete(room);
    return Promise.resolve(removed);
  }

  /** One process holds every member, so this is {@link leave}. */
  leaveIfHeld(room: RoomName, peerId: PeerId): Promise<boolean> {
    return this.leave(room, peerId);
  }

  members(room: RoomName): Promise<Member[]> {
    return Promise.resolve([...(this.#rooms.get(room)?.values() ?? [])]);
  }

  has(room: RoomName, peerId: PeerId): Promise<boolean> {
    return Promise.resolve(this.#rooms.get(room)?.has(peerId) ?? false);
  }

  roomCount(): Promise<number> {
    return Promise.resolve(this.#rooms.size);
  }
}
