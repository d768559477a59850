import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/** Where a command's transaction stands. */
export const SignedTxStatus = {
  /** Signed and about to be (or being) submitted; a redelivery resubmits `envelope`. */
  SIGNED: "SIGNED",
  COMMITTED: "COMMITTED",
  /** In a block but invalid (e.g. an MVCC conflict after every retry). */
  REJECTED: "REJECTED",
  /** Refused at endorsement by the chaincode (a business error): never reached a block. */
  FAILED: "FAILED",
} as const;
export type SignedTxStatus = (typeof SignedTxStatus)[keyof typeof SignedTxStatus];

/**
 * One row per command: the signed transaction recorded before it is submitted, then its outcome.
 * `tx_id` is the latest attempt's; `original_tx_id` the one the service announced.
 */
export const SignedTx = defineEntity({
  name: "SignedTx",
  tableName: "signed_tx",
  // Retention deletes decided rows by age (decision 0206).
  indexes: [{ name: "signed_tx_updated_at_idx", properties: ["updatedAt"] }],
  properties: {
    commandId: p.string().primary().length(128),
    userId: p.string().length(128),
    txId: p.string().length(64),
    originalTxId: p.string().length(64),
    transaction: p.string().length(100),
    envelope: p.blob().columnType("mediumblob").nullable(),
    status: p.enum(() => Object.values(SignedTxStatus)),
    block: p.bigint("bigint").nullable(),
    validationCode: p.integer().nullable(),
    /** The chain error code (`INSUFFICIENT_FUNDS`…) or validation name of a failure. */
    reason: p.string().length(255).nullable(),
    attempts: p.integer(),
    updatedAt: p.datetime(),
  },
});
export type SignedTx = InferEntity<typeof SignedTx>;
