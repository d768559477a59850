/** How often and how long to wait between attempts. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

// Ten attempts: with full jitter, even ten writers racing for one key all land (each round commits at least one).
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 1_000 };

/**
 * Resending a call the peer refused for being over its concurrency limit: it did nothing with it, so
 * the same call goes again after a jittered pause, for up to about ten seconds in all.
 */
export const backPressureRetryPolicy: RetryPolicy = { maxAttempts: 20, baseDelayMs: 10, maxDelayMs: 1_000 };

/**
 * "Full jitter" backoff: a uniform delay in [0, min(max, base·2^(attempt-1))]. Spreading the retries
 * of transactions that conflicted on the same key keeps them from colliding again in the next block.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
