import type {
  Account,
  BallotFinalization,
  BurnResult,
  DepositDecision,
  EscrowResult,
  LedgerEntry,
  Member,
  MembershipApproval,
  MembershipRequest,
  MintResult,
  Organization,
  OrganizationCreation,
  SpendingPayout,
  SpendingProposal,
  Transfer,
  VoteCast,
} from "./documents.js";

/**
 * Chaincode event names, `<Domain><Change>`. Fabric keeps one event per transaction, so every
 * state-changing transaction emits exactly one, whose JSON payload carries everything that
 * changed (ids and new state): an indexer builds its read models from events alone.
 */
export const EventName = {
  OrgCreated: "OrgCreated",
  OrgMembershipRequested: "OrgMembershipRequested",
  OrgMembershipApproved: "OrgMembershipApproved",
  OrgCouncilGranted: "OrgCouncilGranted",
  OrgCouncilRevoked: "OrgCouncilRevoked",
  OrgSettingsUpdated: "OrgSettingsUpdated",
  LedgerDepositSubmitted: "LedgerDepositSubmitted",
  LedgerDepositApproved: "LedgerDepositApproved",
  LedgerDepositRejected: "LedgerDepositRejected",
  /** Also the opening of the spending's ballot (payload has both). */
  LedgerSpendingProposed: "LedgerSpendingProposed",
  VotingVoteCast: "VotingVoteCast",
  /** Also the entry's move to APPROVED or REJECTED (payload has both). */
  VotingBallotFinalized: "VotingBallotFinalized",
  TokenAccountOpened: "TokenAccountOpened",
  TokenMinted: "TokenMinted",
  TokenTransferred: "TokenTransferred",
  TokenEscrowLocked: "TokenEscrowLocked",
  TokenEscrowReleased: "TokenEscrowReleased",
  TokenEscrowRefunded: "TokenEscrowRefunded",
  TokenBurned: "TokenBurned",
  /** Also the entry's move to PAID (payload has both). */
  TokenSpendingPaid: "TokenSpendingPaid",
} as const;
export type EventName = (typeof EventName)[keyof typeof EventName];

/** Event name → JSON payload. */
export interface EventPayloads {
  OrgCreated: OrganizationCreation;
  OrgMembershipRequested: { request: MembershipRequest };
  OrgMembershipApproved: MembershipApproval;
  OrgCouncilGranted: { member: Member };
  OrgCouncilRevoked: { member: Member };
  OrgSettingsUpdated: { organization: Organization };
  LedgerDepositSubmitted: { entry: LedgerEntry };
  LedgerDepositApproved: DepositDecision;
  LedgerDepositRejected: DepositDecision;
  LedgerSpendingProposed: SpendingProposal;
  VotingVoteCast: VoteCast;
  VotingBallotFinalized: BallotFinalization;
  TokenAccountOpened: { account: Account };
  TokenMinted: MintResult;
  TokenTransferred: Transfer;
  TokenEscrowLocked: EscrowResult;
  TokenEscrowReleased: EscrowResult;
  TokenEscrowRefunded: EscrowResult;
  TokenBurned: BurnResult;
  TokenSpendingPaid: SpendingPayout;
}

/** A decoded chaincode event, discriminated by name. */
export type ChainEvent = { [N in EventName]: { name: N; payload: EventPayloads[N] } }[EventName];
