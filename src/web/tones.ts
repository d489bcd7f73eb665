/** One audio context for the page's own short sounds (chimes, the Test call's test sound), made at first use. */
let context: AudioContext | undefined;

/**
 * Plays `frequencies` (Hz) one after another, `step` seconds each, at `volume` (0 to 1), each faded in and
 * out so that it does not click. Nothing where the browser has no Web Audio.
 */
export function playTones(frequencies: readonly number[], step: number, volume: number): void {
  if (typeof AudioContext !== 'function') return;
  context ??= new AudioContext();
  const sound = context;
  // A context made before any click starts suspended; after one, this lets it run.
  void sound.resume().catch(() => {});
  const start = sound.currentTime;
  frequencies.forEach((frequency, i) => {
    const oscillator = sound.createOscillator();
    const gain = sound.createGain();
    oscillator.frequency.value = frequency;
    const at = start + i * step;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(volume, at + 0.02);
    gain.gain.linearRampToValueAtTime(0, at + step - 0.01);
    oscillator.connect(gain).connect(sound.destination);
    oscillator.start(at);
    oscillator.stop(at + step);
  });
}
