import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { EntryKindEnum, EntryStatusEnum } from "../enums.js";
import { DateTimeScalar, MoneyScalar } from "../scalars.js";
import { PageInfoType } from "./page-info.type.js";

@Directive('@key(fields: "id")')
@ObjectType("LedgerEntry", {
  description:
    "A deposit or a spending entry of an organization. Writes return it PENDING with its transaction; it changes " +
    "status as the chain commits, pushed by `ledgerEntryChanged(orgId)`.",
})
export class LedgerEntryType {
  @Field(() => ID, { description: "Stable identifier of the entry." })
  id!: string;

  orgId!: string;
  submittedBy!: string;
  decidedBy?: string | null;
  txId?: string | null;
  evidenceIds!: string[];

  @Field(() => EntryKindEnum, { description: "Deposit or spending." })
  kind!: EntryKindEnum;

  @Field(() => String, { description: "What the money is for." })
  eventName!: string;

  @Field(() => Int, { description: "Academic year." })
  year!: number;

  @Field(() => Int, { description: "Semester, 1 or 2." })
  semester!: number;

  @Field(() => MoneyScalar, { description: "Integer minor units, always more than 0." })
  amount!: bigint;

  @Field(() => EntryStatusEnum, { description: "Where the entry is in its life; PENDING right after a write." })
  status!: EntryStatusEnum;

  @Field(() => String, { nullable: true, description: "Why a deposit was rejected or a submission failed." })
  reason?: string | null;

  @Field(() => String, { nullable: true, description: "Spending only: where the money goes." })
  payeeAddress?: string | null;

  @Field(() => DateTimeScalar, { description: "When it was submitted." })
  createdAt!: Date;
}

@ObjectType("LedgerEntryEdge", { description: "One entry in a page of entries." })
export class LedgerEntryEdgeType {
  @Field(() => LedgerEntryType, { description: "The entry." })
  node!: LedgerEntryType;

  @Field(() => String, { description: "Pass as `after` to continue after this entry." })
  cursor!: string;
}

@ObjectType("LedgerEntryConnection", { description: "A page of an organization's entries, newest first." })
export class LedgerEntryConnectionType {
  @Field(() => [LedgerEntryEdgeType], { description: "The entries on this page." })
  edges!: LedgerEntryEdgeType[];

  @Field(() => PageInfoType, { description: "Whether and where the next page starts." })
  pageInfo!: PageInfoType;

  @Field(() => Int, { description: "How many entries match the filter in all." })
  totalCount!: number;
}

@ObjectType("EntryActivity", {
  description: "One step in an entry's history: who did what, when, in which transaction.",
})
export class EntryActivityType {
  @Field(() => String, { description: "What happened: SUBMITTED, APPROVED, REJECTED and so on." })
  action!: string;

  actorId!: string;
  txId?: string | null;

  @Field(() => DateTimeScalar, { description: "When it happened." })
  at!: Date;
}

@ObjectType("Evidence", { description: "A receipt, quote or invoice file attached to an entry." })
export class EvidenceType {
  @Field(() => ID, { description: "Stable identifier of the file." })
  id!: string;

  @Field(() => String, { description: "The name it was uploaded with." })
  fileName!: string;

  @Field(() => String, { description: "Its MIME type." })
  contentType!: string;

  @Field(() => String, { description: "SHA-256 of the content, hex; recorded on the chain with the entry." })
  sha256!: string;

  @Field(() => Int, { description: "Size in bytes." })
  size!: number;

  uploadedAt?: Date | null;
}

@ObjectType("EvidenceUpload", { description: "Where to upload a receipt file before attaching it to an entry." })
export class EvidenceUploadType {
  @Field(() => EvidenceType, { description: "The file record; pass its id in `evidenceIds`." })
  evidence!: EvidenceType;

  @Field(() => String, { description: "PUT the file's bytes here, with its content type, before `expiresAt`." })
  uploadUrl!: string;

  @Field(() => DateTimeScalar, { description: "When `uploadUrl` stops working." })
  expiresAt!: Date;
}
