import type {
  Account,
  AccountKind,
  Ballot,
  Burn,
  Escrow,
  LedgerEntry,
  Member,
  MembershipRequest,
  Mint,
  Organization,
  Vote,
} from "../api/documents.js";
import { KeyType } from "./keys.js";

/** Who owns an account (written once when it opens; see KeyType.ACCOUNT_OWNER). */
export interface AccountOwner {
  kind: AccountKind;
  owner: string | null;
}

/** A member's eligibility on a ballot: their membership start, kept for audit. */
export interface Eligibility {
  since: string;
}

export interface TransferRecord {
  transferId: string;
  from: string;
  to: string;
  amount: string;
  at: string;
}

/** The document stored under each kind of key, so reads and writes are typed by the key type. */
export interface StateDocuments {
  [KeyType.ORG]: Organization;
  [KeyType.MEMBER]: Member;
  [KeyType.MEMBERSHIP_REQUEST]: MembershipRequest;
  [KeyType.OPEN_MEMBERSHIP_REQUEST]: string;
  [KeyType.ENTRY]: LedgerEntry;
  [KeyType.ENTRY_BY_ORG]: string;
  [KeyType.BALLOT]: Ballot;
  [KeyType.BALLOT_ELIGIBLE]: Eligibility;
  [KeyType.BALLOT_VOTE]: Vote;
  [KeyType.ACCOUNT]: Account;
  [KeyType.ACCOUNT_OWNER]: AccountOwner;
  [KeyType.ESCROW]: Escrow;
  [KeyType.MINT]: Mint;
  [KeyType.BURN]: Burn;
  [KeyType.TRANSFER]: TransferRecord;
}

// Fields each stored document must carry; a document without them is corrupt state (a bug).
const REQUIRED: { [K in KeyType]: StateDocuments[K] extends string ? null : ReadonlyArray<keyof StateDocuments[K]> } = {
  [KeyType.ORG]: ["orgId", "settings", "treasuryAddress"],
  [KeyType.MEMBER]: ["orgId", "userId", "council", "since"],
  [KeyType.MEMBERSHIP_REQUEST]: ["requestId", "orgId", "userId", "status"],
  [KeyType.OPEN_MEMBERSHIP_REQUEST]: null,
  [KeyType.ENTRY]: ["entryId", "orgId", "kind", "amount", "status", "submittedBy"],
  [KeyType.ENTRY_BY_ORG]: null,
  [KeyType.BALLOT]: ["ballotId", "entryId", "closesAt", "eligibleCount", "quorumBps", "thresholdBps", "status"],
  [KeyType.BALLOT_ELIGIBLE]: ["since"],
  [KeyType.BALLOT_VOTE]: ["ballotId", "userId", "choice"],
  [KeyType.ACCOUNT]: ["address", "kind", "balance"],
  [KeyType.ACCOUNT_OWNER]: ["kind", "owner"],
  [KeyType.ESCROW]: ["orderId", "buyerAddress", "sellerAddress", "buyerUserId", "sellerUserId", "amount", "status"],
  [KeyType.MINT]: ["mintId", "address", "amount"],
  [KeyType.BURN]: ["burnId", "address", "amount"],
  [KeyType.TRANSFER]: ["transferId", "amount"],
};

/**
 * Parses a stored document. State is written only by this chaincode, so this checks shape, not
 * business rules; a mismatch means a bug or a foreign writer and aborts the transaction.
 */
export function parseState<K extends KeyType>(type: K, key: string, bytes: Uint8Array): StateDocuments[K] {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new Error(`corrupt state under ${JSON.stringify(key)}: not JSON`);
  }
  const required = REQUIRED[type] as ReadonlyArray<string> | null;
  if (required === null) {
    if (typeof value !== "string") throw new Error(`corrupt state under ${JSON.stringify(key)}: expected a string`);
  } else if (typeof value !== "object" || value === null || required.some((field) => !(field in value))) {
    throw new Error(`corrupt state under ${JSON.stringify(key)}: expected a ${type} document`);
  }
  return value as StateDocuments[K];
}
