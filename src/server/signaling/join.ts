import {
  type Ack,
  type JoinRequest,
  type JoinResult,
  PROTOCOL_VERSION,
  type PeerId,
} from '../../protocol/index.js';
import { joinIce } from '../ice/index.js';
import type { Presence } from './presence.js';
import { refuse } from './register.js';
import { isValidResumeToken, mintPeerId, resumeToken } from './resume-token.js';
import { type ParleySocket, roomChannel } from './types.js';

/**
 * `join`: take a place in a room, or take one's place back with `resume`.
 *
 * A resumed peer that the room still holds is rebound to this socket and the others hear nothing: for
 * them the person never left. One the room no longer holds (the window ran out, the server restarted)
 * joins like anyone else, under its old id.
 */
export async function join(
  presence: Presence,
  socket: ParleySocket,
  request: JoinRequest,
): Promise<Ack<JoinResult>> {
  if (request.v !== PROTOCOL_VERSION) return refuse('VERSION_MISMATCH');
  if (socket.data.peerId !== undefined) return refuse('ALREADY_IN_ROOM');
  const { room, name, resume } = request;

  let peerId: PeerId;
  if (resume) {
    if (!isValidResumeToken(presence.secret, resume.peerId, resume.token)) {
      return refuse('BAD_REQUEST', 'The resume token is not valid. Join without it.');
    }
    peerId = resume.peerId;
    const heldIn = presence.hold(peerId);
    // Asking to resume into another room is moving: the old room sees the peer leave.
    if (heldIn !== undefined && heldIn !== room) await presence.depart(peerId, heldIn, 'left');
  } else {
    peerId = mintPeerId();
  }

  const outcome = await presence.registry.join(room, { peerId, name }, presence.maxPeers);
  if (!outcome.ok) {
    presence.release(peerId);
    presence.logger.info({ room, peerId }, 'room full');
    return refuse('ROOM_FULL');
  }

  presence.bind(socket, peerId, room);
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
  const ice = joinIce(presence.ice, peerId, socket.handshake.headers.host);
  if (ice.iceServers.some((server) => server.credential !== undefined))
    presence.metrics.turnCredentialsIssued();
  return {
    ok: true,
    self,
    token: resumeToken(presence.secret, peerId),
    room,
    created: outcome.created,
    peers: outcome.others.map((member) => ({ id: member.peerId, name: member.name })),
    maxPeers: presence.maxPeers,
    // Fresh TURN credentials on every join, resumes included, so a long call can renew them by rejoining.
    ...ice,
  };
}
