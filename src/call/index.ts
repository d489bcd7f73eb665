export {
  RoomSession,
  JoinError,
  makeCallCertificates,
  type RemotePeerView,
  type RoomSessionEvents,
  type RoomSessionOptions,
} from './room-session.js';
export { PeerSession } from './peer-session.js';
export { LobbyIce } from './lobby-ice.js';
export { verificationCode, fingerprintsOf, codeForFingerprints } from './verification.js';
export { Negotiator } from './negotiator.js';
export { SocketTransport, type ParleySocket } from './socket-transport.js';
export type { SignalingTransport } from './transport.js';
export { ChatHistory, chatLineKey, type ChatLine } from './chat.js';
export type { PeerPhase, PeerPhaseKind } from './phase.js';
export type { PeerProblem } from './problem.js';
export {
  checkConnectivity,
  type ConnectivityResult,
  type ConnectivityVerdict,
  type RelayStatus,
} from './connectivity-check.js';
export type { LinkPath, LinkQuality, LinkStats } from './link-stats.js';
