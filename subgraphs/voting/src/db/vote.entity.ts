import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

export const VoteChoice = { APPROVE: "APPROVE", REJECT: "REJECT" } as const;
export type VoteChoice = (typeof VoteChoice)[keyof typeof VoteChoice];

export const VoteStatus = { PENDING: "PENDING", COMMITTED: "COMMITTED", REJECTED: "REJECTED" } as const;
export type VoteStatus = (typeof VoteStatus)[keyof typeof VoteStatus];

/**
 * One vote transaction: written PENDING by `castVote` with the command that carries it, then
 * COMMITTED by the indexer when the chain's event arrives (or REJECTED when the chain refuses it).
 * Votes that reach the chain without passing through this service are inserted by the indexer.
 */
export const Vote = defineEntity({
  name: "Vote",
  tableName: "vote",
  properties: {
    /** Insertion order: a member's latest vote is the one with the highest id. */
    id: p.bigint("number").primary().autoincrement(),
    txId: p.string().length(64).unique("vote_tx_unique"),
    ballotId: p.string().length(36),
    userId: p.string().length(36),
    choice: p.enum(["APPROVE", "REJECT"] as const),
    status: p.enum(["PENDING", "COMMITTED", "REJECTED"] as const),
    createdAt: p.datetime(3),
    committedAt: p.datetime(3).nullable(),
    blockNumber: p.bigint("number").nullable(),
  },
  indexes: [{ name: "vote_ballot_user_idx", properties: ["ballotId", "userId", "id"] }],
});
export type Vote = InferEntity<typeof Vote>;
