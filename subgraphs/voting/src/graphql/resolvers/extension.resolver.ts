import { Arg, Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { ballotReads } from "../../ballots/ballot.service.js";
import type { VotingContext } from "../context.js";
import { BallotStatus } from "../enums.js";
import { toBallot } from "../mappers.js";
import { BallotType, ChainTransactionRef, LedgerEntryRef, OrganizationRef, VoteReceiptType } from "../types.js";

@Resolver(() => OrganizationRef)
export class OrganizationBallotsResolver {
  @FieldResolver(() => [BallotType], { description: "Newest first." })
  async ballots(
    @Root() org: OrganizationRef,
    @Arg("status", () => BallotStatus, { nullable: true, description: "Only ballots in this status." })
    status: BallotStatus | null,
    @Ctx() ctx: VotingContext,
  ): Promise<BallotType[]> {
    return (await ballotReads.ofOrganization(ctx.em, org.id, status ?? undefined)).map(toBallot);
  }
}

@Resolver(() => LedgerEntryRef)
export class LedgerEntryBallotResolver {
  @FieldResolver(() => BallotType, {
    nullable: true,
    description: "Spending entries, once the chain opened the ballot.",
  })
  async ballot(@Root() entry: LedgerEntryRef, @Ctx() ctx: VotingContext): Promise<BallotType | null> {
    const row = await ctx.loaders.ballotsByEntry.load(entry.id);
    return row ? toBallot(row) : null;
  }
}

@Resolver(() => VoteReceiptType)
export class VoteReceiptResolver {
  @FieldResolver(() => BallotType, { description: "The ballot voted on." })
  async ballot(@Root() receipt: VoteReceiptType, @Ctx() ctx: VotingContext): Promise<BallotType> {
    const row = await ctx.loaders.ballots.load(receipt.ballotId);
    if (!row) throw new Error(`ballot ${receipt.ballotId} of a receipt vanished`);
    return toBallot(row);
  }

  @FieldResolver(() => ChainTransactionRef, { description: "Look it up to see the vote on chain." })
  tx(@Root() receipt: VoteReceiptType): ChainTransactionRef {
    return { txId: receipt.txId };
  }
}
