import type { ChaincodeEvent, Checkpointer } from "@hyperledger/fabric-gateway";
import type { EntityManager } from "@mikro-orm/core";
import { ChainCheckpoint } from "./chain-checkpoint.entity.js";

/**
 * A fabric-gateway `Checkpointer` whose state is a `chain_checkpoint` row. Each checkpoint method
 * takes an optional EntityManager: pass the one whose transaction updates the read model, and the
 * event and its checkpoint commit together, so a restart neither skips nor repeats an event.
 */
export interface SqlCheckpointer extends Checkpointer {
  readonly name: string;
  checkpointBlock(blockNumber: bigint, em?: EntityManager): Promise<void>;
  checkpointTransaction(blockNumber: bigint, transactionId: string, em?: EntityManager): Promise<void>;
  checkpointChaincodeEvent(event: ChaincodeEvent, em?: EntityManager): Promise<void>;
  /** Re-reads the row (after a transaction that checkpointed was rolled back, for instance). */
  reload(): Promise<void>;
}

/**
 * Loads (or starts) the checkpoint called `name`.
 * @param em any EntityManager of the service's database; it is forked, never used directly.
 */
export async function createSqlCheckpointer(em: EntityManager, name: string): Promise<SqlCheckpointer> {
  let blockNumber: bigint | undefined;
  let transactionId: string | undefined;

  const load = async () => {
    const row = await em.fork().findOne(ChainCheckpoint, { name });
    blockNumber = row ? BigInt(row.blockNumber) : undefined;
    transactionId = row?.txId ?? undefined;
  };

  const save = async (block: bigint, txId: string | undefined, target?: EntityManager) => {
    const writer = target ?? em.fork();
    await writer.upsert(ChainCheckpoint, { name, blockNumber: block, txId: txId ?? null, updatedAt: new Date() });
    if (!target) await writer.flush();
    blockNumber = block;
    transactionId = txId;
  };

  await load();
  return {
    name,
    getBlockNumber: () => blockNumber,
    getTransactionId: () => transactionId,
    // The same arithmetic as fabric-gateway's own checkpointers: a finished block points at the next one.
    checkpointBlock: (block, target) => save(block + 1n, undefined, target),
    checkpointTransaction: (block, txId, target) => save(block, txId, target),
    checkpointChaincodeEvent: (event, target) => save(event.blockNumber, event.transactionId, target),
    reload: load,
  };
}
