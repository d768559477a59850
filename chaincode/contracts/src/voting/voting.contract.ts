import { Info, Returns, Transaction } from "fabric-contract-api";
import type { Ballot, BallotFinalization, LedgerEntry, Vote, VoteCast } from "../api/documents.js";
import { BallotStatus, EntryStatus } from "../api/documents.js";
import { EventName } from "../api/events.js";
import { ContractName } from "../api/transactions.js";
import { getEntry } from "../ledger/entries.js";
import { ClearbookContract } from "../shared/base.contract.js";
import { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";
import { parseId, parseVoteChoice } from "../shared/parse.js";
import { tallyVotes } from "./tally.js";

async function getBallot(ctx: ClearbookContext, ballotId: string): Promise<Ballot> {
  const ballot = await ctx.read(KeyType.BALLOT, ballotId);
  if (!ballot) throw fail.notFound("ballot", ballotId);
  return ballot;
}

async function listVotes(ctx: ClearbookContext, ballotId: string): Promise<Vote[]> {
  return (await ctx.list(KeyType.BALLOT_VOTE, ballotId)).map((e) => e.value);
}

@Info({ title: "voting", description: "Ballots on spending: votes and finalization" })
export class VotingContract extends ClearbookContract {
  constructor() {
    super(ContractName.VOTING);
  }

  /**
   * An eligible member's vote; a later vote replaces the earlier one. Reads the ballot, the
   * caller's eligibility key and the caller's own vote key, and writes only that vote key, so
   * any number of members can vote on one ballot in the same block without MVCC conflicts.
   */
  @Transaction()
  @Returns("string")
  async CastVote(ctx: ClearbookContext, ballotId: string, choice: string): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("ballotId", ballotId);
    const vote = parseVoteChoice("choice", choice);
    const ballot = await getBallot(ctx, id);
    if (ballot.status !== BallotStatus.OPEN) throw fail.alreadyFinalized(id);
    if (ctx.nowMs() >= Date.parse(ballot.closesAt)) throw fail.ballotClosed(id);
    if (!(await ctx.exists(KeyType.BALLOT_ELIGIBLE, id, caller.userId))) throw fail.notEligible(id, caller.userId);
    const previous = await ctx.read(KeyType.BALLOT_VOTE, id, caller.userId);
    const cast: VoteCast = {
      vote: { ballotId: id, userId: caller.userId, choice: vote, castAt: ctx.now(), txId: ctx.txId() },
      previous: previous?.choice ?? null,
    };
    await ctx.write(KeyType.BALLOT_VOTE, [id, caller.userId], cast.vote);
    ctx.emit(EventName.VotingVoteCast, cast);
    return this.result(cast);
  }

  /**
   * Anyone may finalize, once: after the close time, or earlier when no vote not yet cast could
   * change the outcome. Counts the vote keys with one range read and moves the entry to
   * APPROVED or REJECTED.
   */
  @Transaction()
  @Returns("string")
  async FinalizeBallot(ctx: ClearbookContext, ballotId: string): Promise<string> {
    const caller = ctx.caller();
    const id = parseId("ballotId", ballotId);
    const open = await getBallot(ctx, id);
    if (open.status !== BallotStatus.OPEN) throw fail.alreadyFinalized(id);
    const tally = tallyVotes(open, await listVotes(ctx, id));
    const closed = ctx.nowMs() >= Date.parse(open.closesAt);
    const outcome = closed ? tally.leading : tally.decided;
    if (!outcome) throw fail.ballotOpen(id);
    const now = ctx.now();
    const ballot: Ballot = {
      ...open,
      status: outcome,
      finalizedAt: now,
      finalizedBy: caller.userId,
      finalTally: { approve: tally.approve, reject: tally.reject },
    };
    const pending = await getEntry(ctx, open.entryId);
    if (pending.status !== EntryStatus.VOTING) throw fail.conflict(`entry ${pending.entryId} is ${pending.status}`);
    const entry: LedgerEntry = {
      ...pending,
      status: outcome === BallotStatus.APPROVED ? EntryStatus.APPROVED : EntryStatus.REJECTED,
      decidedBy: `ballot:${id}`,
      decidedAt: now,
    };
    await ctx.write(KeyType.BALLOT, [id], ballot);
    await ctx.write(KeyType.ENTRY, [entry.entryId], entry);
    const finalization: BallotFinalization = { ballot, tally, entry };
    ctx.emit(EventName.VotingBallotFinalized, finalization);
    return this.result(finalization);
  }

  /** The ballot with a tally counted now from the vote keys (a range read). */
  @Transaction(false)
  @Returns("string")
  async GetBallot(ctx: ClearbookContext, ballotId: string): Promise<string> {
    const id = parseId("ballotId", ballotId);
    const ballot = await getBallot(ctx, id);
    return this.result({ ballot, tally: tallyVotes(ballot, await listVotes(ctx, id)) });
  }

  @Transaction(false)
  @Returns("string")
  async GetVote(ctx: ClearbookContext, ballotId: string, userId: string): Promise<string> {
    const id = parseId("ballotId", ballotId);
    await getBallot(ctx, id);
    return this.result(await ctx.read(KeyType.BALLOT_VOTE, id, parseId("userId", userId)));
  }

  @Transaction(false)
  @Returns("string")
  async GetVotes(ctx: ClearbookContext, ballotId: string): Promise<string> {
    const id = parseId("ballotId", ballotId);
    await getBallot(ctx, id);
    return this.result(await listVotes(ctx, id));
  }
}
