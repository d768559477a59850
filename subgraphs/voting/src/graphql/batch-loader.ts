/**
 * Collects the keys asked for in one tick and loads them with one query: federation resolves a
 * page of entities (50 ledger entries' ballots) as 50 calls in the same tick. One per request.
 */
export class BatchLoader<V> {
  readonly #load: (keys: string[]) => Promise<Map<string, V>>;
  readonly #cache = new Map<string, Promise<V | null>>();
  #queue: { key: string; resolve: (value: V | null) => void; reject: (error: unknown) => void }[] = [];

  constructor(load: (keys: string[]) => Promise<Map<string, V>>) {
    this.#load = load;
  }

  load(key: string): Promise<V | null> {
    const cached = this.#cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V | null>((resolve, reject) => {
      if (this.#queue.length === 0) queueMicrotask(() => void this.#flush());
      this.#queue.push({ key, resolve, reject });
    });
    this.#cache.set(key, promise);
    return promise;
  }

  async #flush(): Promise<void> {
    const batch = this.#queue;
    this.#queue = [];
    try {
      const found = await this.#load([...new Set(batch.map((b) => b.key))]);
      for (const item of batch) item.resolve(found.get(item.key) ?? null);
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
