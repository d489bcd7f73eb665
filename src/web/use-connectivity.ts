import { useEffect, useState } from 'preact/hooks';
import { ConnectivityRun, type ConnectivityState, type SignalingConnection } from '../call/index.js';
import { browserNetwork } from './browser-network.js';

export type { ConnectivityState };

/**
 * The connectivity check's state while `active` (the lobby is shown): a {@link ConnectivityRun} adapted
 * to Preact state. It never holds up joining.
 */
export function useConnectivity(signaling: SignalingConnection, active: boolean): ConnectivityState {
  const [state, setState] = useState<ConnectivityState>({ kind: 'checking' });

  useEffect(() => {
    if (!active) return;
    const run = new ConnectivityRun({ signaling, network: browserNetwork(), RTCPeerConnection });
    run.on('state', setState);
    run.start();
    return () => run.stop();
  }, [signaling, active]);

  return state;
}
