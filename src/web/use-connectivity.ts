import { useEffect, useState } from 'preact/hooks';
import type { ConnectivityState, SignalingConnection } from '../call/index.js';
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
    // The check's code comes after the page is drawn (it says "Checking…" meanwhile): nothing on the first
    // screen waits for it.
    let stop: (() => void) | undefined;
    let stopped = false;
    void import('../call/connectivity-run.js').then(({ ConnectivityRun }) => {
      if (stopped) return;
      const run = new ConnectivityRun({ signaling, network: browserNetwork(), RTCPeerConnection });
      run.on('state', setState);
      run.start();
      stop = () => run.stop();
    });
    return () => {
      stopped = true;
      stop?.();
    };
  }, [signaling, active]);

  return state;
}
