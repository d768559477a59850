import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from "type-graphql";
import type { ChainBlockTransaction } from "../../chain/chain.port.js";
import type { ChainTransaction } from "../../db/chain-transaction.entity.js";
import type { ExplorerBlock } from "../../explorer/explorer.service.js";
import type { LedgerContext } from "../context.js";
import { TxStatusEnum } from "../enums.js";
import { BlockType, ChainTransactionType, ChainVerificationType } from "../types/chain.type.js";

const MSP = "ClearbookMSP";

/** A transaction from the read model (submitted through this service, or seen by the indexer). */
export function toTransaction(tx: ChainTransaction): ChainTransactionType {
  return {
    txId: tx.txId,
    status: tx.status as TxStatusEnum,
    validationCode: tx.validationCode ?? null,
    function: tx.function,
    creator: tx.creatorId ? `${MSP}/${tx.creatorId}` : MSP,
    blockNumber: tx.blockNumber ?? null,
    timestamp: tx.committedAt ?? null,
  };
}

/**
 * A transaction another subgraph points at (a vote's receipt) that this ledger has not seen commit
 * yet: it exists (the signer has it) but is still pending. Function and creator are filled in once
 * `evt:chain` reports it.
 */
export function pendingTransaction(txId: string): ChainTransactionType {
  return {
    txId,
    status: TxStatusEnum.PENDING,
    validationCode: null,
    function: "",
    creator: "",
    blockNumber: null,
    timestamp: null,
  };
}

function fromBlock(blockNumber: number, tx: ChainBlockTransaction): ChainTransactionType {
  return {
    txId: tx.txId,
    status: tx.validationCode === "VALID" ? TxStatusEnum.COMMITTED : TxStatusEnum.REJECTED,
    validationCode: tx.validationCode,
    function: tx.function,
    creator: tx.creator,
    blockNumber,
    timestamp: tx.timestamp ? new Date(tx.timestamp) : null,
  };
}

function toBlock(block: ExplorerBlock): BlockType {
  return {
    number: block.number,
    hash: block.hash,
    previousHash: block.previousHash,
    dataHash: block.dataHash,
    transactions: block.transactions.map((tx) => fromBlock(block.number, tx)),
  };
}

@Resolver()
export class ExplorerResolver {
  @Query(() => BlockType, {
    nullable: true,
    description: "One block by height; null past the end. Public. Errors: BAD_USER_INPUT (a negative number).",
  })
  async block(
    @Arg("number", () => Int, { description: "Height, 0 or more." }) number: number,
    @Ctx() ctx: LedgerContext,
  ): Promise<BlockType | null> {
    const block = await ctx.services.explorer.block(number);
    return block ? toBlock(block) : null;
  }

  @Query(() => [BlockType], {
    description: "The last blocks, newest first. Public. Errors: BAD_USER_INPUT (last outside 1…100).",
  })
  async blocks(
    @Arg("last", () => Int, { nullable: true, defaultValue: 10, description: "How many, 1 to 100." }) last:
      | number
      | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<BlockType[]> {
    return (await ctx.services.explorer.blocks(last ?? 10)).map(toBlock);
  }

  @Query(() => ChainTransactionType, {
    nullable: true,
    description:
      "One transaction by id, from any service (a vote's too); PENDING until a block holds it; null when unknown. " +
      "Public.",
  })
  async chainTransaction(
    @Arg("txId", () => ID, { description: "The transaction id a write returned." }) txId: string,
    @Ctx() ctx: LedgerContext,
  ): Promise<ChainTransactionType | null> {
    const tx = await ctx.loaders.txs.load(txId);
    if (tx && tx.status !== TxStatusEnum.PENDING) return toTransaction(tx);
    // Pending here may already be committed (the indexer lags the signer's notice by a moment), and
    // transactions of other services are only on the chain: ask the peer.
    const onChain = await ctx.services.reads.transaction(txId);
    if (onChain) return { ...fromBlock(onChain.blockNumber ?? 0, onChain), blockNumber: onChain.blockNumber };
    return tx ? toTransaction(tx) : null;
  }

  @Query(() => ChainVerificationType, {
    description:
      "Recomputes the hash chain and each block's data hash; reports the first bad block. Public, rate limited " +
      "per caller. Errors: RATE_LIMITED (`extensions.retryAfterSeconds`), BAD_USER_INPUT (too many blocks at once).",
  })
  verifyChain(
    @Arg("fromBlock", () => Int, { nullable: true, description: "First block to check; default 0." })
    fromBlock: number | null,
    @Arg("toBlock", () => Int, {
      nullable: true,
      description: "Last block to check; default the newest within the per-call maximum from fromBlock.",
    })
    toBlock: number | null,
    @Ctx() ctx: LedgerContext,
  ): Promise<ChainVerificationType> {
    return ctx.services.explorer.verify(fromBlock, toBlock, ctx.viewer.sub ?? ctx.ip ?? "anonymous");
  }
}

@Resolver(() => ChainTransactionType)
export class ChainTransactionResolver {
  @FieldResolver(() => BlockType, { nullable: true, description: "The block that holds it; null while pending." })
  async block(@Root() tx: ChainTransactionType, @Ctx() ctx: LedgerContext): Promise<BlockType | null> {
    if (tx.blockNumber === null) return null;
    const block = await ctx.services.explorer.block(tx.blockNumber);
    return block ? toBlock(block) : null;
  }
}
