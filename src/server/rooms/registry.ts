import type { DisplayName, PeerId, RoomName } from '../../protocol/index.js';

/** A person in a room, as the registry keeps them. */
export interface Member {
  readonly peerId: PeerId;
  readonly name: DisplayName;
}

export type JoinOutcome =
  | {
      ok: true;
      /** True when this join opened the room. */
      created: boolean;
      /** Everyone else in the room, in the order they joined. */
      others: Member[];
      /**
       * True when the peer id was already a member (a resume): nothing changed, the capacity check was
       * skipped, and `self` is the member as first registered (the others know it under that name).
       */
      resumed: boolean;
      self: Member;
    }
  | { ok: false; reason: 'full' };

/**
 * Who is in which room: the only truth about membership. socket.io's `adapter.rooms` is local to one
 * process, so it is never counted; once Parley runs on several nodes a shared implementation (Redis) takes
 * this one's place and runs the same contract tests (`registry-contract.ts`).
 *
 * Every method is atomic with respect to the others.
 */
export interface RoomRegistry {
  /**
   * Adds `member` to `room` unless that would make more than `capacity` members. Joining with a peer id
   * that is already a member of the room is a resume: it always succeeds and changes nothing.
   */
  join(room: RoomName, member: Member, capacity: number): Promise<JoinOutcome>;
  /** Removes a member; resolves false if it was not there. A room left empty is forgotten. */
  leave(room: RoomName, peerId: PeerId): Promise<boolean>;
  /**
   * Like {@link leave}, but only if this node still holds the member's connection. A departure timer left
   * behind when a peer resumed through another node must not remove it there.
   */
  leaveIfHeld(room: RoomName, peerId: PeerId): Promise<boolean>;
  /** The room's members in the order they joined; empty for a room that does not exist. */
  members(room: RoomName): Promise<Member[]>;
  /** Whether `peerId` is a member of `room`. */
  has(room: RoomName, peerId: PeerId): Promise<boolean>;
  /** How many rooms currently have members (for health and metrics). */
  roomCount(): Promise<number>;
}
