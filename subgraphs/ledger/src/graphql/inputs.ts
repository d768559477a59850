import { Field, ID, InputType, Int } from "type-graphql";
import { EntryKindEnum, EntryStatusEnum } from "./enums.js";
import { MoneyScalar } from "./scalars.js";

@InputType("SignUpInput", { description: "A new account." })
export class SignUpInput {
  @Field(() => String, { description: "Unique; at most 254 characters." })
  email!: string;

  @Field(() => String, { description: "10 to 256 characters." })
  password!: string;

  @Field(() => String, { description: "Shown to other members; 1 to 120 characters." })
  displayName!: string;
}

@InputType("EntryFilter", { description: "Narrows an organization's entries; every field set must match." })
export class EntryFilterInput {
  @Field(() => EntryKindEnum, { nullable: true, description: "Only deposits or only spending." })
  kind?: EntryKindEnum | null;

  @Field(() => EntryStatusEnum, { nullable: true, description: "Only entries in this status." })
  status?: EntryStatusEnum | null;

  @Field(() => Int, { nullable: true, description: "Only entries of this academic year." })
  year?: number | null;

  @Field(() => Int, { nullable: true, description: "Only entries of this semester (1 or 2)." })
  semester?: number | null;
}

@InputType("DepositInput", { description: "Money received, with its receipts." })
export class DepositInput {
  @Field(() => ID, { description: "The organization whose treasury receives the money." })
  orgId!: string;

  @Field(() => String, { description: "What the money is for, as members will read it; 1 to 200 characters." })
  eventName!: string;

  @Field(() => Int, { description: "Academic year the entry belongs to, 2000 to 2100." })
  year!: number;

  @Field(() => Int, { description: "Semester the entry belongs to (1 or 2)." })
  semester!: number;

  @Field(() => MoneyScalar, { description: 'Integer minor units as a decimal string, more than 0, e.g. "12500".' })
  amount!: string;

  @Field(() => [ID], {
    description: "Up to 20 of your own uploads (see `createEvidenceUpload`), each attached to one entry only.",
  })
  evidenceIds!: string[];

  @Field(() => String, {
    description:
      "Your key for this write (e.g. a UUID): sending the same key again returns the first result and changes nothing.",
  })
  idempotencyKey!: string;
}

@InputType("SpendingInput", { description: "Money to pay out, with its quotes or invoices." })
export class SpendingInput extends DepositInput {
  @Field(() => String, { description: "Where the money goes (the payee's account or wallet address)." })
  payeeAddress!: string;
}

@InputType("EvidenceUploadInput", { description: "A receipt file you are about to upload." })
export class EvidenceUploadInput {
  @Field(() => String, { description: "A plain file name, without slashes." })
  fileName!: string;

  @Field(() => String, { description: "application/pdf, image/png, image/jpeg, image/webp, text/plain or text/csv." })
  contentType!: string;

  @Field(() => Int, { description: "Size in bytes; the upload must have exactly this size." })
  size!: number;

  @Field(() => String, { description: "SHA-256 of the file, 64 lowercase hex digits; the upload must match it." })
  sha256!: string;
}
