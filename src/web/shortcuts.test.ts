import { describe, expect, it } from 'vitest';
import { type KeyPress, shortcutOf } from './shortcuts.js';

/** A stand-in for a DOM element: what `isTyping` asks of one. */
function element(matches: boolean, editable = false): EventTarget {
  return { closest: () => (matches ? {} : null), isContentEditable: editable } as unknown as EventTarget;
}

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  isComposing: false,
  repeat: false,
  target: element(false),
  ...extra,
});

describe('shortcutOf', () => {
  it('maps M, V, S and ? to their actions, in either case', () => {
    expect(shortcutOf(press('m'))).toBe('microphone');
    expect(shortcutOf(press('M'))).toBe('microphone');
    expect(shortcutOf(press('v'))).toBe('camera');
    expect(shortcutOf(press('s'))).toBe('screen');
    expect(shortcutOf(press('?'))).toBe('help');
    expect(shortcutOf(press('x'))).toBeUndefined();
    expect(shortcutOf(press('Enter'))).toBeUndefined();
  });

  it('leaves keys alone while the person types, composes or uses a modifier', () => {
    expect(shortcutOf(press('m', { target: element(true) }))).toBeUndefined();
    expect(shortcutOf(press('m', { target: element(false, true) }))).toBeUndefined();
    expect(shortcutOf(press('v', { ctrlKey: true }))).toBeUndefined();
    expect(shortcutOf(press('v', { metaKey: true }))).toBeUndefined();
    expect(shortcutOf(press('s', { altKey: true }))).toBeUndefined();
    expect(shortcutOf(press('m', { isComposing: true }))).toBeUndefined();
    expect(shortcutOf(press('m', { repeat: true }))).toBeUndefined();
  });

  it('takes a key pressed on the page itself (no element)', () => {
    expect(shortcutOf(press('m', { target: null }))).toBe('microphone');
  });
});
