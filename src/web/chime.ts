import { playTones } from './tones.js';
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

export function playChime(direction: 'joined' | 'left'): void {
  if (!soundsEnabled()) return;
  // Quiet: a rising pair when someone joins, a falling one when someone leaves.
  playTones(direction === 'joined' ? [660, 880] : [880, 660], 0.12, 0.06);
}
