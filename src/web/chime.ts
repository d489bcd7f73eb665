/**
 * The soft sound played when someone joins or leaves: two short sine tones, rising for a join and falling
 * for a leave, made with Web Audio so that no sound file is downloaded. People who find it distracting turn
 * it off in Settings; the choice is kept in the browser.
 */
const SOUNDS_KEY = 'parley:sounds';

export function soundsEnabled(): boolean {
  try {
    return localStorage.getItem(SOUNDS_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSoundsEnabled(on: boolean): void {
  try {
    localStorage.setItem(SOUNDS_KEY, on ? 'on' : 'off');
  } catch {
    // Private browsing may forbid storage: the choice then lasts as long as the page.
  }
}

let context: AudioContext | undefined;

export function playChime(direction: 'joined' | 'left'): void {
  if (!soundsEnabled() || typeof AudioContext !== 'function') return;
  context ??= new AudioContext();
  const start = context.currentTime;
  const notes = direction === 'joined' ? [660, 880] : [880, 660];
  notes.forEach((frequency, i) => {
    if (!context) return;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    const at = start + i * 0.12;
    // Quiet, and faded in and out so that it does not click.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.06, at + 0.02);
    gain.gain.linearRampToValueAtTime(0, at + 0.11);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.12);
  });
}
