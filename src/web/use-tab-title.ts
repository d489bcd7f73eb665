import { useLayoutEffect } from 'preact/hooks';

/**
 * Shows `title` in the tab. Each screen (lobby, call) says its own, so no one has to give a title back; set
 * in the same commit as the screen's text, so that a change of language changes both at once.
 */
export function useTabTitle(title: string): void {
  useLayoutEffect(() => void (document.title = title), [title]);
}
