/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A ballot is OPEN until it closes, then finalized once on the chain as APPROVED or REJECTED. */
export type BallotStatus =
  /** Quorum reached and more than the threshold approved: the spending is approved. */
  | 'APPROVED'
  /** Members may vote (until `closesAt`). */
  | 'OPEN'
  /** Quorum missed or the threshold not met: the spending is rejected. */
  | 'REJECTED';

/** Money received, with its receipts. */
export type DepositInput = {
  /** Integer minor units as a decimal string, more than 0, e.g. "12500". */
  amount: string;
  /** What the money is for, as members will read it; 1 to 200 characters. */
  eventName: string;
  /** Up to 20 of your own uploads (see `createEvidenceUpload`), each attached to one entry only. */
  evidenceIds: Array<string | number>;
  /** Your key for this write (e.g. a UUID): sending the same key again returns the first result and changes nothing. */
  idempotencyKey: string;
  /** The organization whose treasury receives the money. */
  orgId: string | number;
  /** Semester the entry belongs to (1 or 2). */
  semester: number;
  /** Academic year the entry belongs to, 2000 to 2100. */
  year: number;
};

/** Narrows an organization's entries; every field set must match. */
export type EntryFilter = {
  /** Only deposits or only spending. */
  kind?: EntryKind | null | undefined;
  /** Only entries of this semester (1 or 2). */
  semester?: number | null | undefined;
  /** Only entries in this status. */
  status?: EntryStatus | null | undefined;
  /** Only entries of this academic year. */
  year?: number | null | undefined;
};

/** Money in or money out. */
export type EntryKind =
  /** Money received by the treasury, decided by the council. */
  | 'DEPOSIT'
  /** Money paid out of the treasury, decided by a ballot of the members. */
  | 'SPENDING';

/** Where an entry (or a membership request) is in its life. A write returns PENDING at once; follow it with `ledgerEntryChanged(orgId)` or `transactionConfirmed(txId)`, or poll `ledgerEntry(id)`. */
export type EntryStatus =
  /** The chain committed the approval; the money is in the treasury balance. */
  | 'APPROVED'
  /** Approved spending that has been paid out. */
  | 'PAID'
  /** Recorded and submitted to the chain, or waiting for a decision; not yet final. */
  | 'PENDING'
  /** Rejected by the council or the ballot, or refused by the chain (see `reason`). */
  | 'REJECTED'
  /** Spending whose ballot is open. */
  | 'VOTING';

/** A receipt file you are about to upload. */
export type EvidenceUploadInput = {
  /** application/pdf, image/png, image/jpeg, image/webp, text/plain or text/csv. */
  contentType: string;
  /** A plain file name, without slashes. */
  fileName: string;
  /** SHA-256 of the file, 64 lowercase hex digits; the upload must match it. */
  sha256: string;
  /** Size in bytes; the upload must have exactly this size. */
  size: number;
};

/** What a member may do in one organization. */
export type Role =
  /** A platform operator: creates organizations. Not an organization role. */
  | 'ADMIN'
  /** A member who also decides on deposits, proposes spending and grants the council role. */
  | 'COUNCIL'
  /** Submits deposits, votes on spending, approves membership requests. */
  | 'MEMBER';

/** A new account. */
export type SignUpInput = {
  /** Shown to other members; 1 to 120 characters. */
  displayName: string;
  /** Unique; at most 254 characters. */
  email: string;
  /** 10 to 256 characters. */
  password: string;
};

/** Money to pay out, with its quotes or invoices. */
export type SpendingInput = {
  /** Integer minor units as a decimal string, more than 0, e.g. "12500". */
  amount: string;
  /** What the money is for, as members will read it; 1 to 200 characters. */
  eventName: string;
  /** Up to 20 of your own uploads (see `createEvidenceUpload`), each attached to one entry only. */
  evidenceIds: Array<string | number>;
  /** Your key for this write (e.g. a UUID): sending the same key again returns the first result and changes nothing. */
  idempotencyKey: string;
  /** The organization whose treasury receives the money. */
  orgId: string | number;
  /** Where the money goes (the payee's account or wallet address). */
  payeeAddress: string;
  /** Semester the entry belongs to (1 or 2). */
  semester: number;
  /** Academic year the entry belongs to, 2000 to 2100. */
  year: number;
};

