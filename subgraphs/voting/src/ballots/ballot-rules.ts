/**
 * The counting rules of a ballot. The arithmetic lives once, in `@clearbook/contracts/api`
 * (the same functions the voting chaincode runs), so the service's reads and its decision to ask
 * for an early finalization can never disagree with the chain; the chain still re-checks.
 */
import {
  type BallotCounts,
  BallotOutcome,
  type BallotThresholds,
  ballotOutcome,
  decidedOutcome,
  FULL_BPS,
  quorumReached,
} from "@clearbook/contracts/api";

export type { BallotCounts };
export { BallotOutcome, decidedOutcome, FULL_BPS, quorumReached };
export type BallotRules = BallotThresholds;

/** Votes cast as a share of the eligible members, 0…1 (0 when nobody is eligible). */
export function turnout(counts: BallotCounts): number {
  return counts.eligible === 0 ? 0 : (counts.approve + counts.reject) / counts.eligible;
}

/**
 * What the ballot would decide if it closed with these counts: APPROVED needs the quorum and an
 * approval share strictly above the threshold (so a tie at 50 % rejects); no votes never approve.
 */
export function outcome(counts: BallotCounts, rules: BallotRules): BallotOutcome {
  return ballotOutcome(counts, rules);
}
