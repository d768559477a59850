import { waitForCatchUp } from "@clearbook/client";
import { createSqlClient } from "@clearbook/kit";
import { INDEXER_CHECKPOINT, INDEXER_CONSUMER, startVotingIndexer, type VotingIndexerDeps } from "./voting-indexer.js";

/** The voting tables the indexer derives from chaincode events; member certificates and the outbox stay. */
export const VOTING_READ_MODELS = ["vote", "ballot_voter", "ballot", "org_member"] as const;

/**
 * Drops the voting read models, the indexer's checkpoint and chain record, and rebuilds them from
 * block 0 of the chain the peer serves now, telling `say` the progress. @returns the last block read.
 */
export async function reindexVoting(deps: VotingIndexerDeps & { say(line: string): void }): Promise<bigint> {
  const sql = createSqlClient(deps.orm);
  await sql.transaction(async (tx) => {
    for (const table of VOTING_READ_MODELS) await tx.run(`delete from \`${table}\``, []);
    await tx.run("delete from processed_command where consumer_group = ?", [INDEXER_CONSUMER]);
    await tx.run("delete from chain_checkpoint where name = ?", [INDEXER_CHECKPOINT]);
    await tx.run("delete from chain_identity where name = ?", [INDEXER_CHECKPOINT]);
  });
  deps.say("voting: read models dropped; reading the chain from block 0");
  const indexer = await startVotingIndexer(deps);
  try {
    return await waitForCatchUp({
      chain: deps.chain,
      say: (line) => deps.say(`voting: ${line}`),
      position: async () => {
        const [row] = await sql.rows<{ block_number: string | number }>(
          "select block_number from chain_checkpoint where name = ?",
          [INDEXER_CHECKPOINT],
        );
        return row ? BigInt(row.block_number) : undefined;
      },
    });
  } finally {
    await indexer.dispose();
  }
}
