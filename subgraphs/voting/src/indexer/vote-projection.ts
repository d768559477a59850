import { errors } from "@clearbook/kit";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/mariadb";
import { Ballot } from "../db/ballot.entity.js";
import { Vote, VoteStatus } from "../db/vote.entity.js";
import type { ParsedChainEvent } from "./chain-events.js";

type VoteCast = Extract<ParsedChainEvent, { name: "VotingVoteCast" }>;

/** `YYYY-MM-DD hh:mm:ss.mmm` in UTC, as the DATETIME(3) columns hold times (the ORM's convention). */
const sqlTime = (date: Date) => date.toISOString().replace("T", " ").replace("Z", "");

/**
 * Applies a run of committed votes with a handful of statements whatever its length: a vote burst
 * arrives hundreds per block, and one round trip per vote per table made the indexer the slowest
 * stage of the pipeline (bench:votes). The ballots are locked and their counts moved by the chain's
 * deltas; electorate rows and vote rows are written by multi-row upserts in chain order, so a member's
 * last vote in the run wins.
 * @returns the ballots whose tally changed.
 */
export async function applyVotes(em: EntityManager, run: readonly VoteCast[]): Promise<Ballot[]> {
  const ballotIds = [...new Set(run.map((e) => e.payload.vote.ballotId))];
  const ballots = new Map(
    (await em.find(Ballot, { id: { $in: ballotIds } }, { lockMode: LockMode.PESSIMISTIC_WRITE })).map((b) => [b.id, b]),
  );
  for (const { payload, txId } of run) {
    const { vote, previous } = payload;
    const ballot = ballots.get(vote.ballotId);
    if (!ballot) throw errors.internal(`vote ${txId} is for ballot ${vote.ballotId}, which the read model lacks`);
    // The chain names the voter's previous choice: the tally moves by an exact delta in any order.
    const delta = (c: string) => (vote.choice === c ? 1 : 0) - (previous === c ? 1 : 0);
    ballot.approve += delta("APPROVE");
    ballot.reject += delta("REJECT");
    if (vote.castAt > ballot.tallyUpdatedAt) ballot.tallyUpdatedAt = vote.castAt;
  }

  await em.execute(
    `insert into ballot_voter (ballot_id, user_id, choice, tx_id, voted_at) values ${run.map(() => "(?, ?, ?, ?, ?)").join(", ")}
     on duplicate key update choice = values(choice), tx_id = values(tx_id), voted_at = values(voted_at)`,
    run.flatMap(({ payload: { vote }, txId }) => [vote.ballotId, vote.userId, vote.choice, txId, sqlTime(vote.castAt)]),
    "run",
  );

  // Plain rows: hydrating a partial entity per vote cost more than the query.
  const known = new Set(
    (
      await em.execute<{ tx_id: string }[]>(
        `select tx_id from vote where tx_id in (${run.map(() => "?").join(", ")})`,
        run.map((e) => e.txId),
        "all",
      )
    ).map((v) => v.tx_id),
  );
  for (const {
    payload: { vote },
    txId,
  } of run) {
    if (known.has(txId)) continue;
    // A vote this service did not record (another service, or the signer's retry under a new
    // transaction id): the member's older pending votes with that choice were its predecessors.
    await em.nativeUpdate(
      Vote,
      { ballotId: vote.ballotId, userId: vote.userId, choice: vote.choice, status: VoteStatus.PENDING },
      { status: VoteStatus.REJECTED },
    );
  }
  await em.execute(
    `insert into vote (tx_id, ballot_id, user_id, choice, status, created_at, committed_at, block_number)
     values ${run.map(() => "(?, ?, ?, ?, 'COMMITTED', ?, ?, ?)").join(", ")}
     on duplicate key update status = 'COMMITTED', committed_at = values(committed_at), block_number = values(block_number)`,
    run.flatMap(({ payload: { vote }, txId, blockNumber }) => [
      txId,
      vote.ballotId,
      vote.userId,
      vote.choice,
      sqlTime(vote.castAt),
      sqlTime(vote.castAt),
      Number(blockNumber),
    ]),
    "run",
  );
  await em.flush();
  return ballotIds.map((id) => ballots.get(id)).filter((b): b is Ballot => b !== undefined);
}
