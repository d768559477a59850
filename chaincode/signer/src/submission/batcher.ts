/**
 * Gathers calls made within `maxDelayMs` (or until `maxItems`) into one `run`, so 200 commands in
 * flight cost a handful of SQL statements and fsyncs instead of 200. Each caller gets its own result;
 * when `run` throws, every caller of that batch gets the error.
 */
export function createBatcher<T, R>(
  run: (items: T[]) => Promise<R[]>,
  options: { maxItems?: number; maxDelayMs?: number } = {},
): (item: T) => Promise<R> {
  const maxItems = options.maxItems ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 1;
  let pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    run(batch.map((p) => p.item)).then(
      (results) => {
        for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= maxItems) flush();
      else timer ??= setTimeout(flush, maxDelayMs);
    });
}
