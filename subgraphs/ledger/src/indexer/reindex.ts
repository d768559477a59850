import { waitForCatchUp } from "@clearbook/client";
import { INDEXER_GROUP, LEDGER_CHECKPOINT, type LedgerIndexerDeps, startLedgerIndexer } from "./event-indexer.js";

/** The ledger's tables that the indexer derives from chaincode events; users, sessions and evidence files stay. */
export const LEDGER_READ_MODELS = [
  "entry_activity",
  "ledger_entries",
  "membership_requests",
  "memberships",
  "organizations",
  "chain_transactions",
] as const;

/**
 * Drops the ledger's read models, its checkpoint and its chain record, and rebuilds them from block 0
 * of the chain the peer serves now, telling `say` the progress. The ledger process may keep running:
 * its indexer finds the fresh record and follows the new chain from where this one stopped.
 * @returns how many blocks were read.
 */
export async function reindexLedger(deps: LedgerIndexerDeps & { say(line: string): void }): Promise<bigint> {
  const name = deps.checkpointName ?? LEDGER_CHECKPOINT;
  const connection = deps.db.fork().getConnection();
  await connection.transactional(async (tx) => {
    for (const table of LEDGER_READ_MODELS) await connection.execute(`delete from \`${table}\``, [], "run", tx);
    await connection.execute("delete from processed_command where consumer_group = ?", [INDEXER_GROUP], "run", tx);
    await connection.execute("delete from chain_checkpoint where name = ?", [name], "run", tx);
    await connection.execute("delete from chain_identity where name = ?", [name], "run", tx);
  });
  deps.say("ledger: read models dropped; reading the chain from block 0");
  const indexer = await startLedgerIndexer(deps);
  try {
    return await waitForCatchUp({
      chain: deps.chain,
      say: (line) => deps.say(`ledger: ${line}`),
      position: async () => {
        const [row] = (await deps.db
          .fork()
          .getConnection()
          .execute("select block_number from chain_checkpoint where name = ?", [name])) as { block_number: string }[];
        return row ? BigInt(row.block_number) : undefined;
      },
    });
  } finally {
    await indexer.dispose();
  }
}
