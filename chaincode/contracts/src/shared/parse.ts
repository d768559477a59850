import { VoteChoice } from "../api/documents.js";
import { RuleProblem, textProblem } from "../api/rules.js";
import { fail } from "./errors.js";

/**
 * Parsers for transaction arguments: every argument arrives as a string and is checked here
 * before any state is read, so a malformed call fails with BAD_USER_INPUT naming the field.
 */

// Ids come from services (UUIDs, addresses). No NUL or U+10FFFF, which would break composite keys.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,37})$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export const MAX_EVIDENCE_FILES = 32;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value);
}

export function parseId(field: string, value: string): string {
  if (!ID_PATTERN.test(value)) throw fail.badInput(field, "must be 1–128 letters, digits or . _ : @ -");
  return value;
}

/** A wallet address: an id that is not in the treasury namespace `org:`. */
export function parseWalletAddress(field: string, value: string): string {
  const address = parseId(field, value);
  if (address.startsWith("org:")) throw fail.badInput(field, "addresses starting with org: are treasuries");
  return address;
}

/** Free text under the shared rule (`api/rules.ts`): trimmed, 1…maxLength characters, no control characters. */
export function parseText(field: string, value: string, maxLength = 200): string {
  const problem = textProblem(value, maxLength);
  if (problem === RuleProblem.LENGTH) throw fail.badInput(field, `must be 1–${maxLength} characters`);
  if (problem === RuleProblem.CONTROL_CHARACTERS) throw fail.badInput(field, "must not contain control characters");
  return value.trim();
}

/** A strictly positive amount of minor units, written as a canonical decimal integer. */
export function parseAmount(field: string, value: string): bigint {
  if (!AMOUNT_PATTERN.test(value)) throw fail.badInput(field, "must be a decimal integer of minor units");
  const amount = BigInt(value);
  if (amount <= 0n) throw fail.badInput(field, "must be greater than zero");
  return amount;
}

export function parseInteger(field: string, value: string, min: number, max: number): number {
  if (!/^-?[0-9]{1,10}$/.test(value)) throw fail.badInput(field, "must be a decimal integer");
  const n = Number(value);
  if (n < min || n > max) throw fail.badInput(field, `must be between ${min} and ${max}`);
  return n;
}

/** A JSON array of distinct lowercase hex SHA-256 digests. */
export function parseEvidence(field: string, value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw fail.badInput(field, "must be a JSON array of SHA-256 hex digests");
  }
  if (!Array.isArray(parsed)) throw fail.badInput(field, "must be a JSON array of SHA-256 hex digests");
  if (parsed.length > MAX_EVIDENCE_FILES) throw fail.badInput(field, `at most ${MAX_EVIDENCE_FILES} files`);
  const hashes: string[] = [];
  for (const item of parsed) {
    if (typeof item !== "string" || !SHA256_PATTERN.test(item)) {
      throw fail.badInput(field, "each item must be a lowercase hex SHA-256 digest");
    }
    if (hashes.includes(item)) throw fail.badInput(field, `digest ${item} is listed twice`);
    hashes.push(item);
  }
  return hashes;
}

export function parseVoteChoice(field: string, value: string): VoteChoice {
  if (value === VoteChoice.APPROVE || value === VoteChoice.REJECT) return value;
  throw fail.badInput(field, "must be APPROVE or REJECT");
}

/** Balances in state are written by this chaincode only; a bad one is a bug, not user input. */
export function parseStoredAmount(value: string): bigint {
  if (!AMOUNT_PATTERN.test(value)) throw new Error(`corrupt amount in state: ${value}`);
  return BigInt(value);
}
