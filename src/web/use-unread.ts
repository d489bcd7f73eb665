import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Chat lines from others that arrived while the tab was hidden, for the tab title; read again as soon as the
 * tab is shown (the chat is in view whenever the call is).
 */
export function useUnread(lines: readonly { own: boolean }[]): number {
  const [unread, setUnread] = useState(0);
  const seen = useRef(lines.length);
  useEffect(() => {
    const fresh = lines.slice(seen.current).filter((line) => !line.own).length;
    seen.current = lines.length;
    if (fresh > 0 && document.visibilityState === 'hidden') setUnread((count) => count + fresh);
  }, [lines]);
  useEffect(() => {
    const read = () => document.visibilityState === 'visible' && setUnread(0);
    document.addEventListener('visibilitychange', read);
    return () => document.removeEventListener('visibilitychange', read);
  }, []);
  return unread;
}
