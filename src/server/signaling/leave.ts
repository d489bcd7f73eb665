import type { Ack, EventResult, LeaveRequest } from '../../protocol/index.js';
import type { Presence } from './presence.js';
import { refuse } from './register.js';
import type { ParleySocket } from './types.js';

/** `leave`: give up one's place now; the others hear `peer-left` with reason `left`. */
export async function leave(
  presence: Presence,
  socket: ParleySocket,
  _request: LeaveRequest,
): Promise<Ack<EventResult<'leave'>>> {
  const { peerId, room } = socket.data;
  if (peerId === undefined || room === undefined) return refuse('NOT_IN_ROOM');
  await presence.depart(peerId, room, 'left');
  return { ok: true };
}
