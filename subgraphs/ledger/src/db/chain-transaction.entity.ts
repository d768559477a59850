import { defineEntity, p } from "@mikro-orm/core";

/** A transaction this service submitted (through the signer) and its outcome, as the indexer learned it. */
export const ChainTransactionEntity = defineEntity({
  name: "ChainTransaction",
  tableName: "chain_transactions",
  properties: {
    txId: p.string().primary().length(64),
    function: p.string().length(64),
    creatorId: p.string().length(128),
    status: p.string().length(16),
    validationCode: p.string().length(40).nullable(),
    blockNumber: p.integer().nullable(),
    createdAt: p.datetime(3),
    committedAt: p.datetime(3).nullable(),
  },
});
export type ChainTransaction = InstanceType<typeof ChainTransactionEntity.class>;
