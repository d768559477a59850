import { type AppError, type Clock, errors, type SqlExecutor } from "@clearbook/kit";
import type { VotingCommands } from "../chain/voting-commands.js";
import { type VoteChoice, VoteStatus } from "../db/vote.entity.js";

/** One checked `castVote` request: a signed-in member, a well-formed ballot id and choice. */
export interface VoteRequest {
  userId: string;
  ballotId: string;
  choice: VoteChoice;
}

/** What `castVote` returns: the vote and the transaction that carries it. */
export interface VoteReceipt {
  ballotId: string;
  choice: VoteChoice;
  txId: string;
  status: VoteStatus;
}

/**
 * A request's outcome: its receipt (`recorded` when this batch sent a new command), or its refusal
 * (`unenrolled` names a member refused because their chain identity has not arrived).
 */
export type VoteOutcome = { receipt: VoteReceipt; recorded: boolean } | { refusal: AppError; unenrolled?: string };

/** `YYYY-MM-DD hh:mm:ss.mmm` in UTC, as the DATETIME(3) columns hold times (the ORM's convention). */
const sqlTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

const memberKey = (ballotId: string, userId: string) => `${ballotId} ${userId}`;

/** `(ballot_id = ? AND user_id = ?) OR …` for the distinct members of `requests`, with its parameters. */
function memberFilter(members: readonly VoteRequest[]): { sql: string; params: string[] } {
  return {
    sql: members.map(() => "(ballot_id = ? AND user_id = ?)").join(" OR "),
    params: members.flatMap((m) => [m.ballotId, m.userId]),
  };
}

interface BallotState {
  open: boolean;
}

interface LatestVote {
  choice: VoteChoice;
  txId: string;
  status: VoteStatus;
}

/**
 * Records a batch of votes inside `tx`'s open READ COMMITTED transaction with a fixed number of
 * statements whatever its size: concurrent `castVote` requests share one transaction, so a vote burst
 * costs the database a few statements and one commit per batch instead of ten statements and a
 * commit per vote (bench:votes).
 *
 * The members' electorate rows are locked first (in key order, so two batches never deadlock on
 * each other), which serializes each member's votes across batches and replicas; the ballots and
 * the members' latest non-refused votes are read after the lock, so they include every vote of those
 * members committed before. Requests are then decided in arrival order, a member's earlier request
 * in the batch counting as their latest vote for the later ones (a double click sends one command).
 * @returns one outcome per request, in order. Refusals: NOT_FOUND, FORBIDDEN, BALLOT_CLOSED, and
 *   CONFLICT for a member whose chain identity has not arrived yet.
 */
export async function recordVotes(
  tx: SqlExecutor,
  requests: readonly VoteRequest[],
  deps: { commands: VotingCommands; clock: Clock },
): Promise<VoteOutcome[]> {
  const members = [...new Map(requests.map((r) => [memberKey(r.ballotId, r.userId), r])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
  const filter = memberFilter(members);
  const eligible = new Set(
    (
      await tx.rows<{ ballot_id: string; user_id: string }>(
        `select ballot_id, user_id from ballot_voter where ${filter.sql} order by ballot_id, user_id for update`,
        filter.params,
      )
    ).map((row) => memberKey(row.ballot_id, row.user_id)),
  );

  // One statement for the ballots and the members' votes on them: a row per non-refused vote, or one
  // row with null vote columns for a ballot without any.
  const ballotIds = [...new Set(members.map((m) => m.ballotId))];
  const userIds = [...new Set(members.map((m) => m.userId))];
  const rows = await tx.rows<{
    ballot_id: string;
    open: number;
    vote_id: number | string | null;
    user_id: string | null;
    choice: VoteChoice | null;
    tx_id: string | null;
    status: VoteStatus | null;
  }>(
    `select b.id as ballot_id, (b.status = 'OPEN' and b.closes_at > ?) as open,
            v.id as vote_id, v.user_id, v.choice, v.tx_id, v.status
       from ballot b
       left join vote v on v.ballot_id = b.id and v.status <> 'REJECTED' and v.user_id in (${userIds.map(() => "?").join(", ")})
      where b.id in (${ballotIds.map(() => "?").join(", ")})`,
    [sqlTime(deps.clock.now()), ...userIds, ...ballotIds],
  );
  const ballots = new Map<string, BallotState>();
  const latest = new Map<string, LatestVote & { id: number }>();
  for (const row of rows) {
    ballots.set(row.ballot_id, { open: Number(row.open) === 1 });
    if (row.vote_id === null || !row.user_id || !row.choice || !row.tx_id || !row.status) continue;
    const key = memberKey(row.ballot_id, row.user_id);
    const id = Number(row.vote_id);
    if ((latest.get(key)?.id ?? -1) < id)
      latest.set(key, { id, choice: row.choice, txId: row.tx_id, status: row.status });
  }

  // Decide in arrival order. A new vote is planned; a later request of the same member sees it.
  type Decision = { refusal: AppError } | { receipt: VoteReceipt } | { planned: number };
  const planned: VoteRequest[] = [];
  const pendingOf = new Map<string, { choice: VoteChoice; plan: number }>();
  const decisions: Decision[] = requests.map((request) => {
    const { ballotId, userId, choice } = request;
    const ballot = ballots.get(ballotId);
    if (!ballot) return { refusal: errors.notFound("Ballot", ballotId) };
    const key = memberKey(ballotId, userId);
    if (!eligible.has(key)) {
      return { refusal: errors.forbidden("Only members eligible when the ballot opened may vote on it.") };
    }
    if (!ballot.open) return { refusal: errors.ballotClosed() };
    const mine = pendingOf.get(key);
    if (mine) {
      if (mine.choice === choice) return { planned: mine.plan };
    } else {
      const last = latest.get(key);
      if (last && last.choice === choice) {
        return { receipt: { ballotId, choice, txId: last.txId, status: last.status } };
      }
    }
    planned.push(request);
    pendingOf.set(key, { choice, plan: planned.length - 1 });
    return { planned: planned.length - 1 };
  });

  const sent = planned.length ? await deps.commands.castVotes(tx, planned) : [];
  const createdAt = sqlTime(deps.clock.now());
  const values = planned.flatMap((request, i) => {
    const command = sent[i];
    return command ? [command.txId, request.ballotId, request.userId, request.choice, createdAt] : [];
  });
  // In plan order: a member's latest vote is the one with the highest id.
  if (values.length) {
    await tx.run(
      `insert into vote (tx_id, ballot_id, user_id, choice, status, created_at)
       values ${Array.from({ length: values.length / 5 }, () => "(?, ?, ?, ?, 'PENDING', ?)").join(", ")}`,
      values,
    );
  }

  const firstOf = new Set<number>();
  return decisions.map((decision): VoteOutcome => {
    if (!("planned" in decision))
      return "refusal" in decision ? decision : { receipt: decision.receipt, recorded: false };
    const request = planned[decision.planned];
    const command = sent[decision.planned];
    if (!request || !command) {
      return {
        refusal: errors.conflict("Your chain identity is still being issued; try again in a moment."),
        ...(request ? { unenrolled: request.userId } : {}),
      };
    }
    const recorded = !firstOf.has(decision.planned);
    firstOf.add(decision.planned);
    return {
      receipt: { ballotId: request.ballotId, choice: request.choice, txId: command.txId, status: VoteStatus.PENDING },
      recorded,
    };
  });
}
