/**
 * Why a connection is being repaired: ICE reported `disconnected` or `failed`, the device's network changed,
 * our side rebuilt the connection, or the other side did.
 */
export type RecoveryReason = 'disconnected' | 'failed' | 'network' | 'rebuilt' | 'remote';

/**
 * Where a connection to one remote peer stands. One tagged union, changed in one place
 * ({@link PeerSession}), instead of a handful of booleans that can contradict each other.
 */
export type PeerPhase =
  | { kind: 'new' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'recovering'; reason: RecoveryReason }
  | { kind: 'closed'; reason: 'left' | 'local' | 'failed' };

export type PeerPhaseKind = PeerPhase['kind'];
