import { defineEntity, p } from "@mikro-orm/core";

/**
 * Where a named event consumer (an indexer) stands in the chain: the next block to read and, within
 * it, the last transaction already processed. Lives in the consuming service's own database; add
 * this entity to its ORM config and migrations.
 */
export const ChainCheckpoint = defineEntity({
  name: "ChainCheckpoint",
  tableName: "chain_checkpoint",
  properties: {
    name: p.string().primary().length(100),
    blockNumber: p.bigint("bigint"),
    txId: p.string().length(64).nullable(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
