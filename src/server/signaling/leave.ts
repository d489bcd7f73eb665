import type { Ack, EventResult, LeaveRequest } from '../../protocol/index.js';
import type { SignalingContext } from './context.js';
import { refuse } from './register.js';
import { RESUME_TOKEN_LIFETIME_MS } from './resume-token.js';
import type { ParleySocket } from './types.js';

/** `leave`: give up one's place now; the others hear `peer-left` with reason `left`. */
export async function leave(
  context: SignalingContext,
  socket: ParleySocket,
  _request: LeaveRequest,
): Promise<Ack<EventResult<'leave'>>> {
  const { peerId, room } = socket.data;
  if (peerId === undefined || room === undefined) return refuse('NOT_IN_ROOM');
  // In the peer's turn: a resume of this id under way elsewhere finishes first, or sees the revocation.
  await context.presence.exclusive(peerId, async () => {
    // Another socket took the place over meanwhile: this one has nothing left to give up.
    if (socket.data.peerId !== peerId) return;
    await context.presence.depart(peerId, room, 'left');
    // Every token given to this peer so far is refused from now on, here, on other nodes and after a restart.
    const now = Date.now();
    try {
      await context.revokedResumes.revoke(peerId, now, now + RESUME_TOKEN_LIFETIME_MS);
    } catch (error) {
      context.logger.warn(
        { err: error, room, peerId },
        'could not revoke the resume tokens of a peer that left',
      );
    }
  });
  return { ok: true };
}
