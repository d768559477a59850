import {
  type ChainClient,
  createSqlCheckpointer,
  decodeChainEvent,
  type Follower,
  followChaincodeEvents,
} from "@clearbook/client";
import { appendEvent, applyOnce, type Clock, type Logger, type Redis } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import type { LedgerDatabase } from "../db/database.js";
import { applyChainEvent, type LedgerEntryChanged } from "./projection.js";

export const LEDGER_CHECKPOINT = "ledger-indexer";
/** The `processed_command` group that marks applied chaincode events. */
const INDEXER_GROUP = "ledger-indexer";

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
 * Follows the chaincode's events from a MySQL checkpoint and keeps the read models. Each event, its
 * "applied" mark and the checkpoint commit in one transaction, so a restarted indexer neither skips
 * nor repeats one, and indexers of several replicas apply each event once;
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
      // Every replica may run an indexer: the first to apply an event (one per transaction) wins,
      // the others find it applied and move on, so read models and evt:ledger see it once.
      let outcome: Awaited<ReturnType<typeof applyOnce<LedgerEntryChanged[]>>>;
      try {
        outcome = await applyOnce(
          deps.db,
          INDEXER_GROUP,
          `event:${raw.transactionId}`,
          async (core) => {
            // applyOnce hands out the core EntityManager type; on this ORM it is the MariaDB one.
            const em = core as EntityManager;
            const result = event
              ? await applyChainEvent(em, { ...event, blockNumber: Number(event.blockNumber) }, deps.clock)
              : [];
            await checkpointer.checkpointChaincodeEvent(raw, em);
            return result;
          },
          deps.clock,
        );
      } catch (error) {
        // The checkpoint moved in memory inside the rolled-back transaction: re-read it, so the
        // restarted stream delivers this event again instead of skipping it.
        await checkpointer.reload();
        throw error;
      }
      if (outcome.applied && outcome.result.length) await publishChanges(deps.redis, outcome.result, options);
    },
    onError: (error) => deps.logger.warn({ err: error }, "chaincode event stream failed; resuming from the checkpoint"),
  });
}
