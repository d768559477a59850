import type { CloseableAsyncIterable } from "@hyperledger/fabric-gateway";
import type { peer } from "@hyperledger/fabric-protos";
import { sleep } from "./retry.js";

/** How a transaction ended up in a block. */
export interface TxOutcome {
  transactionId: string;
  code: number;
  blockNumber: bigint;
}

/**
 * Learns commit outcomes from one filtered-block stream instead of one CommitStatus call per
 * transaction: that saves a signed request, a round trip and a peer-side signature check per
 * transaction. Callers register a tx id *before* sending its envelope; whenever the stream is not
 * (yet) healthy, or a transaction does not show up in time, `expect` resolves `undefined` and the
 * caller falls back to CommitStatus, so the watcher can only make things faster, never lose one.
 */
export interface CommitWatcher {
  expect(transactionId: string): { outcome: Promise<TxOutcome | undefined>; cancel(): void };
  dispose(): void;
}

export interface CommitWatcherOptions {
  /** The ledger height now: the stream starts there, so no later block can be missed. */
  height(): Promise<bigint>;
  open(startBlock: bigint): Promise<CloseableAsyncIterable<peer.FilteredBlock>>;
  /** How long to wait for a registered transaction before falling back. Default 30 s. */
  timeoutMs?: number;
  /** Pause before reopening a failed stream. Default 500 ms. */
  retryDelayMs?: number;
  onError?(error: unknown): void;
}

export function createCommitWatcher(options: CommitWatcherOptions): CommitWatcher {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const waiters = new Map<string, (outcome: TxOutcome | undefined) => void>();
  const stop = new AbortController();
  let healthy = false;
  let stream: CloseableAsyncIterable<peer.FilteredBlock> | undefined;

  const failAll = () => {
    healthy = false;
    for (const resolve of waiters.values()) resolve(undefined);
    waiters.clear();
  };

  const run = async () => {
    let next: bigint | undefined;
    while (!stop.signal.aborted) {
      try {
        next ??= await options.height();
        stream = await options.open(next);
        healthy = true;
        for await (const block of stream) {
          const number = BigInt(block.getNumber());
          for (const tx of block.getFilteredTransactionsList()) {
            const resolve = waiters.get(tx.getTxid());
            if (!resolve) continue;
            waiters.delete(tx.getTxid());
            resolve({ transactionId: tx.getTxid(), code: tx.getTxValidationCode(), blockNumber: number });
          }
          next = number + 1n;
        }
      } catch (error) {
        if (!stop.signal.aborted) options.onError?.(error);
      } finally {
        stream?.close();
        stream = undefined;
        // Whoever waited through the outage asks CommitStatus instead; the next stream resumes at `next`.
        failAll();
      }
      await sleep(options.retryDelayMs ?? 500, stop.signal);
    }
  };
  void run();

  return {
    expect(transactionId) {
      if (!healthy) return { outcome: Promise.resolve(undefined), cancel() {} };
      let timer: NodeJS.Timeout | undefined;
      const outcome = new Promise<TxOutcome | undefined>((resolve) => {
        const done = (value: TxOutcome | undefined) => {
          clearTimeout(timer);
          resolve(value);
        };
        waiters.set(transactionId, done);
        timer = setTimeout(() => {
          waiters.delete(transactionId);
          resolve(undefined);
        }, timeoutMs);
      });
      return {
        outcome,
        cancel() {
          clearTimeout(timer);
          waiters.get(transactionId)?.(undefined);
          waiters.delete(transactionId);
        },
      };
    },
    dispose() {
      stop.abort();
      stream?.close();
      failAll();
    },
  };
}
