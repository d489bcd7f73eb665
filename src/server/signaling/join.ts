import {
  type Ack,
  type JoinRequest,
  type JoinResult,
  PROTOCOL_VERSION,
  type PeerId,
} from '../../protocol/index.js';
import {
  type JoinOutcome,
  type Member,
  type PasswordHash,
  type RoomAccess,
  hashRoomPassword,
  verifyRoomPassword,
} from '../rooms/index.js';
import { addressKey, clientAddress } from './client-address.js';
import type { HashAdmission } from './password-hashing.js';
import type { SignalingContext } from './context.js';
import { refuse } from './register.js';
import { checkResume } from './resume-check.js';
import { type ResumeClaims, issueResumeToken, mintPeerId } from './resume-token.js';
import { type ParleySocket, peerChannel } from './types.js';

/**
 * `join`: take a place in a room, or take one's place back with `resume`.
 *
 * A resumed peer that the room still holds is rebound to this socket and the others hear nothing: for
 * them the person never left. One the room no longer holds (the window ran out, the server restarted)
 * joins under its old id with the lock its token carries: it opens an absent room with that lock again, and
 * enters a room that still has it without a password check (so it is never counted as a guess). A room
 * that has another lock now (it emptied and was opened anew) refuses the resume with `RESUME_REJECTED`.
 */
export async function join(
  context: SignalingContext,
  socket: ParleySocket,
  request: JoinRequest,
): Promise<Ack<JoinResult>> {
  if (request.v !== PROTOCOL_VERSION) return refuse('VERSION_MISMATCH');
  if (socket.data.peerId !== undefined) return refuse('ALREADY_IN_ROOM');
  const { resume } = request;

  if (!resume) return await admit(context, socket, request, mintPeerId());
  // Checked in the peer's turn, so that a `leave` already under way for it counts.
  return await context.presence.exclusive(resume.peerId, async () => {
    const check = await checkResume(context, request.room, resume);
    if (!check.ok) return refuse('RESUME_REJECTED', check.message);
    return await admit(context, socket, request, resume.peerId, check.claims);
  });
}

/** The join proper, for a fresh peer id or (one at a time per id) a resumed one. */
async function admit(
  context: SignalingContext,
  socket: ParleySocket,
  request: JoinRequest,
  peerId: PeerId,
  resumed?: ResumeClaims,
): Promise<Ack<JoinResult>> {
  const { room, name, password } = request;
  // The socket may have joined while this resume waited its turn.
  if (socket.data.peerId !== undefined) return refuse('ALREADY_IN_ROOM');
  if (resumed) {
    const heldIn = context.presence.hold(peerId);
    // Asking to resume into another room is moving: the old room sees the peer leave.
    if (heldIn !== undefined && heldIn !== room) await context.presence.depart(peerId, heldIn, 'left');
  }

  const entry = await enter(context, socket, room, { peerId, name }, password, resumed);
  if (!entry.ok) {
    context.presence.release(peerId);
    if (entry.code === 'ROOM_FULL') context.logger.info({ room, peerId }, 'room full');
    const refusal = refuse(entry.code, entry.message);
    // Programs learn when to try again the same way as from the request limits.
    if (entry.retryAfterMs === undefined) return refusal;
    return { ok: false, error: { ...refusal.error, retryAfterMs: entry.retryAfterMs } };
  }
  const { outcome, lock } = entry;
  // The registry took the peer id out of another room (a resume into another room through another node).
  if (outcome.movedFrom !== null) context.presence.announceDeparture(outcome.movedFrom, peerId, 'left');

  context.presence.bind(socket, peerId, room, outcome.self.name);
  const self = { id: peerId, name: outcome.self.name };
  // A resumed peer never left, as far as the others know.
  if (!outcome.resumed) context.presence.announceArrival(socket, room, self);
  const offeredTo = outcome.resumed ? undefined : handOffer(context, peerId, request, outcome.others);
  context.logger.info(
    { room, peerId, created: outcome.created, resumed: outcome.resumed, size: outcome.others.length + 1 },
    'peer joined',
  );
  const { ice, minted } = context.turnGrants.for(socket);
  if (minted) context.metrics.turnCredentialsIssued();
  return {
    ok: true,
    self,
    token: issueResumeToken(context.config.secret, { peerId, room, lock }),
    room,
    created: outcome.created,
    protected: outcome.protected,
    peers: outcome.others.map((member) => ({ id: member.peerId, name: member.name })),
    ...(offeredTo !== undefined && { offeredTo }),
    maxPeers: context.config.maxPeers,
    uploadBudgetKbps: context.config.uploadBudgetKbps,
    // The peer's TURN credential, renewed once half its lifetime has passed.
    ...ice,
  };
}

/**
 * Hands the join's offer to the first member listed, as the `signal` it would otherwise have
 * waited a round trip for. After `peer-joined`, on the same channel, so that member knows the newcomer by
 * then; before the ack, so the answer (which needs the member's own round trip) cannot overtake it.
 */
function handOffer(
  context: SignalingContext,
  from: PeerId,
  request: JoinRequest,
  others: readonly Member[],
): PeerId | undefined {
  const target = others[0]?.peerId;
  if (request.offer === undefined || target === undefined) return undefined;
  context.io
    .to(peerChannel(target))
    .emit('signal', { from, signal: { kind: 'description', description: request.offer } });
  context.metrics.signalRelayed('description');
  return target;
}

