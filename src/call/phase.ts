/**
 * Where a connection to one remote peer stands. One tagged union, changed in one place
 * ({@link PeerSession}), instead of a handful of booleans that can contradict each other.
 */
export type PeerPhase =
  | { kind: 'new' }
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'recovering'; reason: 'disconnected' | 'failed' }
  | { kind: 'closed'; reason: 'left' | 'local' | 'failed' };

export type PeerPhaseKind = PeerPhase['kind'];
