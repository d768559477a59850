import type { ChainClient } from "@clearbook/client";
import type { SqlClient, SqlExecutor } from "@clearbook/kit";

/** What the indexer reads from the chain: the chain client's chaincode events. */
type ChaincodeEventStream = Awaited<ReturnType<ChainClient["chaincodeEvents"]>>;
export type RawChaincodeEvent = ChaincodeEventStream extends AsyncIterable<infer E> ? E : never;
type Checkpoint = NonNullable<NonNullable<Parameters<ChainClient["chaincodeEvents"]>[0]>["checkpoint"]>;

export interface IndexerCheckpoint extends Checkpoint {
  /** Re-reads the row (before reconnecting: a batch that failed did not move it). */
  reload(): Promise<void>;
  /** Writes `event` as the last one applied, in the batch's transaction `tx`. */
  save(tx: SqlExecutor, event: RawChaincodeEvent): Promise<void>;
  /** Moves the position the next connection starts from, once the batch that saved `event` committed. */
  committed(event: RawChaincodeEvent): void;
}

/**
 * The indexer's position in the chain, as a `chain_checkpoint` row with the chain client's layout and
 * meaning (`createSqlCheckpointer`: the block of the last applied event and its transaction id), kept
 * with plain SQL so it is written by the statement that ends each batch's transaction, beside the
 * read-model changes (docs/performance/0170). A restart resumes exactly after the last committed batch.
 */
export function createIndexerCheckpoint(sql: SqlClient, name: string): IndexerCheckpoint {
  let blockNumber: bigint | undefined;
  let transactionId: string | undefined;
  return {
    getBlockNumber: () => blockNumber,
    getTransactionId: () => transactionId,
    async reload() {
      const [row] = await sql.rows<{ block_number: number | string; tx_id: string | null }>(
        "select block_number, tx_id from chain_checkpoint where name = ?",
        [name],
      );
      blockNumber = row ? BigInt(row.block_number) : undefined;
      transactionId = row?.tx_id ?? undefined;
    },
    async save(tx, event) {
      await tx.run(
        `insert into chain_checkpoint (name, block_number, tx_id, updated_at) values (?, ?, ?, utc_timestamp())
         on duplicate key update block_number = values(block_number), tx_id = values(tx_id), updated_at = values(updated_at)`,
        [name, event.blockNumber.toString(), event.transactionId],
      );
    },
    committed(event) {
      blockNumber = event.blockNumber;
      transactionId = event.transactionId;
    },
  };
}
