/**
 * Documents the chaincode stores and returns. Wire conventions:
 * - every transaction argument is a string (Fabric arguments are bytes); integers such as `year`
 *   travel as decimal strings, lists (evidence hashes) as a JSON array string;
 * - every result is one JSON document (UTF-8, sorted keys);
 * - amounts are decimal strings of non-negative integers (minor units), parsed to `bigint`;
 * - times are ISO-8601 UTC strings taken from the transaction timestamp;
 * - an error is a chaincode error whose message is `"<CODE>: human message"` (see `ChainErrorCode`).
 */

/** Integer basis points: 10000 = 100 %. */
export interface OrgSettings {
  ballotDurationSeconds: number;
  quorumBps: number;
  thresholdBps: number;
}

export interface Organization {
  orgId: string;
  name: string;
  founderId: string;
  treasuryAddress: string;
  settings: OrgSettings;
  createdAt: string;
}

export interface Member {
  orgId: string;
  userId: string;
  council: boolean;
  /** When the member was approved; ballots opened before this do not count them. */
  since: string;
  /** The membership request that admitted them; null for the founder. */
  requestId: string | null;
}

export const MembershipRequestStatus = { PENDING: "PENDING", APPROVED: "APPROVED" } as const;
export type MembershipRequestStatus = (typeof MembershipRequestStatus)[keyof typeof MembershipRequestStatus];

