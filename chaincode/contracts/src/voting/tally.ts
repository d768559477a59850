import type { Ballot, Tally, Vote } from "../api/documents.js";
import { BallotStatus, VoteChoice } from "../api/documents.js";

const BPS = 10_000n;

type Outcome = "APPROVED" | "REJECTED";

/**
 * The ballot's rules as pure arithmetic on integers:
 * - quorum: (approve + reject) / eligible ≥ quorumBps / 10000 (turnout only grows: votes change, never vanish);
 * - approval: approve / (approve + reject) > thresholdBps / 10000, strictly; no votes means not approved;
 * - APPROVED needs both; anything else is REJECTED.
 */
export function outcomeOf(approve: number, reject: number, eligible: number, ballot: Ballot): Outcome {
  return quorumReached(approve + reject, eligible, ballot) && approvalPasses(approve, reject, ballot)
    ? BallotStatus.APPROVED
    : BallotStatus.REJECTED;
}

function quorumReached(turnout: number, eligible: number, ballot: Ballot): boolean {
  return BigInt(turnout) * BPS >= BigInt(ballot.quorumBps) * BigInt(eligible);
}

function approvalPasses(approve: number, reject: number, ballot: Ballot): boolean {
  const cast = approve + reject;
  return cast > 0 && BigInt(approve) * BPS > BigInt(ballot.thresholdBps) * BigInt(cast);
}

/**
 * The outcome when no vote not yet cast could change it: the same whether every remaining
 * eligible member approves or every one rejects. Votes already cast are taken as they stand
 * (early finalization ends the window in which they could change; see decision 0022).
 */
export function decidedOutcome(approve: number, reject: number, eligible: number, ballot: Ballot): Outcome | null {
  const remaining = Math.max(0, eligible - approve - reject);
  const ifAllApprove = outcomeOf(approve + remaining, reject, eligible, ballot);
  const ifAllReject = outcomeOf(approve, reject + remaining, eligible, ballot);
  return ifAllApprove === ifAllReject ? ifAllApprove : null;
}

/** Counts the last vote of each member (one key each, so each member counts once). */
export function tallyVotes(ballot: Ballot, votes: Vote[]): Tally {
  let approve = 0;
  let reject = 0;
  for (const vote of votes) {
    if (vote.choice === VoteChoice.APPROVE) approve += 1;
    else reject += 1;
  }
  const eligible = ballot.eligibleCount;
  const turnout = approve + reject;
  return {
    ballotId: ballot.ballotId,
    approve,
    reject,
    eligible,
    turnoutBps: eligible === 0 ? 0 : Math.floor((turnout * 10_000) / eligible),
    quorumReached: quorumReached(turnout, eligible, ballot),
    leading: outcomeOf(approve, reject, eligible, ballot),
    decided: decidedOutcome(approve, reject, eligible, ballot),
  };
}
