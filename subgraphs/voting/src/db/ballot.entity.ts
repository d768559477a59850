import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

export const BallotStatus = { OPEN: "OPEN", APPROVED: "APPROVED", REJECTED: "REJECTED" } as const;
export type BallotStatus = (typeof BallotStatus)[keyof typeof BallotStatus];

/**
 * A ballot on a spending entry, as the chain opened it, with its live tally. The counts are
 * maintained by the indexer in the same transaction as each vote it applies, and can always be
 * recomputed from `ballot_voter` (see `recountBallot`).
 */
export const Ballot = defineEntity({
  name: "Ballot",
  tableName: "ballot",
  properties: {
    id: p.string().primary().length(36),
    orgId: p.string().length(36).index("ballot_org_idx"),
    entryId: p.string().length(36).unique("ballot_entry_unique"),
    opensAt: p.datetime(3),
    closesAt: p.datetime(3),
    status: p.enum(["OPEN", "APPROVED", "REJECTED"] as const),
    quorumBps: p.integer(),
    thresholdBps: p.integer(),
    /** Members eligible at opening (the size of the `ballot_voter` snapshot). */
    eligible: p.integer(),
    approve: p.integer().default(0),
    reject: p.integer().default(0),
    /** When the tally last changed (a committed vote, or the opening). */
    tallyUpdatedAt: p.datetime(3),
    openedTxId: p.string().length(64),
    finalizedAt: p.datetime(3).nullable(),
    finalizedTxId: p.string().length(64).nullable(),
    /** Finalizer lease: the replica asking the chain to finalize, and until when the others wait. */
    leaseOwner: p.string().length(64).nullable(),
    leaseUntil: p.datetime(3).nullable(),
    /** Finalization requests sent so far (each one a new command id). */
    finalizeAttempts: p.integer().default(0),
  },
  indexes: [{ name: "ballot_status_closes_idx", properties: ["status", "closesAt"] }],
});
export type Ballot = InferEntity<typeof Ballot>;
