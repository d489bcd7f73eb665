import type { DisplayName, PeerId, RoomName } from '../../protocol/index.js';
import type { PasswordHash } from './room-password.js';

/** A place a node holds, as its presence layer knows it: who, in which room, under which name. */
export interface HeldPlace {
  readonly room: RoomName;
  readonly peerId: PeerId;
  readonly name: string;
}

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
      /** True when the room is locked with a password. */
      protected: boolean;
      /**
       * The room the peer id was in until this join, which took it out of there (a peer id is in one room
       * at most); null when it was in none. The caller tells that room the peer left.
       */
      movedFrom: RoomName | null;
    }
  | { ok: false; reason: 'full' }
  /** The room has no members and the join did not say how to open it (`access.opensWith` unset). */
  | { ok: false; reason: 'absent' }
  /**
   * The room's lock is not the one the joiner showed it can open (`access.unlocks`). `lock` is the room's
   * actual lock (null: the room is open); check the password against it, then try again.
   */
  | { ok: false; reason: 'locked'; lock: PasswordHash | null };

/**
 * What a join may open. The password is checked outside the registry (hashing takes a while, and must not
 * run inside a Redis script or hold up other rooms); the registry then makes sure, atomically with the
 * membership change, that the lock the joiner proved it can open is still the room's.
 */
export interface RoomAccess {
  /** The room's lock as the joiner proved it can open it: null for an open room. */
  readonly unlocks: PasswordHash | null;
  /**
   * The lock to put on the room if this join opens it: null for none. Unset: do not open the room, answer
   * `absent` (the caller then hashes the password it has and tries again).
   */
  readonly opensWith?: PasswordHash | null;
}

/** Anyone may enter an open room, and a room opened this way is open: the behaviour without passwords. */
export const OPEN_ROOM: RoomAccess = { unlocks: null, opensWith: null };

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
   * that is already a member of the room is a resume: it always succeeds and changes nothing (a resume is
   * proved by its token, not by the password).
   *
   * Otherwise `access` decides: an empty room is opened with the lock `access.opensWith` (or `absent` is
   * answered when that is unset); a room with members admits only a joiner whose `access.unlocks` is its
   * lock (else `locked`), and only then is capacity checked. Default: {@link OPEN_ROOM}.
   */
  join(room: RoomName, member: Member, capacity: number, access?: RoomAccess): Promise<JoinOutcome>;
  /** Removes a member; resolves false if it was not there. A room left empty is forgotten, lock and all. */
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
