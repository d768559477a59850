import type { Ballot, Tally, Vote } from "../api/documents.js";
import { VoteChoice } from "../api/documents.js";
import type { BallotOutcome } from "../api/rules.js";
import { ballotOutcome, decidedOutcome as decided, quorumReached, turnoutBps } from "../api/rules.js";

/** The ballot's rules (`api/rules.ts`, shared with the services) applied to a stored ballot. */
export function outcomeOf(approve: number, reject: number, eligible: number, ballot: Ballot): BallotOutcome {
  return ballotOutcome({ approve, reject, eligible }, ballot);
}

/** The outcome when no vote not yet cast could change it, else null (see `api/rules.ts`). */
export function decidedOutcome(
  approve: number,
  reject: number,
  eligible: number,
  ballot: Ballot,
): BallotOutcome | null {
  return decided({ approve, reject, eligible }, ballot);
}

/** Counts the last vote of each member (one key each, so each member counts once). */
export function tallyVotes(ballot: Ballot, votes: Vote[]): Tally {
  let approve = 0;
  let reject = 0;
  for (const vote of votes) {
    if (vote.choice === VoteChoice.APPROVE) approve += 1;
    else reject += 1;
  }
  const counts = { approve, reject, eligible: ballot.eligibleCount };
  return {
    ballotId: ballot.ballotId,
    approve,
    reject,
    eligible: counts.eligible,
    turnoutBps: turnoutBps(counts),
    quorumReached: quorumReached(counts, ballot),
    leading: ballotOutcome(counts, ballot),
    decided: decided(counts, ballot),
  };
}
