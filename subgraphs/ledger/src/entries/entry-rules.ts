import { errors } from "@clearbook/kit";

export const EntryKind = { DEPOSIT: "DEPOSIT", SPENDING: "SPENDING" } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export const EntryStatus = {
  PENDING: "PENDING",
  VOTING: "VOTING",
  APPROVED: "APPROVED",
  REJECTED: "REJECTED",
  PAID: "PAID",
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

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

/** @throws BAD_USER_INPUT for a bad event name, year or semester. */
export function checkEntryFields(input: { eventName: string; year: number; semester: number }): string {
  const eventName = input.eventName.trim();
  if (eventName.length < 1 || eventName.length > 200) {
    throw errors.badInput("The event name must have 1 to 200 characters.", "eventName");
  }
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) {
    throw errors.badInput("The year must be between 2000 and 2100.", "year");
  }
  if (input.semester !== 1 && input.semester !== 2) throw errors.badInput("The semester must be 1 or 2.", "semester");
  return eventName;
}

/** @throws BAD_USER_INPUT for an empty or overlong idempotency key. */
export function checkIdempotencyKey(key: string): string {
  if (key.length < 1 || key.length > 100)
    throw errors.badInput("The idempotency key must have 1 to 100 characters.", "idempotencyKey");
  return key;
}
