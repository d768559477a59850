import type {
  Account,
  BallotFinalization,
  BallotView,
  Burn,
  BurnResult,
  DepositDecision,
  Escrow,
  EscrowResult,
  LedgerEntry,
  Member,
  MembershipApproval,
  MembershipRequest,
  Mint,
  MintResult,
  Organization,
  OrganizationCreation,
  SpendingPayout,
  SpendingProposal,
  Supply,
  Transfer,
  Vote,
  VoteCast,
} from "./documents.js";

/** Contract names: the namespace before `:` in a transaction name. */
export const ContractName = { ORG: "org", LEDGER: "ledger", VOTING: "voting", TOKEN: "token" } as const;
export type ContractName = (typeof ContractName)[keyof typeof ContractName];

/**
 * Every transaction: its argument tuple (all strings), its result document and whether it is
 * submitted (changes state) or only evaluated. Who may call each, and its errors: README.md.
 */
export interface Transactions {
  "org:CreateOrganization": {
    args: [orgId: string, name: string, founderUserId: string];
    result: OrganizationCreation;
    submit: true;
  };
  "org:RequestMembership": { args: [requestId: string, orgId: string]; result: MembershipRequest; submit: true };
  "org:ApproveMembership": { args: [requestId: string]; result: MembershipApproval; submit: true };
  "org:GrantCouncil": { args: [orgId: string, userId: string]; result: Member; submit: true };
  "org:RevokeCouncil": { args: [orgId: string, userId: string]; result: Member; submit: true };
  "org:UpdateSettings": {
    args: [orgId: string, ballotDurationSeconds: string, quorumBps: string, thresholdBps: string];
    result: Organization;
    submit: true;
  };
  "org:GetOrganization": { args: [orgId: string]; result: Organization; submit: false };
  "org:ListOrganizations": { args: []; result: Organization[]; submit: false };
  "org:GetMember": { args: [orgId: string, userId: string]; result: Member | null; submit: false };
  "org:GetMembers": { args: [orgId: string]; result: Member[]; submit: false };
  "org:GetMembershipRequest": { args: [requestId: string]; result: MembershipRequest; submit: false };

  "ledger:SubmitDeposit": {
    args: [
      entryId: string,
      orgId: string,
      eventName: string,
      year: string,
      semester: string,
      amount: string,
      evidenceSha256Json: string,
    ];
    result: LedgerEntry;
    submit: true;
  };
  "ledger:ApproveDeposit": { args: [entryId: string]; result: DepositDecision; submit: true };
  "ledger:RejectDeposit": { args: [entryId: string, reason: string]; result: DepositDecision; submit: true };
  "ledger:ProposeSpending": {
    args: [
      entryId: string,
      ballotId: string,
      orgId: string,
      eventName: string,
      year: string,
      semester: string,
      amount: string,
      payeeAddress: string,
      evidenceSha256Json: string,
    ];
    result: SpendingProposal;
    submit: true;
  };
  "ledger:GetEntry": { args: [entryId: string]; result: LedgerEntry; submit: false };
  "ledger:ListEntries": { args: [orgId: string]; result: LedgerEntry[]; submit: false };

  "voting:CastVote": { args: [ballotId: string, choice: string]; result: VoteCast; submit: true };
  "voting:FinalizeBallot": { args: [ballotId: string]; result: BallotFinalization; submit: true };
  "voting:GetBallot": { args: [ballotId: string]; result: BallotView; submit: false };
  "voting:GetVote": { args: [ballotId: string, userId: string]; result: Vote | null; submit: false };
  "voting:GetVotes": { args: [ballotId: string]; result: Vote[]; submit: false };

  "token:OpenAccount": { args: [address: string]; result: Account; submit: true };
  "token:Mint": { args: [mintId: string, address: string, amount: string]; result: MintResult; submit: true };
  "token:Transfer": {
    args: [transferId: string, fromAddress: string, toAddress: string, amount: string];
    result: Transfer;
    submit: true;
  };
  "token:LockEscrow": {
    args: [orderId: string, buyerAddress: string, sellerAddress: string, amount: string];
    result: EscrowResult;
    submit: true;
  };
  "token:ReleaseEscrow": { args: [orderId: string]; result: EscrowResult; submit: true };
  "token:RefundEscrow": { args: [orderId: string]; result: EscrowResult; submit: true };
  "token:BurnForWithdrawal": {
    args: [withdrawalId: string, address: string, amount: string, toAddress: string];
    result: BurnResult;
    submit: true;
  };
  "token:PayoutSpending": { args: [entryId: string]; result: SpendingPayout; submit: true };
  "token:GetAccount": { args: [address: string]; result: Account; submit: false };
  "token:GetTreasury": { args: [orgId: string]; result: Account; submit: false };
  "token:GetEscrow": { args: [orderId: string]; result: Escrow; submit: false };
  "token:GetMint": { args: [mintId: string]; result: Mint; submit: false };
  "token:GetBurn": { args: [burnId: string]; result: Burn; submit: false };
  "token:GetSupply": { args: []; result: Supply; submit: false };
}

