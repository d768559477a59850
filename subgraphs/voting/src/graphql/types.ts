import { Directive, Field, Float, ID, Int, ObjectType } from "type-graphql";
import { BallotStatus, VoteChoice } from "./enums.js";

/*
 * Entities of other subgraphs this one refers to or extends: only their keys live here.
 * GraphQL types know nothing of the ORM; resolvers map rows to them.
 */

@ObjectType("LedgerEntry")
@Directive('@key(fields: "id")')
export class LedgerEntryRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType("Organization")
@Directive('@key(fields: "id")')
export class OrganizationRef {
  @Field(() => ID)
  id!: string;
}

@ObjectType("ChainTransaction")
@Directive('@key(fields: "txId", resolvable: false)')
export class ChainTransactionRef {
  @Field(() => ID)
  txId!: string;
}

@ObjectType("VoteTally", { description: "Counts of the votes the chain has committed." })
@Directive('@key(fields: "ballotId")')
export class VoteTallyType {
  @Field(() => ID)
  ballotId!: string;
  @Field(() => Int)
  approve!: number;
  @Field(() => Int)
  reject!: number;
  @Field(() => Int, { description: "Members eligible when the ballot opened." })
  eligible!: number;
  @Field(() => Float, { description: "Votes cast as a share of eligible members, 0…1." })
  turnout!: number;
  @Field(() => Boolean)
  quorumReached!: boolean;
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType("Ballot", { description: "The vote on one spending entry." })
@Directive('@key(fields: "id")')
export class BallotType {
  @Field(() => ID)
  id!: string;
  orgId!: string;
  entryId!: string;
  @Field(() => Date)
  opensAt!: Date;
  @Field(() => Date)
  closesAt!: Date;
  @Field(() => BallotStatus)
  status!: BallotStatus;
  @Field(() => Float, { description: "Share of eligible members who must vote, 0…1." })
  quorum!: number;
  @Field(() => Float, { description: "Share of cast votes that must approve (strictly more), 0…1." })
  threshold!: number;
  @Field(() => VoteTallyType)
  tally!: VoteTallyType;
}

@ObjectType("VoteReceipt")
export class VoteReceiptType {
  ballotId!: string;
  @Field(() => VoteChoice)
  choice!: VoteChoice;
  @Field(() => Boolean, { description: "True until the chain has committed the vote's transaction." })
  pending!: boolean;
  txId!: string;
}
