import {
  type ChainClient,
  createSqlCheckpointer,
  decodeChainEvent,
  type Follower,
  followChaincodeEvents,
} from "@clearbook/client";
import { appendEvent, type Clock, type Logger, type Redis } from "@clearbook/kit";
import type { LedgerDatabase } from "../db/database.js";
import { applyChainEvent, type LedgerEntryChanged } from "./projection.js";

export const LEDGER_CHECKPOINT = "ledger-indexer";

export interface LedgerIndexerDeps {
  db: LedgerDatabase;
  chain: ChainClient;
  redis: Redis;
  clock: Clock;
  logger: Logger;
  /** Key prefix for tests. */
  namespace?: string;
  /** Checkpoint name; tests use their own. */
  checkpointName?: string;
}

/** Appends `LedgerEntryChanged` to `evt:ledger` (the gateway refetches `ledgerEntry(id)` for subscribers). */
export async function publishChanges(
  redis: Redis,
  changed: LedgerEntryChanged[],
  options: { namespace?: string; clock?: Clock } = {},
): Promise<void> {
  for (const change of changed) {
    await appendEvent(redis, "ledger", { type: "LedgerEntryChanged", data: change }, options);
  }
}

/**
 * Follows the chaincode's events from a MySQL checkpoint and keeps the read models. Each event and
 * its checkpoint commit in one transaction, so a restarted indexer neither skips nor repeats one;
 * `evt:ledger` is appended after the commit (a crash in between loses that notification, never data).
 */
export async function startLedgerIndexer(deps: LedgerIndexerDeps): Promise<Follower> {
  const checkpointer = await createSqlCheckpointer(deps.db.fork(), deps.checkpointName ?? LEDGER_CHECKPOINT);
  const options = {
    ...(deps.namespace !== undefined ? { namespace: deps.namespace } : {}),
    clock: deps.clock,
  };
  return followChaincodeEvents(deps.chain, {
    checkpointer,
    startBlock: 0n,
    async handle(raw) {
      const event = decodeChainEvent(raw);
      const changed = await deps.db.fork().transactional(async (em) => {
        const result = event
          ? await applyChainEvent(em, { ...event, blockNumber: Number(event.blockNumber) }, deps.clock)
          : [];
        await checkpointer.checkpointChaincodeEvent(raw, em);
        return result;
      });
      if (changed.length) await publishChanges(deps.redis, changed, options);
    },
    onError: (error) => deps.logger.warn({ err: error }, "chaincode event stream failed; resuming from the checkpoint"),
  });
}
