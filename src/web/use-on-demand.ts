import { useEffect, useState } from 'preact/hooks';

/**
 * A module loaded the first time it is `wanted`, for UI that is rarely opened (dialogs): it stays out of the
 * page's first download, which has a weight budget. Undefined until it has arrived; once loaded it is kept.
 * Should the load fail (the server gone), nothing opens and the next wish tries again.
 */
export function useOnDemand<T>(load: () => Promise<T>, wanted: boolean): T | undefined {
  const [loaded, setLoaded] = useState<{ module: T }>();
  useEffect(() => {
    if (!wanted || loaded) return;
    let current = true;
    load().then(
      (module) => current && setLoaded({ module }),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [wanted, loaded, load]);
  return loaded?.module;
}
