import { errors, fromSqlTime, type SqlExecutor, sqlTime } from "@clearbook/kit";
import type { ParsedChainEvent } from "./chain-events.js";

type VoteCast = Extract<ParsedChainEvent, { name: "VotingVoteCast" }>;

/** What a tally push says about a ballot. */
export interface BallotTally {
  id: string;
  orgId: string;
  eligible: number;
  approve: number;
  reject: number;
  tallyUpdatedAt: Date;
}

/** The `ballot` columns a tally is built from, as the projections read them. */
export interface BallotTallyRow {
  id: string;
  org_id: string;
  eligible: number;
  approve: number;
  reject: number;
  tally_updated_at: string | Date;
}
export const BALLOT_TALLY_COLUMNS = "id, org_id, eligible, approve, reject, tally_updated_at";

/**
 * Applies a run of committed votes with a handful of plain statements whatever its length: a vote
 * burst arrives hundreds per block, and one round trip per vote per table made the indexer the
 * slowest stage of the pipeline (bench:votes); the unit of work then cost more CPU than the
 * statements (docs/performance/0170). The ballots are locked and their counts moved by the chain's
 * deltas; electorate rows and vote rows are written by multi-row upserts in chain order, so a
 * member's last vote in the run wins.
 * @returns the ballots whose tally changed, with their new tallies.
 */
export async function applyVotes(tx: SqlExecutor, run: readonly VoteCast[]): Promise<BallotTally[]> {
  const ballotIds = [...new Set(run.map((e) => e.payload.vote.ballotId))];
  const rows = await tx.rows<BallotTallyRow>(
    `select ${BALLOT_TALLY_COLUMNS} from ballot
      where id in (${ballotIds.map(() => "?").join(", ")}) for update`,
    ballotIds,
  );
  const ballots = new Map<string, BallotTally>(
    rows.map((b) => [
      b.id,
      {
        id: b.id,
        orgId: b.org_id,
        eligible: Number(b.eligible),
        approve: Number(b.approve),
        reject: Number(b.reject),
        tallyUpdatedAt: fromSqlTime(b.tally_updated_at),
      },
    ]),
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

  await tx.run(
    `insert into ballot_voter (ballot_id, user_id, choice, tx_id, voted_at) values ${run.map(() => "(?, ?, ?, ?, ?)").join(", ")}
     on duplicate key update choice = values(choice), tx_id = values(tx_id), voted_at = values(voted_at)`,
    run.flatMap(({ payload: { vote }, txId }) => [vote.ballotId, vote.userId, vote.choice, txId, sqlTime(vote.castAt)]),
  );

  const known = new Set(
    (
      await tx.rows<{ tx_id: string }>(
        `select tx_id from vote where tx_id in (${run.map(() => "?").join(", ")})`,
        run.map((e) => e.txId),
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
    await tx.run(
      `update vote set status = 'REJECTED'
        where ballot_id = ? and user_id = ? and choice = ? and status = 'PENDING'`,
      [vote.ballotId, vote.userId, vote.choice],
    );
  }
  await tx.run(
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
      blockNumber.toString(),
    ]),
  );
  const changed = ballotIds.flatMap((id) => {
    const ballot = ballots.get(id);
    return ballot ? [ballot] : [];
  });
  for (const ballot of changed) {
    await tx.run("update ballot set approve = ?, reject = ?, tally_updated_at = ? where id = ?", [
      ballot.approve,
      ballot.reject,
      sqlTime(ballot.tallyUpdatedAt),
      ballot.id,
    ]);
  }
  return changed;
}
