/** The rejection of a wait whose signal aborted. */
export function abortError(): Error {
  return Object.assign(new Error("aborted"), { name: "AbortError" });
}

/**
 * Callers waiting for something identified by a key (a transaction id, a ledger height): `wait`
 * returns a promise that `resolve(key, value)` settles, or that rejects with an AbortError when the
 * caller's signal aborts first (its entry is then removed, so abandoned waits do not accumulate).
 */
export class KeyedWaiters<K, V> {
  readonly #waiting = new Map<K, Set<(value: V) => void>>();

  wait(key: K, signal: AbortSignal): Promise<V> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(abortError());
      const waiters = this.#waiting.get(key) ?? new Set();
      this.#waiting.set(key, waiters);
      const onAbort = () => {
        waiters.delete(done);
        if (waiters.size === 0) this.#waiting.delete(key);
        reject(abortError());
      };
      const done = (value: V) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      };
      waiters.add(done);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  resolve(key: K, value: V): void {
    const waiters = this.#waiting.get(key);
    if (!waiters) return;
    this.#waiting.delete(key);
    for (const done of waiters) done(value);
  }
}
