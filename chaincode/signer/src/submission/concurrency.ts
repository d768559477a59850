/** What sizes the signer's in-flight cap: the peer's gateway limit and how long a command takes. */
export interface ConcurrencySizing {
  /** The peer's `peer.limits.concurrency.gatewayService` (Fabric's default 500). */
  gatewayLimit: number;
  /** The ordering service's batch timeout: most of a command's time under light and moderate load. */
  batchTimeoutMs: number;
  /** Signer processes sharing the peer. */
  replicas: number;
}

/** Committed transactions per second one signer is sized for (issue 17's target on a 2-core machine). */
export const TARGET_TX_PER_SECOND = 400;
/** Endorse + submit + commit notification on real Fabric without the batch wait, measured (docs/benchmarks.md). */
export const SERVICE_MS = 300;

/**
 * The number of commands a signer keeps in flight, by Little's law: enough to commit
 * TARGET_TX_PER_SECOND when each takes a batch timeout plus SERVICE_MS, never fewer than 64, and never
 * more than the replica's share of 80 % of the peer's gateway limit (each command holds at most one
 * gateway call at a time — endorse, then submit; outcomes come from the block stream — and the rest
 * is left to readers).
 */
export function signerConcurrency({ gatewayLimit, batchTimeoutMs, replicas }: ConcurrencySizing): number {
  const wanted = Math.ceil((TARGET_TX_PER_SECOND * (batchTimeoutMs + SERVICE_MS)) / 1000);
  const ceiling = Math.max(1, Math.floor((gatewayLimit * 0.8) / Math.max(1, replicas)));
  return Math.min(ceiling, Math.max(64, wanted));
}
