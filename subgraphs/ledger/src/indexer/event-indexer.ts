import {
  type ChainClient,
  type ChainGuard,
  createChainGuard,
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
export const INDEXER_GROUP = "ledger-indexer";
/** What the chain-mismatch error tells the operator to run. */
export const LEDGER_REINDEX_FIX =
  "run `npm run reindex -- ledger` to rebuild the ledger's read models from this chain (in development, `npm start -- --reset` starts everything over).";

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

/** A running ledger indexer and the check of the chain it follows (for `/ready`). */
export type LedgerIndexer = Follower & { guard: ChainGuard };

/**
 * Follows the chaincode's events from a MySQL checkpoint and keeps the read models. Before every
 * (re)connection it checks that the peer serves the chain the checkpoint belongs to; on another
 * chain it reads nothing, logs one clear error and `guard.readiness` fails until a reindex. Each event, its
 * "applied" mark and the checkpoint commit in one transaction, so a restarted indexer neither skips
 * nor repeats one, and indexers of several replicas apply each event once;
 * `evt:ledger` is appended after the commit (a crash in between loses that notification, never data).
 */
export async function startLedgerIndexer(deps: LedgerIndexerDeps): Promise<LedgerIndexer> {
  const name = deps.checkpointName ?? LEDGER_CHECKPOINT;
  const checkpointer = await createSqlCheckpointer(deps.db.fork(), name);
  const guard = createChainGuard({
    chain: deps.chain,
    em: deps.db.fork(),
    name,
    fix: LEDGER_REINDEX_FIX,
    onMismatch: (error) => deps.logger.error({ reason: error.reason }, error.message),
  });
  // The first check before the server listens, so `/ready` refuses from the start; the follower
  // repeats it before each connection (a peer that restarted may be another chain).
  await guard.verify(checkpointer.getBlockNumber()).catch(() => {});
  const options = {
    ...(deps.namespace !== undefined ? { namespace: deps.namespace } : {}),
    clock: deps.clock,
  };
  const follower = followChaincodeEvents(deps.chain, {
    checkpointer,
    startBlock: 0n,
    beforeOpen: async () => {
      await checkpointer.reload();
      await guard.verify(checkpointer.getBlockNumber());
    },
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
    onError: (error) => {
      // A mismatch was logged once by the guard; repeating it every half second helps no one.
      if (guard.problem() !== error)
        deps.logger.warn({ err: error }, "chaincode event stream failed; resuming from the checkpoint");
    },
  });
  return Object.assign(follower, { guard });
}
