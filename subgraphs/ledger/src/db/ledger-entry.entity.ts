import { defineEntity, p } from "@mikro-orm/core";

/** Read model of a deposit or spending entry; `amount` is in minor units. */
export const LedgerEntryEntity = defineEntity({
  name: "LedgerEntry",
  tableName: "ledger_entries",
  indexes: [{ properties: ["orgId", "createdAt", "id"] }],
  uniques: [{ properties: ["submittedBy", "idempotencyKey"] }],
  properties: {
    id: p.string().primary().length(36),
    orgId: p.string().length(36),
    kind: p.string().length(16),
    eventName: p.string().length(200),
    year: p.integer(),
    semester: p.integer(),
    amount: p.bigint(),
    status: p.string().length(16),
    submittedBy: p.string().length(36),
    decidedBy: p.string().length(128).nullable(),
    reason: p.string().length(500).nullable(),
    payeeAddress: p.string().length(200).nullable(),
    ballotId: p.string().length(36).nullable(),
    evidenceIds: p.json<string[]>(),
    /** The client's key: retrying a mutation returns the entry it already created. */
    idempotencyKey: p.string().length(100),
    /** The transaction that recorded the latest change (possibly still pending). */
    txId: p.string().length(64).nullable(),
    createdAt: p.datetime(3),
    updatedAt: p.datetime(3),
  },
});
export type LedgerEntry = InstanceType<typeof LedgerEntryEntity.class>;
