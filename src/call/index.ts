export {
  RoomSession,
  makeCallCertificates,
  type RemotePeerView,
  type RoomSessionEvents,
  type RoomSessionOptions,
} from './room-session.js';
export { PeerSession } from './peer-session.js';
export { LobbyIce } from './lobby-ice.js';
export { Negotiator } from './negotiator.js';
export { SocketTransport, type ParleySocket } from './socket-transport.js';
export type { Answer, SignalingConnection, SignalingStatus, SignalingTransport } from './transport.js';
export {
  CallError,
  LOCAL_ERROR_CODES,
  isLocalErrorCode,
  type CallErrorCode,
  type CallFailure,
  type LocalErrorCode,
} from './errors.js';
export { ChatHistory, chatLineKey, type ChatLine } from './chat.js';
export type { PeerPhase, PeerPhaseKind } from './phase.js';
export type { PeerProblem } from './problem.js';
// Types only: the check's code is loaded on demand by the page (`import('./connectivity-run.js')`), and a
// value re-exported here would put it back in the page's first script.
export type { ConnectivityResult, ConnectivityVerdict, RelayStatus } from './connectivity-check.js';
export type { LinkPath, LinkQuality, LinkStats } from './link-stats.js';
export type { MediaSample, VideoFlow } from './media-stats.js';
export type { LocalView, MachineLoad } from './quality/quality-controller.js';
export { DEFAULT_UPLOAD_BUDGET_BPS, SAVER_UPLOAD_BPS } from './quality/quality-controller.js';
export {
  CallClient,
  type CallClientEvents,
  type CallClientOptions,
  type CallClientState,
} from './call-client.js';
export type { ConnectivityRunOptions, ConnectivityState } from './connectivity-run.js';
export {
  ALWAYS_ONLINE,
  watchNetworkChanges,
  type NetworkEnvironment,
  type NetworkEventName,
} from './network-watch.js';
export { RESUME_RETRY_MS, followSignaling } from './reconnect-policy.js';
// Types only: the transfers' code is loaded at the first file (see `RoomSession.files`).
export type { FileSink, TransferOutcome, TransferStage, TransferView } from './files/file-transfers.js';
export { REACTIONS, type Reaction } from './reactions.js';
export type { EarlierChatLine } from './chat-history-share.js';
export { readLinkStats } from './link-stats.js';
