/**
 * Just enough of RTCPeerConnection, RTCDataChannel and MediaStream for unit tests of the call logic's
 * decisions (which connection a signal belongs to, when to restart or rebuild) in Node, where a real
 * browser would add nothing but time. Descriptions follow the JSEP signaling states; there is no media,
 * and the test sets the connection state by hand.
 */
export class FakeMediaStream {
  readonly #tracks: MediaStreamTrack[] = [];
  getTracks(): MediaStreamTrack[] {
    return [...this.#tracks];
  }
  getVideoTracks(): MediaStreamTrack[] {
    return this.#tracks.filter((track) => track.kind === 'video');
  }
  addTrack(track: MediaStreamTrack): void {
    this.#tracks.push(track);
  }
  removeTrack(track: MediaStreamTrack): void {
    const index = this.#tracks.indexOf(track);
    if (index >= 0) this.#tracks.splice(index, 1);
  }
}

export class FakeDataChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  readonly sent: string[] = [];
  send(frame: string): void {
    this.sent.push(frame);
  }
  /** As the browser does once the connection carries SCTP. */
  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }
}

interface Description {
  type: RTCSdpType;
  sdp: string;
}

let sdpCounter = 0;

/** A stand-in for an RTCCertificate: what the fake puts in the `a=fingerprint` line of its descriptions. */
export interface FakeCertificate {
  fingerprint: string;
}

/** A SHA-256-sized fingerprint (32 bytes, `AB:CD:…`) made from a seed, different for each seed. */
export function fakeFingerprint(seed: number): string {
  return Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 7) % 256).toString(16).padStart(2, '0'))
    .join(':')
    .toUpperCase();
}

let certificateCounter = 0;

export class FakePeerConnection extends EventTarget {
  /** Every connection made, in order: a rebuild shows as a new one here. */
  static readonly made: FakePeerConnection[] = [];
  configuration: RTCConfiguration;
  connectionState: RTCPeerConnectionState = 'new';
  signalingState: RTCSignalingState = 'stable';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  readonly candidates: RTCIceCandidateInit[] = [];
  readonly transceivers: { receiver: { track: { kind: string } } }[] = [];
  channel: FakeDataChannel | undefined;
  restarts = 0;
  bytes = 0;

  constructor(configuration: RTCConfiguration = {}) {
    super();
    this.configuration = configuration;
    FakePeerConnection.made.push(this);
  }

  /** Like the browser's: a new certificate (here, a new fingerprint) each time. */
  static generateCertificate(): Promise<FakeCertificate> {
    return Promise.resolve({ fingerprint: fakeFingerprint((certificateCounter += 1)) });
  }

  /** The certificate given in the configuration, or one of this connection's own, as a browser does. */
  readonly #ownFingerprint = fakeFingerprint(1000 + FakePeerConnection.made.length);
  get fingerprint(): string {
    const given = this.configuration.certificates?.[0] as FakeCertificate | undefined;
    return given?.fingerprint ?? this.#ownFingerprint;
  }

  /** Descriptions count as applied once the offer/answer exchange is complete (the stable state). */
  get currentLocalDescription(): Description | null {
    return this.signalingState === 'stable' ? this.localDescription : null;
  }
  get currentRemoteDescription(): Description | null {
    return this.signalingState === 'stable' ? this.remoteDescription : null;
  }

  getConfiguration(): RTCConfiguration {
    return this.configuration;
  }
  setConfiguration(configuration: RTCConfiguration): void {
    this.configuration = configuration;
  }
  /** What each addTrack made: the sender carries the track, and swaps it without negotiation. */
  readonly senders: {
    track: MediaStreamTrack | null;
    replaceTrack(track: MediaStreamTrack | null): Promise<void>;
  }[] = [];
  addTrack(track: MediaStreamTrack): void {
    this.transceivers.push({ receiver: { track: { kind: track.kind } } });
    const sender = {
      track: track as MediaStreamTrack | null,
      replaceTrack(next: MediaStreamTrack | null) {
        sender.track = next;
        return Promise.resolve();
      },
    };
    this.senders.push(sender);
    this.#negotiationNeeded();
  }
  getSenders() {
    return this.senders;
  }
  addTransceiver(kind: string): void {
    this.transceivers.push({ receiver: { track: { kind } } });
    this.#negotiationNeeded();
  }
  getTransceivers() {
    return this.transceivers;
  }
  createDataChannel(): FakeDataChannel {
    this.channel = new FakeDataChannel();
    this.#negotiationNeeded();
    return this.channel;
  }

  setLocalDescription(description?: { type: RTCSdpType }): Promise<void> {
    if (this.signalingState === 'closed') return Promise.reject(new Error('closed'));
    if (description?.type === 'rollback') {
      this.signalingState = 'stable';
      this.localDescription = null;
    } else if (this.signalingState === 'have-remote-offer') {
      this.localDescription = { type: 'answer', sdp: this.#sdp('answer') };
      this.signalingState = 'stable';
    } else {
      this.localDescription = { type: 'offer', sdp: this.#sdp('offer') };
      this.signalingState = 'have-local-offer';
    }
    return Promise.resolve();
  }

  setRemoteDescription(description: Description): Promise<void> {
    if (this.signalingState === 'closed') return Promise.reject(new Error('closed'));
    this.remoteDescription = description;
    // An offer in have-local-offer is an implicit rollback (the polite side of a glare).
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
    return Promise.resolve();
  }

  addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.remoteDescription) return Promise.reject(new Error('no remote description'));
    this.candidates.push(candidate);
    return Promise.resolve();
  }

  restartIce(): void {
    this.restarts += 1;
    this.#negotiationNeeded();
  }

  getStats(): Promise<Map<string, { type: string; bytesReceived: number }>> {
    return Promise.resolve(new Map([['T01', { type: 'transport', bytesReceived: this.bytes }]]));
  }

  close(): void {
    this.connectionState = 'closed';
    this.signalingState = 'closed';
  }

  /** What ICE and DTLS would report. */
  setConnectionState(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.dispatchEvent(new Event('connectionstatechange'));
  }

  #sdp(type: 'offer' | 'answer'): string {
    return `${type} ${(sdpCounter += 1)}\na=fingerprint:sha-256 ${this.fingerprint}`;
  }

  #negotiationNeeded(): void {
    // Like the browser: queued, and only fired in the stable state.
    setTimeout(() => {
      if (this.signalingState === 'stable') this.dispatchEvent(new Event('negotiationneeded'));
    }, 0);
  }
}

/** Installs FakeMediaStream as the global MediaStream (Node has none); returns the undo. */
export function installFakeMediaStream(): () => void {
  const global = globalThis as { MediaStream?: unknown };
  const previous = global.MediaStream;
  global.MediaStream = FakeMediaStream;
  return () => {
    global.MediaStream = previous;
  };
}
