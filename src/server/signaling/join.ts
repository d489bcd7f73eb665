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
  type RoomAccess,
  hashRoomPassword,
  verifyRoomPassword,
} from '../rooms/index.js';
import { addressKey, clientAddress } from './client-address.js';
import type { HashAdmission } from './password-hashing.js';
import type { Presence } from './presence.js';
import { refuse } from './register.js';
import { isValidResumeToken, mintPeerId, resumeToken } from './resume-token.js';
import { type ParleySocket, roomChannel } from './types.js';

/**
 * `join`: take a place in a room, or take one's place back with `resume`.
 *
 * A resumed peer that the room still holds is rebound to this socket and the others hear nothing: for
 * them the person never left. One the room no longer holds (the window ran out, the server restarted)
 * joins like anyone else, under its old id, and so needs the password if the room is locked (or locks it
 * again with that password if it opens the room anew).
 */
export async function join(
  presence: Presence,
  socket: ParleySocket,
  request: JoinRequest,
): Promise<Ack<JoinResult>> {
  if (request.v !== PROTOCOL_VERSION) return refuse('VERSION_MISMATCH');
  if (socket.data.peerId !== undefined) return refuse('ALREADY_IN_ROOM');
  const { resume } = request;

  if (!resume) return await admit(presence, socket, request, mintPeerId());
  if (!isValidResumeToken(presence.secret, resume.peerId, resume.token)) {
    return refuse('BAD_REQUEST', 'The resume token is not valid. Join without it.');
  }
  const peerId = resume.peerId;
  return await presence.exclusive(peerId, () => admit(presence, socket, request, peerId, true));
}

/** The join proper, for a fresh peer id or (one at a time per id) a resumed one. */
async function admit(
  presence: Presence,
  socket: ParleySocket,
  request: JoinRequest,
  peerId: PeerId,
  resuming = false,
): Promise<Ack<JoinResult>> {
  const { room, name, password } = request;
  // The socket may have joined while this resume waited its turn.
  if (socket.data.peerId !== undefined) return refuse('ALREADY_IN_ROOM');
  if (resuming) {
    const heldIn = presence.hold(peerId);
    // Asking to resume into another room is moving: the old room sees the peer leave.
    if (heldIn !== undefined && heldIn !== room) await presence.depart(peerId, heldIn, 'left');
  }

  const entry = await enter(presence, socket, room, { peerId, name }, password);
  if (!entry.ok) {
    presence.release(peerId);
    if (entry.code === 'ROOM_FULL') presence.logger.info({ room, peerId }, 'room full');
    const refusal = refuse(entry.code, entry.message);
    // Programs learn when to try again the same way as from the request limits.
    if (entry.retryAfterMs === undefined) return refusal;
    return { ok: false, error: { ...refusal.error, retryAfterMs: entry.retryAfterMs } };
  }
  const { outcome } = entry;
  // The registry took the peer id out of another room (a resume into another room through another node).
  if (outcome.movedFrom !== null) presence.announceDeparture(outcome.movedFrom, peerId, 'left');

  presence.bind(socket, peerId, room, outcome.self.name);
  const self = { id: peerId, name: outcome.self.name };
  if (!outcome.resumed) {
    // Before the ack: the newcomer offers as soon as it has the ack, and the others must know who is
    // offering by then. Each socket's messages arrive in the order they were sent.
    socket.to(roomChannel(room)).emit('peer-joined', { peer: self });
  }
  presence.logger.info(
    { room, peerId, created: outcome.created, resumed: outcome.resumed, size: outcome.others.length + 1 },
    'peer joined',
  );
  const { ice, minted } = presence.turnGrants.for(socket);
  if (minted) presence.metrics.turnCredentialsIssued();
  return {
    ok: true,
    self,
    token: resumeToken(presence.secret, peerId),
    room,
    created: outcome.created,
    protected: outcome.protected,
    peers: outcome.others.map((member) => ({ id: member.peerId, name: member.name })),
    maxPeers: presence.maxPeers,
    // The peer's TURN credential, renewed once half its lifetime has passed.
    ...ice,
  };
}

/** Rounds of "the room changed under us" before giving up: each one needs another join to slip in. */
const MAX_ROUNDS = 4;

type Entry =
  | { ok: true; outcome: Extract<JoinOutcome, { ok: true }> }
  | {
      ok: false;
      code:
        'ROOM_FULL' | 'PASSWORD_REQUIRED' | 'WRONG_PASSWORD' | 'RATE_LIMITED' | 'UNAVAILABLE' | 'INTERNAL';
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
  presence: Presence,
  socket: ParleySocket,
  room: string,
  member: Member,
  password: string | undefined,
): Promise<Entry> {
  // Without a password there is nothing to hash: an empty room is opened open at the first try.
  let access: RoomAccess = password === undefined ? { unlocks: null, opensWith: null } : { unlocks: null };
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let outcome: JoinOutcome;
    try {
      outcome = await presence.registry.join(room, member, presence.maxPeers, access);
    } catch (error) {
      // The shared registry (Redis) is away: say so now rather than leave the page waiting for it.
      presence.logger.warn({ err: error, room }, 'room registry unavailable; join refused');
      return { ok: false, code: 'UNAVAILABLE' };
    }
    if (outcome.ok) return { ok: true, outcome };
    switch (outcome.reason) {
      case 'full':
        return { ok: false, code: 'ROOM_FULL' };
      case 'absent': {
        // Only reached with a password: this joiner opens the room and locks it. A fresh salt per room.
        if (password === undefined) {
          access = { ...access, opensWith: null };
          break;
        }
        const hashed = await presence.passwordHashing.run(addressKey(clientAddress(socket)), () =>
          hashRoomPassword(password),
        );
        if (!hashed.ok) return hashingRefused(hashed);
        access = { ...access, opensWith: hashed.value };
        break;
      }
      case 'locked': {
        if (outcome.lock === null) {
          // The room reopened without a lock while we checked: anyone may enter it now.
          access = { ...access, unlocks: null };
          break;
        }
        if (password === undefined) return { ok: false, code: 'PASSWORD_REQUIRED' };
        const check = await checkPassword(presence, socket, room, password, outcome.lock);
        if (!check.ok) return check;
        access = { ...access, unlocks: outcome.lock };
        break;
      }
      default:
        return outcome satisfies never;
    }
  }
  presence.logger.warn({ room, peerId: member.peerId }, 'room kept changing during a join');
  return { ok: false, code: 'INTERNAL', message: 'The room changed while you were joining. Try again.' };
}

/** One password check against the room's lock, counted against the client's address and the room. */
async function checkPassword(
  presence: Presence,
  socket: ParleySocket,
  room: string,
  password: string,
  lock: string,
): Promise<{ ok: true } | Extract<Entry, { ok: false }>> {
  // Keyed like the request limits: one IPv6 host cannot spread its guesses over its /64.
  const ticket = await presence.passwordGuesses.begin(addressKey(clientAddress(socket)), room);
  if (!ticket.ok) {
    const minutes = Math.max(1, Math.ceil(ticket.retryAfterMs / 60_000));
    return {
      ok: false,
      code: 'RATE_LIMITED',
      message: `Too many wrong passwords for this room. Wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} and try again.`,
      retryAfterMs: ticket.retryAfterMs,
    };
  }
  const verified = await presence.passwordHashing.run(addressKey(clientAddress(socket)), () =>
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
