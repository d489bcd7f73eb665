import { useEffect, useRef } from 'preact/hooks';
import { shortcutOf, type ShortcutAction } from './shortcuts.js';

/** Runs the handler of each shortcut pressed anywhere on the page (see {@link shortcutOf}). */
export function useShortcuts(handlers: Partial<Record<ShortcutAction, () => void>>): void {
  // The latest handlers, without adding and removing the listener on every render.
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A key inside an open dialog belongs to it (a list of devices, the list of shortcuts itself).
      if (event.target instanceof Element && event.target.closest('dialog[open]')) return;
      const action = shortcutOf(event);
      const handler = action && current.current[action];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
