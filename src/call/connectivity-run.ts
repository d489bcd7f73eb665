import { type ConnectivityResult, checkConnectivity } from './connectivity-check.js';
import { Emitter } from './emitter.js';
import { CallError } from './errors.js';
import type { NetworkEnvironment } from './network-watch.js';
import type { SignalingConnection } from './transport.js';

/** Where the pre-join connectivity check stands. */
export type ConnectivityState =
  | { kind: 'checking' }
  /** The device says it has no network (`navigator.onLine` is false). */
  | { kind: 'offline' }
  /** The Parley server did not answer, so no ICE servers to check with (and no call to join). */
  | { kind: 'no-server' }
  /** The server answered, but this address asked for ICE servers too often; nothing was checked. */
  | { kind: 'limited'; error: CallError }
  | { kind: 'done'; result: ConnectivityResult };

export type ConnectivityRunEvents = { state: ConnectivityState };

export interface ConnectivityRunOptions {
  signaling: SignalingConnection;
  network: NetworkEnvironment;
  RTCPeerConnection: typeof RTCPeerConnection;
  /** Default {@link checkConnectivity}; tests pass their own. */
  check?: typeof checkConnectivity;
}

/**
 * Runs the connectivity check until stopped: at once, again whenever the device goes online or offline,
 * and again when the server can be reached after it could not. Only the latest run reports; an earlier one
 * still gathering is aborted. It never holds up joining.
 */
export class ConnectivityRun extends Emitter<ConnectivityRunEvents> {
  readonly #options: ConnectivityRunOptions;
  #state: ConnectivityState = { kind: 'checking' };
  #controller: AbortController | undefined;
  #serverMissing = false;
  readonly #unsubscribe: (() => void)[] = [];
  #stopped = false;

  constructor(options: ConnectivityRunOptions) {
    super();
    this.#options = options;
  }

  get state(): ConnectivityState {
    return this.#state;
  }

  /** Checks now, and again on every change that could alter the answer. */
  start(): void {
    if (this.#stopped || this.#unsubscribe.length > 0) return;
    const { network, signaling } = this.#options;
    const rerun = () => void this.#run();
    this.#unsubscribe.push(
      network.on('online', rerun),
      network.on('offline', rerun),
      signaling.onStatus((status) => {
        // socket.io keeps retrying in the background; say so at the first failure rather than after the
        // request's own timeout, and check again as soon as it gets through.
        if (status === 'unreachable') this.#unreachable();
        else if (status === 'connected' && this.#serverMissing) rerun();
      }),
    );
    rerun();
  }

  /** Aborts the check under way and stops listening. Safe to call more than once. */
  stop(): void {
    this.#stopped = true;
    this.#controller?.abort();
    for (const off of this.#unsubscribe.splice(0)) off();
    this.removeAllListeners();
  }

  async #run(): Promise<void> {
    this.#controller?.abort();
    const current = new AbortController();
    this.#controller = current;
    const { network, signaling } = this.#options;
    if (!network.online) return this.#setState({ kind: 'offline' });
    this.#setState({ kind: 'checking' });
    // Fresh TURN credentials, exactly as a join would hand them out.
    const ice = await signaling.request('ice', {});
    if (current.signal.aborted) return;
    if (!ice.ok && ice.error.code === 'RATE_LIMITED') {
      return this.#setState({ kind: 'limited', error: CallError.of(ice.error) });
    }
    if (!ice.ok) {
      this.#serverMissing = true;
      return this.#setState({ kind: 'no-server' });
    }
    this.#serverMissing = false;
    const check = this.#options.check ?? checkConnectivity;
    const result = await check({
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
      RTCPeerConnection: this.#options.RTCPeerConnection,
      signal: current.signal,
    });
    if (result && !current.signal.aborted) this.#setState({ kind: 'done', result });
  }

  #unreachable(): void {
    if (this.#options.signaling.connected || !this.#options.network.online) return;
    this.#controller?.abort();
    this.#serverMissing = true;
    this.#setState({ kind: 'no-server' });
  }

  #setState(state: ConnectivityState): void {
    if (this.#stopped) return;
    this.#state = state;
    this.emit('state', state);
  }
}
