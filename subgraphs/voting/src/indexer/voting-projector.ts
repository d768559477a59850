import { errors, fromSqlTime, type SqlExecutor, sqlTime } from "@clearbook/kit";
import type { ParsedChainEvent, VotingChainEventPayloads } from "./chain-events.js";
import { applyVotes, BALLOT_TALLY_COLUMNS, type BallotTally, type BallotTallyRow } from "./vote-projection.js";
import type { VotingEvent } from "./voting-events.js";

/** Rows per multi-row insert of an electorate (an organization may have thousands of members). */
const VOTER_ROWS_PER_STATEMENT = 1000;

/**
 * Applies chaincode events, in chain order, inside `tx`'s open transaction, with plain statements
 * (the indexer runs per block under a vote burst; docs/performance/0170). Not idempotent by itself:
 * the indexer marks each chain transaction in the same transaction (`projectChainEvents`).
 * Consecutive votes are applied together (`applyVotes`).
 * @returns the domain events to publish once the transaction commits.
 */
export async function applyChainEvents(tx: SqlExecutor, events: readonly ParsedChainEvent[]): Promise<VotingEvent[]> {
  const out: VotingEvent[] = [];
  let votes: Extract<ParsedChainEvent, { name: "VotingVoteCast" }>[] = [];
  const flushVotes = async () => {
    if (votes.length === 0) return;
    for (const ballot of await applyVotes(tx, votes)) out.push(tallyChanged(ballot));
    votes = [];
  };
  for (const event of events) {
    if (event.name === "VotingVoteCast") {
      votes.push(event);
      continue;
    }
    await flushVotes();
    switch (event.name) {
      case "OrgCreated":
        await addMember(tx, event.payload.founder);
        break;
      case "OrgMembershipApproved":
        await addMember(tx, event.payload.member);
        break;
      case "LedgerSpendingProposed":
        await openBallot(tx, event.payload.ballot, event.txId);
        break;
      case "VotingBallotFinalized":
        out.push(...(await closeBallot(tx, event.payload.ballot, event.txId)));
        break;
    }
  }
  await flushVotes();
  return out;
}

type Member = VotingChainEventPayloads["OrgCreated"]["founder"];
type ChainBallot = VotingChainEventPayloads["LedgerSpendingProposed"]["ballot"];

async function addMember(tx: SqlExecutor, member: Member): Promise<void> {
  await tx.run(
    "insert into org_member (org_id, user_id, since) values (?, ?, ?) on duplicate key update since = values(since)",
    [member.orgId, member.userId, sqlTime(member.since)],
  );
}

/** Records the ballot and fixes its electorate: the members the chain had approved by the opening. */
async function openBallot(tx: SqlExecutor, ballot: ChainBallot, txId: string): Promise<void> {
  const members = await tx.rows<{ user_id: string }>("select user_id from org_member where org_id = ? and since <= ?", [
    ballot.orgId,
    sqlTime(ballot.opensAt),
  ]);
  // The chain's count is authoritative for the tally (`eligible`); the snapshot serves eligibility checks.
  await tx.run(
    `insert into ballot (id, org_id, entry_id, opens_at, closes_at, status, quorum_bps, threshold_bps, eligible,
                         approve, reject, tally_updated_at, opened_tx_id, finalize_attempts)
     values (?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, 0, 0, ?, ?, 0)`,
    [
      ballot.ballotId,
      ballot.orgId,
      ballot.entryId,
      sqlTime(ballot.opensAt),
      sqlTime(ballot.closesAt),
      ballot.quorumBps,
      ballot.thresholdBps,
      ballot.eligibleCount,
      sqlTime(ballot.opensAt),
      txId,
    ],
  );
  for (let i = 0; i < members.length; i += VOTER_ROWS_PER_STATEMENT) {
    const chunk = members.slice(i, i + VOTER_ROWS_PER_STATEMENT);
    await tx.run(
      `insert into ballot_voter (ballot_id, user_id) values ${chunk.map(() => "(?, ?)").join(", ")}`,
      chunk.flatMap((m) => [ballot.ballotId, m.user_id]),
    );
  }
}

async function closeBallot(tx: SqlExecutor, chainBallot: ChainBallot, txId: string): Promise<VotingEvent[]> {
  const [row] = await tx.rows<BallotTallyRow>(`select ${BALLOT_TALLY_COLUMNS} from ballot where id = ?`, [
    chainBallot.ballotId,
  ]);
  if (!row)
    throw errors.internal(`finalization ${txId} is for ballot ${chainBallot.ballotId}, which the read model lacks`);
  if (chainBallot.status === "OPEN") return [];
  const ballot: BallotTally = {
    id: row.id,
    orgId: row.org_id,
    eligible: Number(row.eligible),
    approve: chainBallot.finalTally?.approve ?? Number(row.approve),
    reject: chainBallot.finalTally?.reject ?? Number(row.reject),
    tallyUpdatedAt: fromSqlTime(row.tally_updated_at),
  };
  await tx.run(
    `update ballot set status = ?, finalized_at = ?, finalized_tx_id = ?, lease_owner = null, lease_until = null,
                       approve = ?, reject = ?
      where id = ?`,
    [
      chainBallot.status,
      sqlTime(chainBallot.finalizedAt ?? new Date()),
      txId,
      ballot.approve,
      ballot.reject,
      ballot.id,
    ],
  );
  return [
    tallyChanged(ballot),
    { type: "BallotClosed", data: { ballotId: ballot.id, orgId: ballot.orgId, status: chainBallot.status } },
  ];
}

function tallyChanged(ballot: BallotTally): VotingEvent {
  return {
    type: "VoteTallyChanged",
    data: {
      ballotId: ballot.id,
      orgId: ballot.orgId,
      approve: ballot.approve,
      reject: ballot.reject,
      eligible: ballot.eligible,
      updatedAt: ballot.tallyUpdatedAt.toISOString(),
    },
  };
}
