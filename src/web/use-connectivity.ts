import { useEffect, useState } from 'preact/hooks';
import {
  type ConnectivityResult,
  type ParleySocket,
  SocketTransport,
  checkConnectivity,
} from '../call/index.js';

/** Where the pre-join connectivity check stands. */
export type ConnectivityState =
  | { kind: 'checking' }
  /** The browser says it has no network (`navigator.onLine` is false). */
  | { kind: 'offline' }
  /** The Parley server did not answer, so no ICE servers to check with (and no call to join). */
  | { kind: 'no-server' }
  /** The server answered, but this address asked for ICE servers too often; nothing was checked. */
  | { kind: 'limited'; message: string }
  | { kind: 'done'; result: ConnectivityResult };

/**
 * Runs the connectivity check while `active` (the lobby is shown): at once, again whenever the browser
 * goes online or offline, and again when the server can be reached after it could not. Only the latest run
 * reports; an earlier one still gathering is aborted. It never holds up joining.
 */
export function useConnectivity(socket: ParleySocket, active: boolean): ConnectivityState {
  const [state, setState] = useState<ConnectivityState>({ kind: 'checking' });

  useEffect(() => {
    if (!active) return;
    const transport = new SocketTransport(socket);
    let controller: AbortController | undefined;
    let serverMissing = false;

    const run = async () => {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      if (!navigator.onLine) return setState({ kind: 'offline' });
      setState({ kind: 'checking' });
      // Fresh TURN credentials, exactly as a join would hand them out.
      const ice = await transport.request('ice', {});
      if (current.signal.aborted) return;
      if (!ice.ok && ice.error.code === 'RATE_LIMITED') {
        return setState({ kind: 'limited', message: ice.error.message });
      }
      if (!ice.ok) {
        serverMissing = true;
        return setState({ kind: 'no-server' });
      }
      serverMissing = false;
      const result = await checkConnectivity({
        iceServers: ice.iceServers,
        iceTransportPolicy: ice.iceTransportPolicy,
        RTCPeerConnection,
        signal: current.signal,
      });
      if (result && !current.signal.aborted) setState({ kind: 'done', result });
    };
    const rerun = () => void run();
    // socket.io keeps retrying in the background; say so at the first failure rather than after the
    // request's own timeout, and check again as soon as it gets through.
    const unreachable = () => {
      if (socket.connected || !navigator.onLine) return;
      controller?.abort();
      serverMissing = true;
      setState({ kind: 'no-server' });
    };
    const reconnected = () => {
      if (serverMissing) rerun();
    };

    rerun();
    window.addEventListener('online', rerun);
    window.addEventListener('offline', rerun);
    socket.on('connect_error', unreachable);
    socket.on('connect', reconnected);
    return () => {
      controller?.abort();
      window.removeEventListener('online', rerun);
      window.removeEventListener('offline', rerun);
      socket.off('connect_error', unreachable);
      socket.off('connect', reconnected);
    };
  }, [socket, active]);

  return state;
}
