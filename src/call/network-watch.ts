/** What the environment says about the device's network, when it changes. */
export type NetworkEventName = 'online' | 'offline' | 'link';

/**
 * The device's network as the environment reports it, injected so that the call logic needs no DOM: the
 * page adapts `navigator.onLine`, the `online`/`offline` events and the Network Information API
 * (`web/browser-network.ts`); a Node peer may pass {@link ALWAYS_ONLINE}.
 */
export interface NetworkEnvironment {
  /** Whether the device has a network at all; true where nothing can tell. */
  readonly online: boolean;
  /** The kind of link (`wifi`, `cellular`), or else its rough speed class (`4g`); undefined if unknown. */
  readonly link: string | undefined;
  /** `link` fires when the link information changes, bandwidth estimates included. Returns the unsubscribe. */
  on(event: NetworkEventName, listener: () => void): () => void;
}

/** An environment that never reports a change: a server-side peer on a fixed network. */
export const ALWAYS_ONLINE: NetworkEnvironment = Object.freeze({
  online: true,
  link: undefined,
  on: () => () => {},
});

/**
 * Calls `onChanged` when the device moved to another network: it came online, or the kind of link changed.
 * A new network (Wi-Fi to mobile data, back online) leaves the candidate pair in use dead, which ICE would
 * take seconds to find out. The link information also changes with bandwidth estimates, which are no
 * reason to restart, so only a change of link type counts (or of speed class, where the type is not told;
 * a restart is cheap and debounced). Returns the function that stops watching.
 */
export function watchNetworkChanges(network: NetworkEnvironment, onChanged: () => void): () => void {
  let link = network.link;
  const offOnline = network.on('online', onChanged);
  const offLink = network.on('link', () => {
    const now = network.link;
    if (now !== link) onChanged();
    link = now;
  });
  return () => {
    offOnline();
    offLink();
  };
}
