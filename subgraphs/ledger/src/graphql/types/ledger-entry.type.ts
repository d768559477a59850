import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { EntryKindEnum, EntryStatusEnum } from "../enums.js";
import { DateTimeScalar, MoneyScalar } from "../scalars.js";
import { PageInfoType } from "./page-info.type.js";

@Directive('@key(fields: "id")')
@ObjectType("LedgerEntry")
export class LedgerEntryType {
  @Field(() => ID)
  id!: string;

  orgId!: string;
  submittedBy!: string;
  decidedBy?: string | null;
  txId?: string | null;
  evidenceIds!: string[];

  @Field(() => EntryKindEnum)
  kind!: EntryKindEnum;

  @Field(() => String)
  eventName!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int)
  semester!: number;

  @Field(() => MoneyScalar)
  amount!: bigint;

  @Field(() => EntryStatusEnum)
  status!: EntryStatusEnum;

  @Field(() => String, { nullable: true, description: "Why a deposit was rejected or a submission failed." })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: "Spending only: where the money goes." })
  payeeAddress?: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType("LedgerEntryEdge")
export class LedgerEntryEdgeType {
  @Field(() => LedgerEntryType)
  node!: LedgerEntryType;

  @Field(() => String)
  cursor!: string;
}

@ObjectType("LedgerEntryConnection")
export class LedgerEntryConnectionType {
  @Field(() => [LedgerEntryEdgeType])
  edges!: LedgerEntryEdgeType[];

  @Field(() => PageInfoType)
  pageInfo!: PageInfoType;

  @Field(() => Int)
  totalCount!: number;
}

@ObjectType("EntryActivity", {
  description: "One step in an entry's history: who did what, when, in which transaction.",
})
export class EntryActivityType {
  @Field(() => String)
  action!: string;

  actorId!: string;
  txId?: string | null;

  @Field(() => DateTimeScalar)
  at!: Date;
}

@ObjectType("Evidence")
export class EvidenceType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  fileName!: string;

  @Field(() => String)
  contentType!: string;

  @Field(() => String)
  sha256!: string;

  @Field(() => Int)
  size!: number;

  uploadedAt?: Date | null;
}

@ObjectType("EvidenceUpload")
export class EvidenceUploadType {
  @Field(() => EvidenceType)
  evidence!: EvidenceType;

  @Field(() => String)
  uploadUrl!: string;

  @Field(() => DateTimeScalar)
  expiresAt!: Date;
}
