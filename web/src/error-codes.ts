import type { CombinedError } from "urql";

/** The API's error codes (the kit's registry); each has a message in both languages (test/i18n.test.ts). */
export const ERROR_CODES = [
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "CONFLICT",
  "INSUFFICIENT_FUNDS",
  "SOLD_OUT",
  "BALLOT_CLOSED",
  "ALREADY_VOTED",
  "RATE_LIMITED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_REQUIRED",
  "INTERNAL_SERVER_ERROR",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The `extensions.code` of the first GraphQL error (a network failure counts as INTERNAL_SERVER_ERROR). */
export function errorCode(error: CombinedError | undefined | null): ErrorCode | null {
  if (!error) return null;
  const code = error.graphQLErrors[0]?.extensions?.code;
  return (ERROR_CODES as readonly unknown[]).includes(code) ? (code as ErrorCode) : "INTERNAL_SERVER_ERROR";
}
