import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/**
 * A member eligible on a ballot, fixed when the ballot opened, with the choice the chain last
 * committed for them. The tally is the count of these rows by choice.
 */
export const BallotVoter = defineEntity({
  name: "BallotVoter",
  tableName: "ballot_voter",
  properties: {
    ballotId: p.string().primary().length(36),
    userId: p.string().primary().length(36),
    choice: p.enum(["APPROVE", "REJECT"] as const).nullable(),
    /** The transaction that recorded `choice`. */
    txId: p.string().length(64).nullable(),
    votedAt: p.datetime(3).nullable(),
  },
});
export type BallotVoter = InferEntity<typeof BallotVoter>;
