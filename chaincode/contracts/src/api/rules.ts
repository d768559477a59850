/**
 * The pure rules both the chaincode and the services apply, so a service's pre-check and the
 * chain can never disagree: a ballot's counting arithmetic (integers as `bigint`, never a float)
 * and the limits on a ledger entry's fields. No fabric imports, no clock: callers map a problem
 * to their own error (the chaincode to `BAD_USER_INPUT: <field>: …`, a service to its GraphQL
 * error with its own message).
 */

/** Integer basis points: 10000 = 100 %. */
export const FULL_BPS = 10_000;
const BPS = BigInt(FULL_BPS);

export const BallotOutcome = { APPROVED: "APPROVED", REJECTED: "REJECTED" } as const;
export type BallotOutcome = (typeof BallotOutcome)[keyof typeof BallotOutcome];

export interface BallotCounts {
  approve: number;
  reject: number;
  /** Members eligible at opening. */
  eligible: number;
}

export interface BallotThresholds {
  /** Share of eligible members who must vote, in basis points. */
  quorumBps: number;
  /** Share of cast votes that must approve, in basis points. */
  thresholdBps: number;
}

/** (approve + reject) / eligible ≥ quorumBps / 10000, in integers. */
export function quorumReached(counts: BallotCounts, rules: BallotThresholds): boolean {
  return BigInt(counts.approve + counts.reject) * BPS >= BigInt(rules.quorumBps) * BigInt(counts.eligible);
}

/**
 * What the ballot decides if it closes with these counts: APPROVED needs the quorum and an
 * approval share strictly above the threshold (a tie at 50 % rejects); no votes never approve.
 */
export function ballotOutcome(counts: BallotCounts, rules: BallotThresholds): BallotOutcome {
  const cast = counts.approve + counts.reject;
  const approves = cast > 0 && BigInt(counts.approve) * BPS > BigInt(rules.thresholdBps) * BigInt(cast);
  return approves && quorumReached(counts, rules) ? BallotOutcome.APPROVED : BallotOutcome.REJECTED;
}

/**
 * The outcome when no member who has not voted yet could change it (the same whether every one
 * of them approves or every one rejects), else null. Votes already cast are taken as they stand
 * (early finalization ends the window in which they could change; see decision 0022).
 */
export function decidedOutcome(counts: BallotCounts, rules: BallotThresholds): BallotOutcome | null {
  const outstanding = Math.max(0, counts.eligible - counts.approve - counts.reject);
  const ifAllApprove = ballotOutcome({ ...counts, approve: counts.approve + outstanding }, rules);
  const ifAllReject = ballotOutcome({ ...counts, reject: counts.reject + outstanding }, rules);
  return ifAllApprove === ifAllReject ? ifAllApprove : null;
}

/** Votes cast in basis points of the eligible members, rounded down (0 when nobody is eligible). */
export function turnoutBps(counts: BallotCounts): number {
  if (counts.eligible === 0) return 0;
  return Number((BigInt(counts.approve + counts.reject) * BPS) / BigInt(counts.eligible));
}

/** Limits on a ledger entry's descriptive fields (deposits and spending alike). */
export const EntryLimits = {
  eventNameMaxLength: 200,
  yearMin: 2000,
  yearMax: 2100,
  semesterMin: 1,
  semesterMax: 2,
} as const;

/** Why a value breaks a rule; the caller words the message. */
export const RuleProblem = {
  LENGTH: "LENGTH",
  CONTROL_CHARACTERS: "CONTROL_CHARACTERS",
  RANGE: "RANGE",
} as const;
export type RuleProblem = (typeof RuleProblem)[keyof typeof RuleProblem];

export interface EntryFieldProblem {
  field: "eventName" | "year" | "semester";
  problem: RuleProblem;
}

// Control characters are refused in free text (they would confuse read models and logs).
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** Free text as stored: trimmed, 1…maxLength characters, no control characters. */
export function textProblem(value: string, maxLength: number): RuleProblem | null {
  const text = value.trim();
  if (text.length === 0 || text.length > maxLength) return RuleProblem.LENGTH;
  if (CONTROL_CHARACTERS.test(text)) return RuleProblem.CONTROL_CHARACTERS;
  return null;
}

/**
 * The first field of an entry's description that breaks a rule, else null. The event name is
 * checked as it will be stored (trimmed).
 */
export function entryFieldsProblem(input: {
  eventName: string;
  year: number;
  semester: number;
}): EntryFieldProblem | null {
  const name = textProblem(input.eventName, EntryLimits.eventNameMaxLength);
  if (name) return { field: "eventName", problem: name };
  if (!Number.isInteger(input.year) || input.year < EntryLimits.yearMin || input.year > EntryLimits.yearMax) {
    return { field: "year", problem: RuleProblem.RANGE };
  }
  if (
    !Number.isInteger(input.semester) ||
    input.semester < EntryLimits.semesterMin ||
    input.semester > EntryLimits.semesterMax
  ) {
    return { field: "semester", problem: RuleProblem.RANGE };
  }
  return null;
}
