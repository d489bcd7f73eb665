import type { RoomSession } from './room-session.js';
import type { SignalingConnection } from './transport.js';

/** A resume that failed for want of an answer is tried again after this long, while the socket is up. */
export const RESUME_RETRY_MS = 2_000;

export interface ReconnectPolicyOptions {
  signaling: SignalingConnection;
  /** The call in progress, if any; asked afresh at each event, since calls come and go. */
  current: () => RoomSession | null;
  /** Whether the server can be reached, each time that changes. */
  onReachable?: (reachable: boolean) => void;
  /** Default {@link RESUME_RETRY_MS}. */
  retryMs?: number;
}

/**
 * Keeps a call's place on the server across signaling drops. The call itself goes on peer to peer: a drop
 * only pauses repairs ({@link RoomSession.signalingLost}); once the connection is back, the call takes its
 * place back under the same peer id ({@link RoomSession.resume}), retrying a resume that got no answer while
 * the connection stays up and the call is the same. Returns the function that stops.
 */
export function followSignaling(options: ReconnectPolicyOptions): () => void {
  const { signaling, current } = options;
  const retryMs = options.retryMs ?? RESUME_RETRY_MS;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const resume = async () => {
    const session = current();
    if (!session) return;
    const outcome = await session.resume();
    if (outcome === 'failed' && !stopped && signaling.connected && current() === session) {
      retry = setTimeout(() => void resume(), retryMs);
    }
  };
  const off = signaling.onStatus((status) => {
    switch (status) {
      case 'connected':
        options.onReachable?.(true);
        void resume();
        return;
      case 'disconnected':
        options.onReachable?.(false);
        clearTimeout(retry);
        current()?.signalingLost();
        return;
      case 'unreachable':
        return;
      default:
        status satisfies never;
    }
  });
  return () => {
    stopped = true;
    clearTimeout(retry);
    off();
  };
}
