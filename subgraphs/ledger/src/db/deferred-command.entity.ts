import { defineEntity, p } from "@mikro-orm/core";

/**
 * A chain command accepted before it could be sent: its actor's Fabric identity was still being
 * issued, or it acts on something whose own transaction had not committed yet (decision 0300).
 * The releaser sends it (through the outbox) once both hold, or fails it with the reason.
 */
export const DeferredCommandEntity = defineEntity({
  name: "DeferredCommand",
  tableName: "deferred_commands",
  properties: {
    id: p.string().primary().length(36),
    actorId: p.string().length(128),
    name: p.string().length(64),
    /** Chaincode arguments, JSON array of strings. */
    args: p.text(),
    /** The outbox command id it is sent under (the mutation's idempotency key). */
    commandId: p.string().length(255).unique(),
    /** A pending transaction that must commit first. */
    afterTxId: p.string().length(64).nullable(),
    /** A deferred command whose transaction must commit first. */
    afterCommandId: p.string().length(36).nullable(),
    /** What the command acts on, to update when it is sent or fails: `entry`, `request` or `org`. */
    targetKind: p.string().length(16),
    targetId: p.string().length(36),
    /** WAITING, SENT or FAILED. */
    status: p.string().length(16).index(),
    /** The transaction id, once sent. */
    txId: p.string().length(64).nullable(),
    reason: p.string().length(500).nullable(),
    createdAt: p.datetime(3),
    decidedAt: p.datetime(3).nullable(),
  },
});
export type DeferredCommand = InstanceType<typeof DeferredCommandEntity.class>;
