import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { BallotStatus, VoteChoice } from "./enums.js";

/*
 * Entities of other subgraphs this one refers to or extends: only their keys live here.
 * GraphQL types know nothing of the ORM; resolvers map rows to them.
 */

@ObjectType("LedgerEntry", {
  description:
    "A deposit or a spending entry of an organization. Writes return it PENDING with its transaction; it changes " +
    "status as the chain commits, pushed by `ledgerEntryChanged(orgId)`.",
})
@Directive('@key(fields: "id")')
export class LedgerEntryRef {
  @Field(() => ID, { description: "Stable identifier of the entry." })
  id!: string;
}

@ObjectType("Organization", {
  description: "A community with a treasury on the chain, such as a student council.",
})
@Directive('@key(fields: "id")')
export class OrganizationRef {
  @Field(() => ID, { description: "Stable identifier of the organization." })
  id!: string;
}

@ObjectType("ChainTransaction", {
  description:
    "A transaction on the blockchain. Every write returns one while PENDING; `transactionConfirmed(txId)` " +
    "pushes it once a block holds it.",
})
@Directive('@key(fields: "txId", resolvable: false)')
export class ChainTransactionRef {
  @Field(() => ID, { description: "The Fabric transaction id (64 hex digits)." })
  txId!: string;
}

@ObjectType("VoteTally", { description: "Counts of the votes the chain has committed." })
@Directive('@key(fields: "ballotId")')
export class VoteTallyType {
  @Field(() => ID, { description: "The ballot counted." })
  ballotId!: string;
  @Field(() => Int, { description: "Committed APPROVE votes (a member's last vote counts once)." })
  approve!: number;
  @Field(() => Int, { description: "Committed REJECT votes (a member's last vote counts once)." })
  reject!: number;
  @Field(() => Int, { description: "Members eligible when the ballot opened." })
  eligible!: number;
  @Field(() => Float, { description: "Votes cast as a share of eligible members, 0…1." })
  turnout!: number;
  @Field(() => Boolean, { description: "True once turnout has reached the ballot's quorum." })
  quorumReached!: boolean;
  @Field(() => Date, { description: "When the chain last changed these counts." })
  updatedAt!: Date;
}

@ObjectType("Ballot", { description: "The vote on one spending entry." })
@Directive('@key(fields: "id")')
export class BallotType {
  @Field(() => ID, { description: "Stable identifier of the ballot." })
  id!: string;
  orgId!: string;
  entryId!: string;
  @Field(() => Date, { description: "When voting opened." })
  opensAt!: Date;
  @Field(() => Date, { description: "When voting closes (one hour after opening by default)." })
  closesAt!: Date;
  @Field(() => BallotStatus, { description: "OPEN, then APPROVED or REJECTED once finalized on the chain." })
  status!: BallotStatus;
  @Field(() => Float, { description: "Share of eligible members who must vote, 0…1." })
  quorum!: number;
  @Field(() => Float, { description: "Share of cast votes that must approve (strictly more), 0…1." })
  threshold!: number;
  @Field(() => VoteTallyType, { description: "The committed counts; `voteTallyChanged` pushes changes." })
  tally!: VoteTallyType;
}

@ObjectType("VoteReceipt", {
  description: "What `castVote` returns at once: the vote as sent, and the transaction that records it.",
})
export class VoteReceiptType {
  ballotId!: string;
  @Field(() => VoteChoice, { description: "The vote recorded." })
  choice!: VoteChoice;
  @Field(() => Boolean, { description: "True until the chain has committed the vote's transaction." })
  pending!: boolean;
  txId!: string;
}
