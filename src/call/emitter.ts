/**
 * A small typed event emitter. A listener that throws is reported and skipped, so one faulty subscriber
 * (a UI component, a test) can never leave a call half-updated (mediasoup's `safeEmit` does the same).
 */
export type EventMap = Record<string, unknown>;
type Listener<T> = (payload: T) => void;

export class Emitter<Events extends EventMap> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown) => void = (error) => console.error(error)) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  protected emit<E extends keyof Events>(event: E, payload: Events[E]): void {
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
