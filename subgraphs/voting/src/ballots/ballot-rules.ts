/**
 * The counting rules of a ballot, as pure functions over counts. They mirror the voting chaincode,
 * which is authoritative: the service uses them to answer reads and to decide when asking the chain
 * to finalize early is worth it; the chain re-checks and refuses when it disagrees.
 */

/** Integer basis points: 10000 = 100 %. */
export const FULL_BPS = 10_000;

export const BallotOutcome = { APPROVED: "APPROVED", REJECTED: "REJECTED" } as const;
export type BallotOutcome = (typeof BallotOutcome)[keyof typeof BallotOutcome];

export interface BallotCounts {
  approve: number;
  reject: number;
  /** Members eligible at opening. */
  eligible: number;
}

export interface BallotRules {
  /** Share of eligible members who must vote, in basis points. */
  quorumBps: number;
  /** Share of cast votes that must approve, in basis points. */
  thresholdBps: number;
}

/** Votes cast as a share of the eligible members, 0…1 (0 when nobody is eligible). */
export function turnout(counts: BallotCounts): number {
  return counts.eligible === 0 ? 0 : (counts.approve + counts.reject) / counts.eligible;
}

/** Integer arithmetic only, so the service and the chaincode never disagree by a rounding. */
export function quorumReached(counts: BallotCounts, rules: BallotRules): boolean {
  return (counts.approve + counts.reject) * FULL_BPS >= rules.quorumBps * counts.eligible;
}

/**
 * What the ballot would decide if it closed with these counts: APPROVED needs the quorum and an
 * approval share strictly above the threshold (so a tie at 50 % rejects); no votes never approve.
 */
export function outcome(counts: BallotCounts, rules: BallotRules): BallotOutcome {
  const cast = counts.approve + counts.reject;
  const approved = cast > 0 && quorumReached(counts, rules) && counts.approve * FULL_BPS > rules.thresholdBps * cast;
  return approved ? BallotOutcome.APPROVED : BallotOutcome.REJECTED;
}

/**
 * The outcome when no member who has not voted yet could change it, else null: the same whether
 * every outstanding member approves or every one rejects. Votes already cast are taken as they
 * stand. This is the chaincode's own test (`FinalizeBallot` refuses an early finalization it does
 * not pass), so the finalizer asks exactly when the chain will agree.
 */
export function decidedOutcome(counts: BallotCounts, rules: BallotRules): BallotOutcome | null {
  const outstanding = Math.max(0, counts.eligible - counts.approve - counts.reject);
  const allApprove = outcome({ ...counts, approve: counts.approve + outstanding }, rules);
  const allReject = outcome({ ...counts, reject: counts.reject + outstanding }, rules);
  return allApprove === allReject ? allApprove : null;
}
