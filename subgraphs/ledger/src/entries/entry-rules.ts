import { EntryKind, EntryLimits, EntryStatus, entryFieldsProblem, RuleProblem } from "@clearbook/contracts/api";
import { errors } from "@clearbook/kit";

/** The chain's own kinds and statuses (`@clearbook/contracts/api`), so the read model never drifts. */
export { EntryKind, EntryStatus };

/** What an activity row records. */
export const EntryAction = {
  SUBMITTED: "SUBMITTED",
  PROPOSED: "PROPOSED",
  APPROVAL_REQUESTED: "APPROVAL_REQUESTED",
  REJECTION_REQUESTED: "REJECTION_REQUESTED",
  RECORDED: "RECORDED",
  APPROVED: "APPROVED",
  REJECTED: "REJECTED",
  VOTING_OPENED: "VOTING_OPENED",
  PAID: "PAID",
  TX_FAILED: "TX_FAILED",
} as const;
export type EntryAction = (typeof EntryAction)[keyof typeof EntryAction];

/** Spending that still claims treasury money. */
export const OPEN_SPENDING: EntryStatus[] = [EntryStatus.PENDING, EntryStatus.VOTING, EntryStatus.APPROVED];

/**
 * The chaincode's own rule (`entryFieldsProblem` from `@clearbook/contracts/api`), worded for users.
 * @returns the event name as stored (trimmed).
 * @throws BAD_USER_INPUT for a bad event name, year or semester.
 */
export function checkEntryFields(input: { eventName: string; year: number; semester: number }): string {
  const found = entryFieldsProblem(input);
  if (found?.field === "eventName") {
    throw errors.badInput(
      found.problem === RuleProblem.CONTROL_CHARACTERS
        ? "The event name must not contain control characters."
        : `The event name must have 1 to ${EntryLimits.eventNameMaxLength} characters.`,
      "eventName",
    );
  }
  if (found?.field === "year") {
    throw errors.badInput(`The year must be between ${EntryLimits.yearMin} and ${EntryLimits.yearMax}.`, "year");
  }
  if (found?.field === "semester") {
    throw errors.badInput(`The semester must be ${EntryLimits.semesterMin} or ${EntryLimits.semesterMax}.`, "semester");
  }
  return input.eventName.trim();
}

/** @throws BAD_USER_INPUT for an empty or overlong idempotency key. */
export function checkIdempotencyKey(key: string): string {
  if (key.length < 1 || key.length > 100)
    throw errors.badInput("The idempotency key must have 1 to 100 characters.", "idempotencyKey");
  return key;
}
