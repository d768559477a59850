/**
 * Batches `load(id)` calls made in the same tick into one `fetch(ids)` and caches results for the
 * request, so a page of 50 entries loads its submitters in one query. One per request (never shared).
 */
export class BatchLoader<T> {
  readonly #cache = new Map<string, Promise<T | null>>();
  #queue: { id: string; resolve: (v: T | null) => void; reject: (e: unknown) => void }[] = [];

  constructor(
    private readonly fetch: (ids: string[]) => Promise<T[]>,
    private readonly keyOf: (row: T) => string,
  ) {}

  load(id: string): Promise<T | null> {
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const promise = new Promise<T | null>((resolve, reject) => {
      if (this.#queue.length === 0) queueMicrotask(() => void this.#flush());
      this.#queue.push({ id, resolve, reject });
    });
    this.#cache.set(id, promise);
    return promise;
  }

  async #flush(): Promise<void> {
    const batch = this.#queue;
    this.#queue = [];
    try {
      const rows = await this.fetch([...new Set(batch.map((b) => b.id))]);
      const byId = new Map(rows.map((row) => [this.keyOf(row), row]));
      for (const item of batch) item.resolve(byId.get(item.id) ?? null);
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  }
}
