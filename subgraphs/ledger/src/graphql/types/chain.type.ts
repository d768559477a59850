import { Directive, Field, ID, Int, ObjectType } from "type-graphql";
import { TxStatusEnum } from "../enums.js";
import { DateTimeScalar } from "../scalars.js";

@Directive('@key(fields: "txId")')
@ObjectType("ChainTransaction", {
  description:
    "A transaction on the blockchain. Every write returns one while PENDING; `transactionConfirmed(txId)` " +
    "pushes it once a block holds it.",
})
export class ChainTransactionType {
  @Field(() => ID, { description: "The Fabric transaction id (64 hex digits)." })
  txId!: string;

  @Field(() => TxStatusEnum, { description: "PENDING until a block holds it, then COMMITTED or REJECTED." })
  status!: TxStatusEnum;

  @Field(() => String, {
    nullable: true,
    description: "Fabric's validation code once in a block (VALID, MVCC_READ_CONFLICT…); null while pending.",
  })
  validationCode!: string | null;

  @Field(() => String, { description: "The chaincode function it called; empty while pending." })
  function!: string;

  @Field(() => String, { description: "Who signed it, as MSP/identity; empty while pending." })
  creator!: string;

  blockNumber!: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it was proposed; null while pending." })
  timestamp!: Date | null;
}

@ObjectType("Block", { description: "A block of the chain: hash-linked to the one before." })
export class BlockType {
  @Field(() => Int, { description: "Height: 0 for the first block." })
  number!: number;

  @Field(() => String, { description: "Hash of this block's header, hex." })
  hash!: string;

  @Field(() => String, { description: "Hash of the previous block's header, hex." })
  previousHash!: string;

  @Field(() => String, { description: "Hash of this block's transactions, hex." })
  dataHash!: string;

  @Field(() => [ChainTransactionType], { description: "The transactions in the block, in order." })
  transactions!: ChainTransactionType[];
}

@ObjectType("ChainVerification", { description: "The outcome of `verifyChain`." })
export class ChainVerificationType {
  @Field(() => Boolean, { description: "True when every checked block is intact." })
  ok!: boolean;

  @Field(() => Int, { description: "How many blocks were checked." })
  checkedBlocks!: number;

  @Field(() => Int, { nullable: true, description: "The first block whose hashes do not match; null when ok." })
  firstBadBlock!: number | null;
}
