/**
 * Composite key object types, one per kind of state. Every key a hot path writes is specific to
 * one actor (a vote is (ballot, member); a balance is one account), so concurrent transactions
 * never rewrite the same key (Fabric would reject all but one with MVCC_READ_CONFLICT).
 */
export const KeyType = {
  ORG: "org",
  MEMBER: "member",
  MEMBERSHIP_REQUEST: "mreq",
  /** (orgId, userId) → requestId of the user's PENDING request, so a user has one at a time. */
  OPEN_MEMBERSHIP_REQUEST: "mreq~open",
  ENTRY: "entry",
  /** (orgId, entryId) → entryId: lists an organization's entries by range read. */
  ENTRY_BY_ORG: "entry~org",
  BALLOT: "ballot",
  /** (ballotId, userId): the member set at opening, one key each (CastVote reads only its own). */
  BALLOT_ELIGIBLE: "ballot~eligible",
  /** (ballotId, userId): the member's last vote. */
  BALLOT_VOTE: "ballot~vote",
  ACCOUNT: "account",
  /**
   * (address) → { owner, kind }, written once when the account opens. Checks that only need
   * "does it exist, who owns it" read this instead of the balance key, so they do not conflict
   * with concurrent balance changes (a drop's many escrow locks toward one seller).
   */
  ACCOUNT_OWNER: "account~owner",
  ESCROW: "escrow",
  MINT: "mint",
  BURN: "burn",
  TRANSFER: "transfer",
} as const;
export type KeyType = (typeof KeyType)[keyof typeof KeyType];
