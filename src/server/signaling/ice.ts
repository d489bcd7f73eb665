import type { Ack, IceResult } from '../../protocol/index.js';
import { addressKey, clientAddress } from './client-address.js';
import type { SignalingContext } from './context.js';
import { rateLimited } from './register.js';
import type { ParleySocket } from './types.js';

/**
 * `ice`: the ICE servers this socket may use now. In a room, the peer's TURN credential (renewed after half
 * its lifetime); before joining (the lobby's connectivity check), a short-lived one under a throwaway id,
 * whose minting has a much lower per-address limit of its own (`--rate-ice-lobby-ip`).
 */
export async function ice(context: SignalingContext, socket: ParleySocket): Promise<Ack<IceResult>> {
  if (socket.data.peerId === undefined && context.turnGrants.wouldMintLobby(socket)) {
    const limited = await context.limits?.takeLobbyIce(addressKey(clientAddress(socket)));
    if (limited) {
      context.metrics.rateLimited('ice', limited.scope);
      context.refusals.note('rate-limit lobby ice per ip');
      return rateLimited('ice', limited);
    }
  }
  const { ice, minted } = context.turnGrants.for(socket);
  if (minted) context.metrics.turnCredentialsIssued();
  return { ok: true, ...ice };
}
