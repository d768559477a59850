import { Field, ID, InputType, Int } from "type-graphql";
import { EntryKindEnum, EntryStatusEnum } from "./enums.js";
import { MoneyScalar } from "./scalars.js";

@InputType("SignUpInput")
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String)
  displayName!: string;
}

@InputType("EntryFilter")
export class EntryFilterInput {
  @Field(() => EntryKindEnum, { nullable: true })
  kind?: EntryKindEnum | null;

  @Field(() => EntryStatusEnum, { nullable: true })
  status?: EntryStatusEnum | null;

  @Field(() => Int, { nullable: true })
  year?: number | null;

  @Field(() => Int, { nullable: true })
  semester?: number | null;
}

@InputType("DepositInput")
export class DepositInput {
  @Field(() => ID)
  orgId!: string;

  @Field(() => String)
  eventName!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => Int)
  semester!: number;

  @Field(() => MoneyScalar)
  amount!: string;

  @Field(() => [ID])
  evidenceIds!: string[];

  @Field(() => String)
  idempotencyKey!: string;
}

@InputType("SpendingInput")
export class SpendingInput extends DepositInput {
  @Field(() => String)
  payeeAddress!: string;
}

@InputType("EvidenceUploadInput")
export class EvidenceUploadInput {
  @Field(() => String)
  fileName!: string;

  @Field(() => String)
  contentType!: string;

  @Field(() => Int)
  size!: number;

  @Field(() => String)
  sha256!: string;
}