export interface MembershipRequest {
  requestId: string;
  orgId: string;
  userId: string;
  status: MembershipRequestStatus;
  requestedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export const EntryKind = { DEPOSIT: "DEPOSIT", SPENDING: "SPENDING" } as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

/** Deposits: PENDING → APPROVED | REJECTED. Spending: VOTING → APPROVED | REJECTED, APPROVED → PAID. */
export const EntryStatus = {
  PENDING: "PENDING",
  VOTING: "VOTING",
  APPROVED: "APPROVED",
  REJECTED: "REJECTED",
  PAID: "PAID",
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

export interface LedgerEntry {
  entryId: string;
  orgId: string;
  kind: EntryKind;
  eventName: string;
  year: number;
  semester: number;
  amount: string;
  /** SHA-256 (lowercase hex) of each evidence file. */
  evidence: string[];
  /** Spending only: where the money goes. */
  payeeAddress: string | null;
  /** Spending only: the ballot that decides it. */
  ballotId: string | null;
  status: EntryStatus;
  submittedBy: string;
  decidedBy: string | null;
  reason: string | null;
  createdAt: string;
  decidedAt: string | null;
  paidAt: string | null;
}

export const BallotStatus = { OPEN: "OPEN", APPROVED: "APPROVED", REJECTED: "REJECTED" } as const;
export type BallotStatus = (typeof BallotStatus)[keyof typeof BallotStatus];

export const VoteChoice = { APPROVE: "APPROVE", REJECT: "REJECT" } as const;
export type VoteChoice = (typeof VoteChoice)[keyof typeof VoteChoice];

export interface Ballot {
  ballotId: string;
  orgId: string;
  entryId: string;
  opensAt: string;
  closesAt: string;
  /** Number of members eligible at opening (one `ballot~eligible` key each). */
  eligibleCount: number;
  quorumBps: number;
  thresholdBps: number;
  status: BallotStatus;
  finalizedAt: string | null;
  finalizedBy: string | null;
  /** The tally counted at finalization; null while open. */
  finalTally: { approve: number; reject: number } | null;
}

export interface Tally {
  ballotId: string;
  approve: number;
  reject: number;
  eligible: number;
  /** approve + reject, in basis points of eligible. */
  turnoutBps: number;
  quorumReached: boolean;
  /** The outcome if the ballot closed now. */
  leading: "APPROVED" | "REJECTED";
  /** Set when no vote not yet cast could change the outcome (the ballot may be finalized early). */
  decided: "APPROVED" | "REJECTED" | null;
}

export interface BallotView {
  ballot: Ballot;
  tally: Tally;
}

export interface Vote {
  ballotId: string;
  userId: string;
  choice: VoteChoice;
  castAt: string;
  txId: string;
}

export const AccountKind = { WALLET: "WALLET", TREASURY: "TREASURY" } as const;
export type AccountKind = (typeof AccountKind)[keyof typeof AccountKind];

export interface Account {
  address: string;
  kind: AccountKind;
  /** Wallets: the user who opened it. Treasuries: null (the org's council acts for it). */
  owner: string | null;
  /** Treasuries only. */
  orgId: string | null;
  balance: string;
  openedAt: string;
}

export const EscrowStatus = { LOCKED: "LOCKED", RELEASED: "RELEASED", REFUNDED: "REFUNDED" } as const;
export type EscrowStatus = (typeof EscrowStatus)[keyof typeof EscrowStatus];

export interface Escrow {
  orderId: string;
  buyerAddress: string;
  /** Owners at locking (owners never change), so settling reads neither wallet's balance key. */
  buyerUserId: string;
  sellerUserId: string;
  sellerAddress: string;
  amount: string;
  status: EscrowStatus;
  lockedAt: string;
  settledAt: string | null;
  settledBy: string | null;
}

export const MintKind = { TOP_UP: "TOP_UP", DEPOSIT: "DEPOSIT" } as const;
export type MintKind = (typeof MintKind)[keyof typeof MintKind];

/** Money entering the chain: an approved top-up, or an approved deposit into a treasury. */
export interface Mint {
  mintId: string;
  kind: MintKind;
  address: string;
  amount: string;
  approvedBy: string;
  at: string;
}

export const BurnKind = { WITHDRAWAL: "WITHDRAWAL", SPENDING_PAYOUT: "SPENDING_PAYOUT" } as const;
export type BurnKind = (typeof BurnKind)[keyof typeof BurnKind];

/** Money leaving the chain: a wallet withdrawal, or a spending payout to an off-chain payee. */
export interface Burn {
  burnId: string;
  kind: BurnKind;
  address: string;
  toAddress: string;
  amount: string;
  burnedBy: string;
  at: string;
}

export interface Transfer {
  transferId: string;
  from: Account;
  to: Account;
  amount: string;
}

export interface EscrowResult {
  escrow: Escrow;
  /** The accounts whose balance changed (buyer on lock/refund, seller on release). */
  account: Account;
}

export interface SpendingPayout {
  entry: LedgerEntry;
  treasury: Account;
  /** The payee's account when the payee address is an account on the chain (a transfer); else null. */
  payee: Account | null;
  /** The burn record when the payee is off-chain; else null. */
  burn: Burn | null;
}

export interface Supply {
  minted: string;
  burned: string;
  /** minted − burned = sum of balances + escrowed (LOCKED). */
  outstanding: string;
  escrowed: string;
}

export interface BurnResult {
  burn: Burn;
  account: Account;
}

export interface MintResult {
  mint: Mint;
  account: Account;
}

export interface DepositDecision {
  entry: LedgerEntry;
  /** The treasury after an approval; null after a rejection. */
  treasury: Account | null;
  /** The mint record an approval adds (the deposit enters the chain); null after a rejection. */
  mint: Mint | null;
}

export interface MembershipApproval {
  request: MembershipRequest;
  member: Member;
}

export interface OrganizationCreation {
  organization: Organization;
  treasury: Account;
  founder: Member;
}

export interface SpendingProposal {
  entry: LedgerEntry;
  ballot: Ballot;
}

export interface BallotFinalization {
  ballot: Ballot;
  tally: Tally;
  entry: LedgerEntry;
}

export interface VoteCast {
  vote: Vote;
  /** The caller's previous choice on this ballot, if any (the indexer adjusts its live tally). */
  previous: VoteChoice | null;
}
