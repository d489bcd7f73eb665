import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from './i18n/index.js';

/** How long a notice stays: long enough to read a name, short enough not to pile up. */
export const NOTICE_MS = 5_000;

/** Something said in passing, worded when drawn so that it follows a change of language. */
export interface Notice {
  id: number;
  text: (t: Translate) => string;
}

/** Notices that go by themselves after {@link NOTICE_MS}, newest last. */
export function useNotices(): { notices: readonly Notice[]; announce: (text: Notice['text']) => void } {
  const [notices, setNotices] = useState<readonly Notice[]>([]);
  const next = useRef(0);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const announce = useCallback((text: Notice['text']) => {
    const id = next.current++;
    setNotices((shown) => [...shown, { id, text }]);
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setNotices((shown) => shown.filter((notice) => notice.id !== id));
    }, NOTICE_MS);
    timers.current.add(timer);
  }, []);
  return { notices, announce };
}
