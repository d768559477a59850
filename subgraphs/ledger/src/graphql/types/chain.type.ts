import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { TxStatusEnum } from "../enums.js";
import { DateTimeScalar } from "../scalars.js";

@Directive('@key(fields: "txId")')
@ObjectType("ChainTransaction")
export class ChainTransactionType {
  @Field(() => ID)
  txId!: string;

  @Field(() => TxStatusEnum)
  status!: TxStatusEnum;

  @Field(() => String, { nullable: true })
  validationCode!: string | null;

  @Field(() => String)
  function!: string;

  @Field(() => String)
  creator!: string;

  blockNumber!: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  timestamp!: Date | null;
}

@ObjectType("Block")
export class BlockType {
  @Field(() => Int)
  number!: number;

  @Field(() => String)
  hash!: string;

  @Field(() => String)
  previousHash!: string;

  @Field(() => String)
  dataHash!: string;

  @Field(() => [ChainTransactionType])
  transactions!: ChainTransactionType[];
}

@ObjectType("ChainVerification")
export class ChainVerificationType {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => Int)
  checkedBlocks!: number;

  @Field(() => Int, { nullable: true })
  firstBadBlock!: number | null;
}
