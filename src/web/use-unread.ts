import { useEffect, useRef, useState } from 'preact/hooks';

/** Whether the person can read the chat now: the tab is shown and the chat is open. */
const readable = (chatOpen: boolean) => chatOpen && document.visibilityState === 'visible';

/**
 * Chat lines from others that arrived while the person could not see them (the tab hidden, or the chat
 * closed, as it starts on a phone), for the Chat button and the tab title; read again as soon as both are
 * shown.
 */
export function useUnread(lines: readonly { own: boolean }[], chatOpen: boolean): number {
  const [unread, setUnread] = useState(0);
  const seen = useRef(lines.length);
  useEffect(() => {
    const fresh = lines.slice(seen.current).filter((line) => !line.own).length;
    seen.current = lines.length;
    if (fresh > 0 && !readable(chatOpen)) setUnread((count) => count + fresh);
  }, [lines, chatOpen]);
  useEffect(() => {
    const read = () => readable(chatOpen) && setUnread(0);
    read();
    document.addEventListener('visibilitychange', read);
    return () => document.removeEventListener('visibilitychange', read);
  }, [chatOpen]);
  return unread;
}
