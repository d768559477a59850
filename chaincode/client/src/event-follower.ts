import type { ChaincodeEvent, Checkpointer, CloseableAsyncIterable } from "@hyperledger/fabric-gateway";
import type { common } from "@hyperledger/fabric-protos";
import type { ChainClient } from "./chain-client.types.js";
import { sleep } from "./retry.js";

export interface FollowOptions<T> {
  /** Where to resume from; its state wins over `startBlock`. */
  checkpointer: Checkpointer;
  /** Used only while the checkpointer is empty; without it the stream starts at the next block. */
  startBlock?: bigint;
  /**
   * Handles one item. Throwing stops the stream; it restarts from the checkpoint after `retryDelayMs`,
   * so the same item comes again (handlers must be idempotent or checkpoint in their own transaction).
   */
  handle(item: T): Promise<void>;
  /**
   * Runs before each (re)connection, e.g. a `ChainGuard`'s `verify`: throwing counts as a failure, so
   * the stream is not opened and the check runs again after `retryDelayMs`.
   */
  beforeOpen?(): Promise<void>;
  /** Told about every stream or handler failure before the restart; must not throw. */
  onError?(error: unknown): void;
  /** Pause before reconnecting after a failure. Default 500 ms. */
  retryDelayMs?: number;
}

/** A running follower. `dispose()` stops it and resolves once the current item is done. */
export interface Follower {
  readonly done: Promise<void>;
  dispose(): Promise<void>;
}

function follow<T>(
  open: () => Promise<CloseableAsyncIterable<T>>,
  checkpoint: (item: T) => Promise<void>,
  options: FollowOptions<T>,
): Follower {
  const stop = new AbortController();
  let current: CloseableAsyncIterable<T> | undefined;
  const run = async () => {
    while (!stop.signal.aborted) {
      try {
        await options.beforeOpen?.();
        if (stop.signal.aborted) break;
        current = await open();
        for await (const item of current) {
          if (stop.signal.aborted) break;
          await options.handle(item);
          await checkpoint(item);
        }
      } catch (error) {
        if (stop.signal.aborted) break;
        options.onError?.(error);
      } finally {
        current?.close();
        current = undefined;
      }
      await sleep(options.retryDelayMs ?? 500, stop.signal);
    }
  };
  const done = run();
  return {
    done,
    async dispose() {
      stop.abort();
      current?.close();
      await done;
    },
  };
}

/**
 * Follows the chaincode's events from the checkpoint, reconnecting after failures, and checkpoints
 * each event after `handle` returns: a restarted indexer resumes exactly after the last event it finished.
 */
export function followChaincodeEvents(chain: ChainClient, options: FollowOptions<ChaincodeEvent>): Follower {
  const { checkpointer, startBlock } = options;
  return follow(
    () => chain.chaincodeEvents({ checkpoint: checkpointer, ...(startBlock !== undefined ? { startBlock } : {}) }),
    (event) => checkpointer.checkpointChaincodeEvent(event),
    options,
  );
}

/** Follows whole blocks from the checkpoint (the explorer's feed), checkpointing each block after `handle`. */
export function followBlocks(chain: ChainClient, options: FollowOptions<common.Block>): Follower {
  const { checkpointer, startBlock } = options;
  return follow(
    () => chain.blockEvents({ checkpoint: checkpointer, ...(startBlock !== undefined ? { startBlock } : {}) }),
    (block) => checkpointer.checkpointBlock(BigInt(block.getHeader()?.getNumber() ?? 0)),
    options,
  );
}
