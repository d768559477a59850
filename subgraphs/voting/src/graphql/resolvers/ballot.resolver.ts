import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { isBallotId } from "../../ballots/ballot-id.js";
import type { VotingContext } from "../context.js";
import { VoteChoice } from "../enums.js";
import { toBallot, toReceipt } from "../mappers.js";
import { BallotType, LedgerEntryRef, OrganizationRef, VoteReceiptType } from "../types.js";

@Resolver(() => BallotType)
export class BallotResolver {
  @Query(() => BallotType, { nullable: true, description: "Public: anyone may watch a ballot." })
  async ballot(
    @Arg("id", () => ID, { description: "The ballot's id." }) id: string,
    @Ctx() ctx: VotingContext,
  ): Promise<BallotType | null> {
    if (!isBallotId(id)) return null;
    const row = await ctx.loaders.ballots.load(id);
    return row ? toBallot(row) : null;
  }

  @Mutation(() => VoteReceiptType, {
    description:
      "Members eligible when the ballot opened; the last vote counts. Returns at once with the pending " +
      "transaction; follow `voteTallyChanged(ballotId)` or `transactionConfirmed(txId)`. Errors: UNAUTHENTICATED, " +
      "FORBIDDEN (not eligible), NOT_FOUND, BAD_USER_INPUT (not a ballot id), BALLOT_CLOSED, CONFLICT (your " +
      "chain identity is still being issued; retry shortly), RATE_LIMITED (too many votes queued; retry).",
  })
  async castVote(
    @Arg("ballotId", () => ID, { description: "The ballot." }) ballotId: string,
    @Arg("choice", () => VoteChoice, { description: "Your vote; a later vote replaces it." }) choice: VoteChoice,
    @Ctx() ctx: VotingContext,
  ): Promise<VoteReceiptType> {
    return toReceipt(await ctx.votes.castVote(ctx.viewer, ballotId, choice));
  }

  @FieldResolver(() => LedgerEntryRef, { description: "The spending entry voted on." })
  entry(@Root() ballot: BallotType): LedgerEntryRef {
    return { id: ballot.entryId };
  }

  @FieldResolver(() => OrganizationRef, { description: "The organization whose members vote." })
  organization(@Root() ballot: BallotType): OrganizationRef {
    return { id: ballot.orgId };
  }

  @FieldResolver(() => VoteChoice, { nullable: true, description: "The viewer's latest vote, pending or committed." })
  async myVote(@Root() ballot: BallotType, @Ctx() ctx: VotingContext): Promise<VoteChoice | null> {
    return (await ctx.loaders.myVotes.load(ballot.id))?.choice ?? null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: "True while the viewer's latest vote awaits the chain.",
  })
  async myVotePending(@Root() ballot: BallotType, @Ctx() ctx: VotingContext): Promise<boolean | null> {
    return (await ctx.loaders.myVotes.load(ballot.id))?.pending ?? null;
  }
}
