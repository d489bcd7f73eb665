import type { NetworkEnvironment, NetworkEventName } from '../call/index.js';

/** The Network Information API (Chromium, not in TypeScript's DOM types): `change` when the link changes. */
interface NetworkInformation extends EventTarget {
  readonly type?: string;
  readonly effectiveType?: string;
}

/** The browser's network, as the call logic takes it: `navigator.onLine`, its events, `navigator.connection`. */
export function browserNetwork(): NetworkEnvironment {
  const connection = (navigator as { connection?: NetworkInformation }).connection;
  return {
    get online() {
      return navigator.onLine;
    },
    get link() {
      // The kind of link, where the browser says (`wifi`, `cellular`: Android), else its rough speed class.
      return connection?.type ?? connection?.effectiveType;
    },
    on(event: NetworkEventName, listener: () => void) {
      const target: EventTarget | undefined = event === 'link' ? connection : window;
      const name = event === 'link' ? 'change' : event;
      target?.addEventListener(name, listener);
      return () => target?.removeEventListener(name, listener);
    },
  };
}
