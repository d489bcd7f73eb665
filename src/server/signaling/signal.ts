import type { Ack, EventResult, SignalRequest } from '../../protocol/index.js';
import type { SignalingContext } from './context.js';
import { refuse } from './register.js';
import { type ParleySocket, peerChannel } from './types.js';

/**
 * `signal`: relay one negotiation message to one peer of the sender's own room. The sender is named by
 * the server (`from`), never by the message, so nobody can speak for someone else; and it goes to that
 * peer's own channel only, never to the room.
 *
 * A peer in its resume window has no socket: the message is lost, and the ack still says ok. Negotiation
 * recovers when that peer is back (it re-offers after an ICE restart), which is simpler and safer than
 * queueing on the server.
 */
export async function signal(
  context: SignalingContext,
  socket: ParleySocket,
  request: SignalRequest,
): Promise<Ack<EventResult<'signal'>>> {
  const { peerId: from, room } = socket.data;
  if (from === undefined || room === undefined) return refuse('NOT_IN_ROOM');
  if (request.to === from || !(await context.registry.has(room, request.to))) return refuse('UNKNOWN_PEER');
  context.io.to(peerChannel(request.to)).emit('signal', { from, signal: request.signal });
  context.metrics.signalRelayed(request.signal.kind);
  return { ok: true };
}
