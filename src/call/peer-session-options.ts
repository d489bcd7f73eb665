import type { IceServer, PeerInfo, Signal } from '../protocol/index.js';
import type { RepairTimings } from './repair-scheduler.js';

export interface IceConfiguration {
  iceServers: IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
}

export interface PeerSessionOptions {
  remote: PeerInfo;
  polite: boolean;
  /**
   * `offerer`: attach local media now, so the first offer goes out at once (the newcomer does this).
   * `answerer`: wait for the remote offer and attach media to its transceivers, so that no second offer
   * (and no glare) is needed (existing members do this).
   */
  role: 'offerer' | 'answerer';
  localStream: MediaStream | null;
  iceServers: IceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
  RTCPeerConnection: typeof RTCPeerConnection;
  /**
   * The DTLS certificate of every connection to this peer, rebuilt ones included. A rebuild then keeps our
   * fingerprint, so the pair's verification code stays what the two people compared. Default: each
   * connection makes its own.
   */
  certificates?: RTCCertificate[] | undefined;
  /**
   * Sends a signal to the peer through the server. May resolve to `false` when the server could not deliver
   * it (the peer is not there now): an offer lost that way is made again when the peer is back.
   */
  sendSignal: (signal: Signal) => void | Promise<boolean>;
  /**
   * Fresh ICE servers (TURN credentials expire) for a repair; undefined when they cannot be had now, and the
   * ones in use are kept.
   */
  fetchIce?: () => Promise<IceConfiguration | undefined>;
  /**
   * Whether signals can reach the other side now. While they cannot (the signaling server is away), no
   * repair is started: it could not be negotiated, and the connection may still heal by itself.
   */
  canSignal?: () => boolean;
  /** Default `CONNECT_TIMEOUT_MS` (peer-session.ts). */
  connectTimeoutMs?: number;
  repairTimings?: Partial<RepairTimings>;
}