export type TransactionName = keyof Transactions;
export type TransactionArgs<N extends TransactionName> = Transactions[N]["args"];
export type TransactionResult<N extends TransactionName> = Transactions[N]["result"];
export type SubmitTransactionName = {
  [N in TransactionName]: Transactions[N]["submit"] extends true ? N : never;
}[TransactionName];
export type EvaluateTransactionName = Exclude<TransactionName, SubmitTransactionName>;

/** One name per argument, so the table cannot drift from the tuple's length. */
type ArgNames<T extends readonly string[]> = { readonly [K in keyof T]: string };
type TransactionSpec<N extends TransactionName> = {
  readonly submit: Transactions[N]["submit"];
  readonly args: ArgNames<TransactionArgs<N>>;
};

/** Run-time table of every transaction: submit or evaluate, and argument names in order. */
export const TRANSACTIONS = {
  "org:CreateOrganization": { submit: true, args: ["orgId", "name", "founderUserId"] },
  "org:RequestMembership": { submit: true, args: ["requestId", "orgId"] },
  "org:ApproveMembership": { submit: true, args: ["requestId"] },
  "org:GrantCouncil": { submit: true, args: ["orgId", "userId"] },
  "org:RevokeCouncil": { submit: true, args: ["orgId", "userId"] },
  "org:UpdateSettings": { submit: true, args: ["orgId", "ballotDurationSeconds", "quorumBps", "thresholdBps"] },
  "org:GetOrganization": { submit: false, args: ["orgId"] },
  "org:ListOrganizations": { submit: false, args: [] },
  "org:GetMember": { submit: false, args: ["orgId", "userId"] },
  "org:GetMembers": { submit: false, args: ["orgId"] },
  "org:GetMembershipRequest": { submit: false, args: ["requestId"] },
  "ledger:SubmitDeposit": {
    submit: true,
    args: ["entryId", "orgId", "eventName", "year", "semester", "amount", "evidenceSha256Json"],
  },
  "ledger:ApproveDeposit": { submit: true, args: ["entryId"] },
  "ledger:RejectDeposit": { submit: true, args: ["entryId", "reason"] },
  "ledger:ProposeSpending": {
    submit: true,
    args: [
      "entryId",
      "ballotId",
      "orgId",
      "eventName",
      "year",
      "semester",
      "amount",
      "payeeAddress",
      "evidenceSha256Json",
    ],
  },
  "ledger:GetEntry": { submit: false, args: ["entryId"] },
  "ledger:ListEntries": { submit: false, args: ["orgId"] },
  "voting:CastVote": { submit: true, args: ["ballotId", "choice"] },
  "voting:FinalizeBallot": { submit: true, args: ["ballotId"] },
  "voting:GetBallot": { submit: false, args: ["ballotId"] },
  "voting:GetVote": { submit: false, args: ["ballotId", "userId"] },
  "voting:GetVotes": { submit: false, args: ["ballotId"] },
  "token:OpenAccount": { submit: true, args: ["address"] },
  "token:Mint": { submit: true, args: ["mintId", "address", "amount"] },
  "token:Transfer": { submit: true, args: ["transferId", "fromAddress", "toAddress", "amount"] },
  "token:LockEscrow": { submit: true, args: ["orderId", "buyerAddress", "sellerAddress", "amount"] },
  "token:ReleaseEscrow": { submit: true, args: ["orderId"] },
  "token:RefundEscrow": { submit: true, args: ["orderId"] },
  "token:BurnForWithdrawal": { submit: true, args: ["withdrawalId", "address", "amount", "toAddress"] },
  "token:PayoutSpending": { submit: true, args: ["entryId"] },
  "token:GetAccount": { submit: false, args: ["address"] },
  "token:GetTreasury": { submit: false, args: ["orgId"] },
  "token:GetEscrow": { submit: false, args: ["orderId"] },
  "token:GetMint": { submit: false, args: ["mintId"] },
  "token:GetBurn": { submit: false, args: ["burnId"] },
  "token:GetSupply": { submit: false, args: [] },
} as const satisfies { [N in TransactionName]: TransactionSpec<N> };

/** The mint record of an approved deposit (the `deposit:` prefix is refused for top-up ids). */
export function depositMintId(entryId: string): string {
  return `deposit:${entryId}`;
}

/** The burn record of a spending payout to an off-chain payee (`spending:` is refused for withdrawal ids). */
export function spendingBurnId(entryId: string): string {
  return `spending:${entryId}`;
}

/** The treasury account address of an organization (derived, never chosen by a caller). */
export function treasuryAddress(orgId: string): string {
  return `org:${orgId}`;
}
