/**
 * A small typed event emitter. A listener that throws is reported and skipped, so one faulty subscriber
 * (a UI component, a test) can never leave a call half-updated (mediasoup's `safeEmit` does the same).
 *
 * An event map is a `type` alias naming each event and its payload, with no index signature (as
 * mediasoup's `EnhancedEventEmitter<Events>` takes them): `on('peer', …)` for a map that has `peers` does
 * not compile.
 */
export type EventMap = Record<string, unknown>;
type Listener<T> = (payload: T) => void;

/** The event names of a map: its own keys, never any string. */
export type EventName<Events extends EventMap> = keyof Events & string;

export class Emitter<Events extends EventMap> {
  readonly #listeners = new Map<EventName<Events>, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown) => void = (error) => console.error(error)) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends EventName<Events>>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  protected emit<E extends EventName<Events>>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[E]>)(payload);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}
