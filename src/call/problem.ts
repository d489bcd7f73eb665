/**
 * Why a connection to one remote peer is not coming up, when we can tell. Kept beside the phase rather than
 * in it: the phase says where ICE stands (a refused relay leaves it at `new`), the problem says what the
 * person should hear about it. The UI words it.
 */
export type PeerProblem =
  /** A TURN server answered 401/403: the credentials are wrong or have expired (a secret mismatch). */
  | 'relay-refused'
  /** No connection within the connect timeout, for no reason the browser reported. */
  | 'unreachable';

/** TURN's answer to bad credentials (RFC 8656: 401 Unauthorized, 403 Forbidden). */
const REFUSALS: ReadonlySet<number> = new Set([401, 403]);

/**
 * Reads an `icecandidateerror`: only a TURN server refusing us is a problem to show. STUN timeouts (701)
 * and the like are routine while gathering on a machine with several interfaces.
 */
export function problemOfCandidateError(event: { errorCode: number; url: string }): PeerProblem | undefined {
  const turn = event.url.startsWith('turn:') || event.url.startsWith('turns:');
  return turn && REFUSALS.has(event.errorCode) ? 'relay-refused' : undefined;
}
