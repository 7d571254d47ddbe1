/** Listeners of one event, which a throwing listener cannot break: the emitter's own bookkeeping goes on. */
export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();

  /** Adds a listener; returns its disposer. */
  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }

  /** Calls every listener with `value` (over a copy, so a listener may dispose itself); one that throws is skipped. */
  emit(value: T): void {
    for (const listener of [...this.#set]) {
      try {
        listener(value);
      } catch {
        // A listener's bug is its own.
      }
    }
  }

  clear(): void {
    this.#set.clear();
  }
}