/** Rounds of "the room changed under us" before giving up: each one needs another join to slip in. */
const MAX_ROUNDS = 4;

type Entry =
  /** `lock`: the room's lock, for the resume token. */
  | { ok: true; outcome: Extract<JoinOutcome, { ok: true }>; lock: PasswordHash | null }
  | {
      ok: false;
      code:
        | 'ROOM_FULL'
        | 'PASSWORD_REQUIRED'
        | 'WRONG_PASSWORD'
        | 'RATE_LIMITED'
        | 'UNAVAILABLE'
        | 'RESUME_REJECTED'
        | 'INTERNAL';
      message?: string;
      retryAfterMs?: number;
    };

/**
 * Takes a place in the room, with the password where the room has a lock. The registry says what the room
 * is like (absent, open, locked with some hash) atomically with the join; the password is hashed or checked
 * here, between tries, off the event loop. A try fails only if the room changed in between (it emptied and
 * someone else opened it), and the next one works from what the registry said it is now.
 */
async function enter(
  context: SignalingContext,
  socket: ParleySocket,
  room: string,
  member: Member,
  password: string | undefined,
  resumed: ResumeClaims | undefined,
): Promise<Entry> {
  // A resume shows the lock it was admitted under, and opens an absent room with it again. Without a
  // password there is nothing to hash: an empty room is opened open at the first try.
  let access: RoomAccess = resumed
    ? { unlocks: resumed.lock, opensWith: resumed.lock }
    : password === undefined
      ? { unlocks: null, opensWith: null }
      : { unlocks: null };
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let outcome: JoinOutcome;
    try {
      outcome = await context.registry.join(room, member, context.config.maxPeers, access);
    } catch (error) {
      // The shared registry (Redis) is away: say so now rather than leave the page waiting for it.
      context.logger.warn({ err: error, room }, 'room registry unavailable; join refused');
      return { ok: false, code: 'UNAVAILABLE' };
    }
    if (outcome.ok) {
      // A member already (a resume the room still held): its lock is the one it was admitted under.
      const lock = outcome.created
        ? (access.opensWith ?? null)
        : outcome.resumed
          ? (resumed?.lock ?? null)
          : access.unlocks;
      return { ok: true, outcome, lock };
    }
    switch (outcome.reason) {
      case 'full':
        return { ok: false, code: 'ROOM_FULL' };
      case 'absent': {
        // Only reached with a password: this joiner opens the room and locks it. A fresh salt per room.
        if (password === undefined) {
          access = { ...access, opensWith: null };
          break;
        }
        const hashed = await context.passwordHashing.run(addressKey(clientAddress(socket)), () =>
          hashRoomPassword(password),
        );
        if (!hashed.ok) return hashingRefused(hashed);
        access = { ...access, opensWith: hashed.value };
        break;
      }
      case 'locked': {
        // The room was opened anew, with another lock or none, since this peer was admitted.
        if (resumed) {
          return {
            ok: false,
            code: 'RESUME_REJECTED',
            message: 'The room was opened again while you were away. Join it again.',
          };
        }
        if (outcome.lock === null) {
          // The room reopened without a lock while we checked: anyone may enter it now.
          access = { ...access, unlocks: null };
          break;
        }
        if (password === undefined) return { ok: false, code: 'PASSWORD_REQUIRED' };
        const check = await checkPassword(context, socket, room, password, outcome.lock);
        if (!check.ok) return check;
        access = { ...access, unlocks: outcome.lock };
        break;
      }
      default:
        return outcome satisfies never;
    }
  }
  context.logger.warn({ room, peerId: member.peerId }, 'room kept changing during a join');
  return { ok: false, code: 'INTERNAL', message: 'The room changed while you were joining. Try again.' };
}

/** One password check against the room's lock, counted against the client's address and the room. */
async function checkPassword(
  context: SignalingContext,
  socket: ParleySocket,
  room: string,
  password: string,
  lock: string,
): Promise<{ ok: true } | Extract<Entry, { ok: false }>> {
  // Keyed like the request limits: one IPv6 host cannot spread its guesses over its /64.
  const ticket = await context.passwordGuesses.begin(addressKey(clientAddress(socket)), room);
  if (!ticket.ok) {
    const minutes = Math.max(1, Math.ceil(ticket.retryAfterMs / 60_000));
    return {
      ok: false,
      code: 'RATE_LIMITED',
      message: `Too many wrong passwords for this room. Wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} and try again.`,
      retryAfterMs: ticket.retryAfterMs,
    };
  }
  const verified = await context.passwordHashing.run(addressKey(clientAddress(socket)), () =>
    verifyRoomPassword(password, lock),
  );
  if (!verified.ok) {
    // Not a guess: the password was never checked.
    await ticket.settle(true);
    return hashingRefused(verified);
  }
  const right = verified.value;
  await ticket.settle(right);
  return right ? { ok: true } : { ok: false, code: 'WRONG_PASSWORD' };
}

/** A join that needed a password hashed, and could not have it hashed now. */
function hashingRefused(refusal: Exclude<HashAdmission, { ok: true }>): Extract<Entry, { ok: false }> {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const message =
    refusal.why === 'busy'
      ? `The server is busy checking room passwords. Try again in ${seconds} s.`
      : `Too many password-protected joins from your network address. Try again in ${seconds} s.`;
  return { ok: false, code: 'RATE_LIMITED', message, retryAfterMs: refusal.retryAfterMs };
}