/** The state of a blockchain transaction. */
export type TxStatus =
  /** In a block and valid: its changes are final. */
  | 'COMMITTED'
  /** Submitted (or about to be); no block holds it yet. */
  | 'PENDING'
  /** In a block but invalid (see `validationCode`): nothing changed. */
  | 'REJECTED';

/** A member's vote on a spending entry. */
export type VoteChoice =
  /** For paying the money out. */
  | 'APPROVE'
  /** Against paying the money out. */
  | 'REJECT';

export type WebOrganizationsQueryVariables = Exact<{ [key: string]: never; }>;


export type WebOrganizationsQuery = { __typename: 'Query', organizations: Array<{ __typename: 'Organization', id: string, name: string, treasuryBalance: string }> };

export type WebMeQueryVariables = Exact<{ [key: string]: never; }>;


export type WebMeQuery = { __typename: 'Query', me: { __typename: 'User', id: string, displayName: string, memberships: Array<{ __typename: 'Membership', roles: Array<Role>, since: string, organization: { __typename: 'Organization', id: string, name: string } }> } | null };

export type WebOrganizationBooksQueryVariables = Exact<{
  orgId: string | number;
  filter?: EntryFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type WebOrganizationBooksQuery = { __typename: 'Query', organization: { __typename: 'Organization', id: string, name: string, treasuryBalance: string, entries: { __typename: 'LedgerEntryConnection', totalCount: number, pageInfo: { __typename: 'PageInfo', hasNextPage: boolean, endCursor: string | null }, edges: Array<{ __typename: 'LedgerEntryEdge', node: { __typename: 'LedgerEntry', id: string, kind: EntryKind, eventName: string, year: number, semester: number, amount: string, status: EntryStatus, reason: string | null, createdAt: string, submittedBy: { __typename: 'User', id: string, displayName: string }, evidence: Array<{ __typename: 'Evidence', id: string, fileName: string, sha256: string, url: string }>, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null, ballot: { __typename: 'Ballot', id: string, status: BallotStatus, closesAt: string } | null } }> } } | null };

export type WebOpenBallotsQueryVariables = Exact<{
  orgId: string | number;
}>;


export type WebOpenBallotsQuery = { __typename: 'Query', organization: { __typename: 'Organization', id: string, ballots: Array<{ __typename: 'Ballot', id: string, status: BallotStatus, closesAt: string, entry: { __typename: 'LedgerEntry', id: string, eventName: string, amount: string }, tally: { __typename: 'VoteTally', ballotId: string, approve: number, reject: number, eligible: number, turnout: number, quorumReached: boolean, updatedAt: string } }> } | null };

export type WebLedgerEntryQueryVariables = Exact<{
  id: string | number;
}>;


export type WebLedgerEntryQuery = { __typename: 'Query', ledgerEntry: { __typename: 'LedgerEntry', id: string, kind: EntryKind, eventName: string, year: number, semester: number, amount: string, status: EntryStatus, reason: string | null, payeeAddress: string | null, createdAt: string, organization: { __typename: 'Organization', id: string, name: string }, submittedBy: { __typename: 'User', id: string, displayName: string }, decidedBy: { __typename: 'User', id: string, displayName: string } | null, evidence: Array<{ __typename: 'Evidence', id: string, fileName: string, contentType: string, sha256: string, size: number, url: string }>, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null, activity: Array<{ __typename: 'EntryActivity', action: string, at: string, actor: { __typename: 'User', id: string, displayName: string } | null, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null }>, ballot: { __typename: 'Ballot', id: string, status: BallotStatus, closesAt: string } | null } | null };

export type WebExplorerQueryVariables = Exact<{
  last?: number | null | undefined;
}>;


export type WebExplorerQuery = { __typename: 'Query', blocks: Array<{ __typename: 'Block', number: number, hash: string, previousHash: string, dataHash: string, transactions: Array<{ __typename: 'ChainTransaction', txId: string, function: string, status: TxStatus }> }> };

export type WebVerifyChainQueryVariables = Exact<{ [key: string]: never; }>;


export type WebVerifyChainQuery = { __typename: 'Query', verifyChain: { __typename: 'ChainVerification', ok: boolean, checkedBlocks: number, firstBadBlock: number | null } };

export type WebChainTransactionQueryVariables = Exact<{
  txId: string | number;
}>;


export type WebChainTransactionQuery = { __typename: 'Query', chainTransaction: { __typename: 'ChainTransaction', txId: string, status: TxStatus, validationCode: string | null, function: string, creator: string, timestamp: string | null, block: { __typename: 'Block', number: number, hash: string } | null } | null };

export type WebBallotQueryVariables = Exact<{
  id: string | number;
}>;


export type WebBallotQuery = { __typename: 'Query', ballot: { __typename: 'Ballot', id: string, status: BallotStatus, opensAt: string, closesAt: string, quorum: number, threshold: number, myVote: VoteChoice | null, myVotePending: boolean | null, organization: { __typename: 'Organization', id: string, name: string }, tally: { __typename: 'VoteTally', ballotId: string, approve: number, reject: number, eligible: number, turnout: number, quorumReached: boolean, updatedAt: string }, entry: { __typename: 'LedgerEntry', id: string, eventName: string, amount: string, payeeAddress: string | null, submittedBy: { __typename: 'User', id: string, displayName: string }, evidence: Array<{ __typename: 'Evidence', id: string, fileName: string, sha256: string, url: string }> } } | null };

export type WebMembershipRequestsQueryVariables = Exact<{
  orgId: string | number;
}>;


export type WebMembershipRequestsQuery = { __typename: 'Query', membershipRequests: Array<{ __typename: 'MembershipRequest', id: string, status: EntryStatus, user: { __typename: 'User', id: string, displayName: string }, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null }> };

export type WebSignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type WebSignUpMutation = { __typename: 'Mutation', signUp: { __typename: 'AuthPayload', accessToken: string, refreshToken: string, user: { __typename: 'User', id: string, displayName: string } } };

export type WebLogInMutationVariables = Exact<{
  email: string;
  password: string;
  deviceName?: string | null | undefined;
}>;


export type WebLogInMutation = { __typename: 'Mutation', logIn: { __typename: 'AuthPayload', accessToken: string, refreshToken: string, user: { __typename: 'User', id: string, displayName: string } } };

export type WebRefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;


export type WebRefreshSessionMutation = { __typename: 'Mutation', refreshSession: { __typename: 'AuthPayload', accessToken: string, refreshToken: string, user: { __typename: 'User', id: string, displayName: string } } };

export type WebLogOutMutationVariables = Exact<{
  refreshToken?: string | null | undefined;
  allDevices?: boolean | null | undefined;
}>;


export type WebLogOutMutation = { __typename: 'Mutation', logOut: boolean };

export type WebRequestMembershipMutationVariables = Exact<{
  orgId: string | number;
}>;


export type WebRequestMembershipMutation = { __typename: 'Mutation', requestMembership: { __typename: 'MembershipRequest', id: string, status: EntryStatus, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebApproveMembershipMutationVariables = Exact<{
  requestId: string | number;
}>;


export type WebApproveMembershipMutation = { __typename: 'Mutation', approveMembership: { __typename: 'MembershipRequest', id: string, status: EntryStatus, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebCreateEvidenceUploadMutationVariables = Exact<{
  input: EvidenceUploadInput;
}>;


export type WebCreateEvidenceUploadMutation = { __typename: 'Mutation', createEvidenceUpload: { __typename: 'EvidenceUpload', uploadUrl: string, expiresAt: string, evidence: { __typename: 'Evidence', id: string, fileName: string, sha256: string, size: number } } };

export type WebSubmitDepositMutationVariables = Exact<{
  input: DepositInput;
}>;


export type WebSubmitDepositMutation = { __typename: 'Mutation', submitDeposit: { __typename: 'LedgerEntry', id: string, status: EntryStatus, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebApproveDepositMutationVariables = Exact<{
  entryId: string | number;
}>;


export type WebApproveDepositMutation = { __typename: 'Mutation', approveDeposit: { __typename: 'LedgerEntry', id: string, status: EntryStatus, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebRejectDepositMutationVariables = Exact<{
  entryId: string | number;
  reason: string;
}>;


export type WebRejectDepositMutation = { __typename: 'Mutation', rejectDeposit: { __typename: 'LedgerEntry', id: string, status: EntryStatus, reason: string | null, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebProposeSpendingMutationVariables = Exact<{
  input: SpendingInput;
}>;


export type WebProposeSpendingMutation = { __typename: 'Mutation', proposeSpending: { __typename: 'LedgerEntry', id: string, status: EntryStatus, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebCastVoteMutationVariables = Exact<{
  ballotId: string | number;
  choice: VoteChoice;
}>;


export type WebCastVoteMutation = { __typename: 'Mutation', castVote: { __typename: 'VoteReceipt', choice: VoteChoice, pending: boolean, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus }, ballot: { __typename: 'Ballot', id: string, myVote: VoteChoice | null, myVotePending: boolean | null } } };

export type WebTallySubscriptionVariables = Exact<{
  ballotId: string | number;
}>;


export type WebTallySubscription = { voteTallyChanged: { __typename: 'VoteTally', ballotId: string, approve: number, reject: number, eligible: number, turnout: number, quorumReached: boolean, updatedAt: string } };

export type WebBallotClosedSubscriptionVariables = Exact<{
  orgId: string | number;
}>;


export type WebBallotClosedSubscription = { ballotClosed: { __typename: 'Ballot', id: string, status: BallotStatus, entry: { __typename: 'LedgerEntry', id: string, eventName: string, status: EntryStatus } } };

export type WebEntryChangedSubscriptionVariables = Exact<{
  orgId: string | number;
}>;


export type WebEntryChangedSubscription = { ledgerEntryChanged: { __typename: 'LedgerEntry', id: string, kind: EntryKind, eventName: string, status: EntryStatus, reason: string | null, ballot: { __typename: 'Ballot', id: string, status: BallotStatus, closesAt: string } | null, tx: { __typename: 'ChainTransaction', txId: string, status: TxStatus } | null } };

export type WebTransactionConfirmedSubscriptionVariables = Exact<{
  txId: string | number;
}>;


export type WebTransactionConfirmedSubscription = { transactionConfirmed: { __typename: 'ChainTransaction', txId: string, status: TxStatus, validationCode: string | null, block: { __typename: 'Block', number: number } | null } };


export const WebOrganizationsDocument = {"__meta__":{"hash":"sha256:5515293182e7087d61af37ba2c20b1fd61d0bf5d954ac9040aad2995bbb89810"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebOrganizations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"organizations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"treasuryBalance"}}]}}]}}]} as unknown as DocumentNode<WebOrganizationsQuery, WebOrganizationsQueryVariables>;
export const WebMeDocument = {"__meta__":{"hash":"sha256:7f9b3f0f43ab0078b3b68c573650f5561c2c3ec00f4e7eba5cb50f016e698738"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebMe"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"memberships"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebMeQuery, WebMeQueryVariables>;
export const WebOrganizationBooksDocument = {"__meta__":{"hash":"sha256:a0be7e120b39785170d8af28c54f47f2beac85fd78f5dfeb9646d271922d594c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebOrganizationBooks"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"EntryFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"treasuryBalance"}},{"kind":"Field","name":{"kind":"Name","value":"entries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"semester"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ballot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"closesAt"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebOrganizationBooksQuery, WebOrganizationBooksQueryVariables>;
export const WebOpenBallotsDocument = {"__meta__":{"hash":"sha256:0ee7b9a92367d888db9d5851f892e3c93e729258bd1800df3cd7374438137adc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebOpenBallots"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"ballots"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"EnumValue","value":"OPEN"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"closesAt"}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tally"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"ballotId"}},{"kind":"Field","name":{"kind":"Name","value":"approve"}},{"kind":"Field","name":{"kind":"Name","value":"reject"}},{"kind":"Field","name":{"kind":"Name","value":"eligible"}},{"kind":"Field","name":{"kind":"Name","value":"turnout"}},{"kind":"Field","name":{"kind":"Name","value":"quorumReached"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebOpenBallotsQuery, WebOpenBallotsQueryVariables>;
export const WebLedgerEntryDocument = {"__meta__":{"hash":"sha256:7e2569a37bcc4304e12a3a332c0b5388d7ba6183faab5556043cf415d49e0c91"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebLedgerEntry"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"ledgerEntry"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"year"}},{"kind":"Field","name":{"kind":"Name","value":"semester"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"payeeAddress"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"decidedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"contentType"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"size"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"ballot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"closesAt"}}]}}]}}]}}]} as unknown as DocumentNode<WebLedgerEntryQuery, WebLedgerEntryQueryVariables>;
export const WebExplorerDocument = {"__meta__":{"hash":"sha256:48f47baae6ff66e355026a14a7190b5b2cce6a8138a6fb4cb92c87ca0558c2d1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebExplorer"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"blocks"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"hash"}},{"kind":"Field","name":{"kind":"Name","value":"previousHash"}},{"kind":"Field","name":{"kind":"Name","value":"dataHash"}},{"kind":"Field","name":{"kind":"Name","value":"transactions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"function"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebExplorerQuery, WebExplorerQueryVariables>;
export const WebVerifyChainDocument = {"__meta__":{"hash":"sha256:ecfbbce2f41b19fe85b9950572ec546cd6c8f7be8578aaa3631bac140523c655"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebVerifyChain"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"verifyChain"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"checkedBlocks"}},{"kind":"Field","name":{"kind":"Name","value":"firstBadBlock"}}]}}]}}]} as unknown as DocumentNode<WebVerifyChainQuery, WebVerifyChainQueryVariables>;
export const WebChainTransactionDocument = {"__meta__":{"hash":"sha256:8e46a41b3a0d5c092cc3a128e42f3428eb2caa57188660a0b24e678bee370188"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebChainTransaction"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"txId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"chainTransaction"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"txId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"txId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"validationCode"}},{"kind":"Field","name":{"kind":"Name","value":"function"}},{"kind":"Field","name":{"kind":"Name","value":"creator"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"block"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"hash"}}]}}]}}]}}]} as unknown as DocumentNode<WebChainTransactionQuery, WebChainTransactionQueryVariables>;
export const WebBallotDocument = {"__meta__":{"hash":"sha256:5b41caba6e5bbd4b77ad0f67c92d20b5d9bca7e0e31d01bd905a0fd75655f7e1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebBallot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"ballot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"opensAt"}},{"kind":"Field","name":{"kind":"Name","value":"closesAt"}},{"kind":"Field","name":{"kind":"Name","value":"quorum"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"myVote"}},{"kind":"Field","name":{"kind":"Name","value":"myVotePending"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tally"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"ballotId"}},{"kind":"Field","name":{"kind":"Name","value":"approve"}},{"kind":"Field","name":{"kind":"Name","value":"reject"}},{"kind":"Field","name":{"kind":"Name","value":"eligible"}},{"kind":"Field","name":{"kind":"Name","value":"turnout"}},{"kind":"Field","name":{"kind":"Name","value":"quorumReached"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"amount"}},{"kind":"Field","name":{"kind":"Name","value":"payeeAddress"}},{"kind":"Field","name":{"kind":"Name","value":"submittedBy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]}}]} as unknown as DocumentNode<WebBallotQuery, WebBallotQueryVariables>;
export const WebMembershipRequestsDocument = {"__meta__":{"hash":"sha256:7ceaffbff53cf7cd8b41cbecedb06d10e308b6c8860469c9c298da53a957bdd4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"WebMembershipRequests"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"membershipRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"orgId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebMembershipRequestsQuery, WebMembershipRequestsQueryVariables>;
export const WebSignUpDocument = {"__meta__":{"hash":"sha256:d80450545312902c0914d533c6602f345f2e2a576223b9803bf060fc98736ce7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebSignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"signUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]} as unknown as DocumentNode<WebSignUpMutation, WebSignUpMutationVariables>;
export const WebLogInDocument = {"__meta__":{"hash":"sha256:3064baa121b944ccf324ef9f646baa715de86f38cd26fad33ba0595e59f5d78c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebLogIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"password"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"deviceName"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"logIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"password"},"value":{"kind":"Variable","name":{"kind":"Name","value":"password"}}},{"kind":"Argument","name":{"kind":"Name","value":"deviceName"},"value":{"kind":"Variable","name":{"kind":"Name","value":"deviceName"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]} as unknown as DocumentNode<WebLogInMutation, WebLogInMutationVariables>;
export const WebRefreshSessionDocument = {"__meta__":{"hash":"sha256:467f18eb21bad2155304f0018f5808ab27f3a6b628bf5692673e8cc01627a4ee"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebRefreshSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refreshToken"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"refreshSession"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refreshToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refreshToken"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}}]}}]}}]}}]} as unknown as DocumentNode<WebRefreshSessionMutation, WebRefreshSessionMutationVariables>;
export const WebLogOutDocument = {"__meta__":{"hash":"sha256:bcba8c77219064e1ce7190e1b38c753bd8ad68eb69c36da66a36f73b25fb4a81"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebLogOut"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refreshToken"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"allDevices"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"logOut"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refreshToken"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refreshToken"}}},{"kind":"Argument","name":{"kind":"Name","value":"allDevices"},"value":{"kind":"Variable","name":{"kind":"Name","value":"allDevices"}}}]}]}}]} as unknown as DocumentNode<WebLogOutMutation, WebLogOutMutationVariables>;
export const WebRequestMembershipDocument = {"__meta__":{"hash":"sha256:2e3d3aba55222b3c0e73abbfd67d32206210cf6e0563557b5aa347e47e4e9fc6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebRequestMembership"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"requestMembership"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"orgId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebRequestMembershipMutation, WebRequestMembershipMutationVariables>;
export const WebApproveMembershipDocument = {"__meta__":{"hash":"sha256:675650c50a053a27513d4cd75ba495f91f5b134b62d6d4608a233f083213e13d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebApproveMembership"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"approveMembership"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"requestId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"requestId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebApproveMembershipMutation, WebApproveMembershipMutationVariables>;
export const WebCreateEvidenceUploadDocument = {"__meta__":{"hash":"sha256:e4ed70658f0add0f499a95f4fd22f50ed64e7976f59590f52dd46e1d07c7a8fa"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebCreateEvidenceUpload"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"EvidenceUploadInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"createEvidenceUpload"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"uploadUrl"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"evidence"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"sha256"}},{"kind":"Field","name":{"kind":"Name","value":"size"}}]}}]}}]}}]} as unknown as DocumentNode<WebCreateEvidenceUploadMutation, WebCreateEvidenceUploadMutationVariables>;
export const WebSubmitDepositDocument = {"__meta__":{"hash":"sha256:53001e3492f28d4cf921dbecc0ada3efa2bfe0794ef47b959082c387acaf269c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebSubmitDeposit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DepositInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"submitDeposit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebSubmitDepositMutation, WebSubmitDepositMutationVariables>;
export const WebApproveDepositDocument = {"__meta__":{"hash":"sha256:4a5b8ad89328dd24359b09eede01f5dd5590fcdd34d7142933cfd4867da822fc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebApproveDeposit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"entryId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"approveDeposit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"entryId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"entryId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebApproveDepositMutation, WebApproveDepositMutationVariables>;
export const WebRejectDepositDocument = {"__meta__":{"hash":"sha256:8a0bfd01ed3953c5f03b608610ce647b7a4cf842009c1c075edef821d7324754"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebRejectDeposit"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"entryId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"reason"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"rejectDeposit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"entryId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"entryId"}}},{"kind":"Argument","name":{"kind":"Name","value":"reason"},"value":{"kind":"Variable","name":{"kind":"Name","value":"reason"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebRejectDepositMutation, WebRejectDepositMutationVariables>;
export const WebProposeSpendingDocument = {"__meta__":{"hash":"sha256:80a074ea493861594dfb19d9064aed08ef9589e8ed55b9fc013bfbcfe12ae60c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebProposeSpending"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SpendingInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"proposeSpending"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebProposeSpendingMutation, WebProposeSpendingMutationVariables>;
export const WebCastVoteDocument = {"__meta__":{"hash":"sha256:b9320fedef7c4d2612c695d5f601fa0ca6dbf3a73c3a94d25e0020967c7918be"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WebCastVote"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ballotId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"choice"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"VoteChoice"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"castVote"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ballotId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ballotId"}}},{"kind":"Argument","name":{"kind":"Name","value":"choice"},"value":{"kind":"Variable","name":{"kind":"Name","value":"choice"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"choice"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ballot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"myVote"}},{"kind":"Field","name":{"kind":"Name","value":"myVotePending"}}]}}]}}]}}]} as unknown as DocumentNode<WebCastVoteMutation, WebCastVoteMutationVariables>;
export const WebTallyDocument = {"__meta__":{"hash":"sha256:c5194109dc8e0fdb26dbf294b74851720364cab6948a39a3be2e8654b667cc68"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WebTally"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ballotId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"voteTallyChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ballotId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ballotId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"ballotId"}},{"kind":"Field","name":{"kind":"Name","value":"approve"}},{"kind":"Field","name":{"kind":"Name","value":"reject"}},{"kind":"Field","name":{"kind":"Name","value":"eligible"}},{"kind":"Field","name":{"kind":"Name","value":"turnout"}},{"kind":"Field","name":{"kind":"Name","value":"quorumReached"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<WebTallySubscription, WebTallySubscriptionVariables>;
export const WebBallotClosedDocument = {"__meta__":{"hash":"sha256:691ab22dfb8ce48cc41c6be1c21b2c941589dfc0133c407c9bcdea6836feffb6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WebBallotClosed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ballotClosed"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"orgId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"entry"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebBallotClosedSubscription, WebBallotClosedSubscriptionVariables>;
export const WebEntryChangedDocument = {"__meta__":{"hash":"sha256:7a242ab4021d4016708ac200b97e4f7dbe3565d130dd4bd7a46c9379a5d4c700"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WebEntryChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ledgerEntryChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"orgId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orgId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"eventName"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"ballot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"closesAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"tx"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<WebEntryChangedSubscription, WebEntryChangedSubscriptionVariables>;
export const WebTransactionConfirmedDocument = {"__meta__":{"hash":"sha256:98f27142b88725563e37c05aae20688e36c0176b95df1212eb7885764519f055"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WebTransactionConfirmed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"txId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"transactionConfirmed"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"txId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"txId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"txId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"validationCode"}},{"kind":"Field","name":{"kind":"Name","value":"block"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"number"}}]}}]}}]}}]} as unknown as DocumentNode<WebTransactionConfirmedSubscription, WebTransactionConfirmedSubscriptionVariables>;