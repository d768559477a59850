/**
 * Cuts submitted transactions into batches like Fabric's orderer: a batch closes when it holds
 * `maxMessageCount` transactions or `batchTimeoutMs` after its first transaction arrived, whichever
 * comes first. Batches are handed to `onBatch` strictly in order, one at a time; while one is being
 * committed the next keeps filling, so a slow disk yields bigger blocks rather than a queue of small ones.
 */
export class BlockCutter<T> {
  readonly #maxMessageCount: number;
  readonly #batchTimeoutMs: number;
  readonly #onBatch: (batch: T[]) => Promise<void>;
  #pending: T[] = [];
  #timer: NodeJS.Timeout | undefined;
  #inflight: Promise<void> = Promise.resolve();

  /**
   * @param options.onBatch commits one batch; if it throws, the error is passed to `onError` and later
   *   batches still run.
   */
  constructor(options: {
    maxMessageCount: number;
    batchTimeoutMs: number;
    onBatch: (batch: T[]) => Promise<void>;
    onError: (error: unknown) => void;
  }) {
    this.#maxMessageCount = options.maxMessageCount;
    this.#batchTimeoutMs = options.batchTimeoutMs;
    this.#onBatch = async (batch) => {
      try {
        await options.onBatch(batch);
      } catch (error) {
        options.onError(error);
      }
    };
  }

  /** Number of transactions waiting for the current batch to close. */
  get pending(): number {
    return this.#pending.length;
  }

  add(item: T): void {
    this.#pending.push(item);
    if (this.#pending.length >= this.#maxMessageCount) this.cut();
    else this.#timer ??= setTimeout(() => this.cut(), this.#batchTimeoutMs);
  }

  /** Closes the current batch now (if it has anything). */
  cut(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#inflight = this.#inflight.then(() => this.#onBatch(batch));
  }

  /** Cuts what is pending and waits until every batch has been committed. */
  async flush(): Promise<void> {
    this.cut();
    await this.#inflight;
  }
}
