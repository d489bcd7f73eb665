/**
 * The call's keyboard shortcuts: single keys, as in the calls people know, and so never taken while the
 * person types (a field, a list, anything editable) or holds a modifier (Ctrl+V must still paste).
 */
export type ShortcutAction = 'microphone' | 'camera' | 'screen' | 'help';

/** The key of each action, as shown in tooltips and the list of shortcuts. */
export const SHORTCUT_KEYS = {
  microphone: 'M',
  camera: 'V',
  screen: 'S',
  help: '?',
} as const satisfies Record<ShortcutAction, string>;

const ACTION_OF_KEY = new Map<string, ShortcutAction>(
  Object.entries(SHORTCUT_KEYS).map(([action, key]) => [key.toLowerCase(), action as ShortcutAction]),
);

/** What a keydown needs to be judged; a `KeyboardEvent` is one. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Set while an input method composes a character (Chinese pinyin, say): the key belongs to it. */
  isComposing: boolean;
  repeat: boolean;
  target: EventTarget | null;
}

/** Whether keys pressed in `target` are typing: text fields, lists, buttons' own keys aside. */
export function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  return element.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

/** The action a key press asks for, or undefined when it is not a shortcut here. */
export function shortcutOf(press: KeyPress): ShortcutAction | undefined {
  if (press.ctrlKey || press.metaKey || press.altKey || press.isComposing || press.repeat) return undefined;
  if (isTyping(press.target)) return undefined;
  return ACTION_OF_KEY.get(press.key.toLowerCase());
}
