import { useEffect } from 'preact/hooks';

/** Shows `title` in the tab while the component is up, and gives back the one before it afterwards. */
export function useTabTitle(title: string): void {
  useEffect(() => {
    const before = document.title;
    return () => void (document.title = before);
  }, []);
  useEffect(() => void (document.title = title), [title]);
}
