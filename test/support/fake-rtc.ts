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

  getConfiguration(): RTCConfiguration {
    return this.configuration;
  }
  setConfiguration(configuration: RTCConfiguration): void {
    this.configuration = configuration;
  }
  addTrack(track: MediaStreamTrack): void {
    this.transceivers.push({ receiver: { track: { kind: track.kind } } });
    this.#negotiationNeeded();
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
      this.localDescription = { type: 'answer', sdp: `answer ${(sdpCounter += 1)}` };
      this.signalingState = 'stable';
    } else {
      this.localDescription = { type: 'offer', sdp: `offer ${(sdpCounter += 1)}` };
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
