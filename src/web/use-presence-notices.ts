import { useEffect, useRef } from 'preact/hooks';
import { playChime } from './chime.js';
import type { Notice } from './use-notices.js';

interface Person {
  id: string;
  name: string;
}

/**
 * Says "<name> joined" and "<name> left" as people come and go, with a soft sound. The people already in the
 * room when we arrive are not announced: we joined them, they did not join us.
 */
export function usePresenceNotices(
  people: readonly Person[],
  label: (id: string, name: string) => string,
  announce: (text: Notice['text']) => void,
): void {
  const known = useRef<Map<string, string> | undefined>(undefined);
  useEffect(() => {
    const now = new Map(people.map(({ id, name }) => [id, label(id, name)]));
    const before = known.current;
    known.current = now;
    if (!before) return;
    let change: 'joined' | 'left' | undefined;
    for (const [id, name] of now) {
      if (before.has(id)) continue;
      announce((t) => t('notice.joined', { name }));
      change = 'joined';
    }
    for (const [id, name] of before) {
      if (now.has(id)) continue;
      announce((t) => t('notice.left', { name }));
      change ??= 'left';
    }
    if (change) playChime(change);
  }, [people, label, announce]);
}
