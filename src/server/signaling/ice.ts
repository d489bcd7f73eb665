import type { Ack, IceResult } from '../../protocol/index.js';
import { joinIce } from '../ice/index.js';
import { mintPeerId } from './resume-token.js';
import type { Presence } from './presence.js';
import type { ParleySocket } from './types.js';

/**
 * `ice`: the ICE servers this socket may use now, TURN credentials freshly minted. Allowed before joining
 * (the pre-join connectivity check); the credentials then name a throwaway id, since the peer has none yet.
 */
export function ice(presence: Presence, socket: ParleySocket): Promise<Ack<IceResult>> {
  const result = joinIce(presence.ice, socket.data.peerId ?? mintPeerId(), socket.handshake.headers.host);
  if (result.iceServers.some((server) => server.credential !== undefined))
    presence.metrics.turnCredentialsIssued();
  return Promise.resolve({ ok: true, ...result });
}
