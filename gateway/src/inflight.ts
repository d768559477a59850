/**
 * Shares one promise among concurrent callers with the same key, and forgets it once it settles:
 * a second caller that arrives while the first is still waiting gets the first caller's result,
 * a caller that arrives afterwards runs again. Nothing is cached beyond the lifetime of the work.
 */
export class InFlight<T> {
  readonly #pending = new Map<string, Promise<T>>();
  #shared = 0;

  /** Runs `work` unless an identical key is already in flight; rejections are shared too. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.#pending.get(key);
    if (existing) {
      this.#shared++;
      return existing;
    }
    const promise = work().finally(() => this.#pending.delete(key));
    this.#pending.set(key, promise);
    return promise;
  }

  /** Whether `key` is being worked on now. */
  has(key: string): boolean {
    return this.#pending.has(key);
  }

  /** How many callers were served another caller's result so far. */
  get shared(): number {
    return this.#shared;
  }

  get size(): number {
    return this.#pending.size;
  }
}
