/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query WebOrganizations {\n    organizations { id name treasuryBalance }\n  }\n": typeof types.WebOrganizationsDocument,
    "\n  query WebMe {\n    me { id displayName memberships { roles since organization { id name } } }\n  }\n": typeof types.WebMeDocument,
    "\n  query WebOrganizationBooks($orgId: ID!, $filter: EntryFilter, $after: String) {\n    organization(id: $orgId) {\n      id\n      name\n      treasuryBalance\n      entries(filter: $filter, first: 50, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id kind eventName year semester amount status reason createdAt\n            submittedBy { id displayName }\n            evidence { id fileName sha256 url }\n            tx { txId status }\n            ballot { id status closesAt }\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebOrganizationBooksDocument,
    "\n  query WebOpenBallots($orgId: ID!) {\n    organization(id: $orgId) {\n      id\n      ballots(status: OPEN) { id status closesAt entry { id eventName amount } tally { ballotId approve reject eligible turnout quorumReached updatedAt } }\n    }\n  }\n": typeof types.WebOpenBallotsDocument,
    "\n  query WebLedgerEntry($id: ID!) {\n    ledgerEntry(id: $id) {\n      id kind eventName year semester amount status reason payeeAddress createdAt\n      organization { id name }\n      submittedBy { id displayName }\n      decidedBy { id displayName }\n      evidence { id fileName contentType sha256 size url }\n      tx { txId status }\n      activity { action at actor { id displayName } tx { txId status } }\n      ballot { id status closesAt }\n    }\n  }\n": typeof types.WebLedgerEntryDocument,
    "\n  query WebExplorer($last: Int) {\n    blocks(last: $last) { number hash previousHash dataHash transactions { txId function status } }\n  }\n": typeof types.WebExplorerDocument,
    "\n  query WebVerifyChain {\n    verifyChain { ok checkedBlocks firstBadBlock }\n  }\n": typeof types.WebVerifyChainDocument,
    "\n  query WebChainTransaction($txId: ID!) {\n    chainTransaction(txId: $txId) { txId status validationCode function creator timestamp block { number hash } }\n  }\n": typeof types.WebChainTransactionDocument,
    "\n  query WebBallot($id: ID!) {\n    ballot(id: $id) {\n      id status opensAt closesAt quorum threshold myVote myVotePending\n      organization { id name }\n      tally { ballotId approve reject eligible turnout quorumReached updatedAt }\n      entry { id eventName amount payeeAddress submittedBy { id displayName } evidence { id fileName sha256 url } }\n    }\n  }\n": typeof types.WebBallotDocument,
    "\n  query WebMembershipRequests($orgId: ID!) {\n    membershipRequests(orgId: $orgId) { id status user { id displayName } tx { txId status } }\n  }\n": typeof types.WebMembershipRequestsDocument,
    "\n  mutation WebSignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken refreshToken user { id displayName } }\n  }\n": typeof types.WebSignUpDocument,
    "\n  mutation WebLogIn($email: String!, $password: String!, $deviceName: String) {\n    logIn(email: $email, password: $password, deviceName: $deviceName) { accessToken refreshToken user { id displayName } }\n  }\n": typeof types.WebLogInDocument,
    "\n  mutation WebRefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken user { id displayName } }\n  }\n": typeof types.WebRefreshSessionDocument,
    "\n  mutation WebLogOut($refreshToken: String, $allDevices: Boolean) {\n    logOut(refreshToken: $refreshToken, allDevices: $allDevices)\n  }\n": typeof types.WebLogOutDocument,
    "\n  mutation WebRequestMembership($orgId: ID!) {\n    requestMembership(orgId: $orgId) { id status tx { txId status } }\n  }\n": typeof types.WebRequestMembershipDocument,
    "\n  mutation WebApproveMembership($requestId: ID!) {\n    approveMembership(requestId: $requestId) { id status tx { txId status } }\n  }\n": typeof types.WebApproveMembershipDocument,
    "\n  mutation WebCreateEvidenceUpload($input: EvidenceUploadInput!) {\n    createEvidenceUpload(input: $input) { uploadUrl expiresAt evidence { id fileName sha256 size } }\n  }\n": typeof types.WebCreateEvidenceUploadDocument,
    "\n  mutation WebSubmitDeposit($input: DepositInput!) {\n    submitDeposit(input: $input) { id status tx { txId status } }\n  }\n": typeof types.WebSubmitDepositDocument,
    "\n  mutation WebApproveDeposit($entryId: ID!) {\n    approveDeposit(entryId: $entryId) { id status tx { txId status } }\n  }\n": typeof types.WebApproveDepositDocument,
    "\n  mutation WebRejectDeposit($entryId: ID!, $reason: String!) {\n    rejectDeposit(entryId: $entryId, reason: $reason) { id status reason tx { txId status } }\n  }\n": typeof types.WebRejectDepositDocument,
    "\n  mutation WebProposeSpending($input: SpendingInput!) {\n    proposeSpending(input: $input) { id status tx { txId status } }\n  }\n": typeof types.WebProposeSpendingDocument,
    "\n  mutation WebCastVote($ballotId: ID!, $choice: VoteChoice!) {\n    castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId status } ballot { id myVote myVotePending } }\n  }\n": typeof types.WebCastVoteDocument,
    "\n  subscription WebTally($ballotId: ID!) {\n    voteTallyChanged(ballotId: $ballotId) { ballotId approve reject eligible turnout quorumReached updatedAt }\n  }\n": typeof types.WebTallyDocument,
    "\n  subscription WebBallotClosed($orgId: ID!) {\n    ballotClosed(orgId: $orgId) { id status entry { id eventName status } }\n  }\n": typeof types.WebBallotClosedDocument,
    "\n  subscription WebEntryChanged($orgId: ID!) {\n    ledgerEntryChanged(orgId: $orgId) { id kind eventName status reason ballot { id status closesAt } tx { txId status } }\n  }\n": typeof types.WebEntryChangedDocument,
    "\n  subscription WebTransactionConfirmed($txId: ID!) {\n    transactionConfirmed(txId: $txId) { txId status validationCode block { number } }\n  }\n": typeof types.WebTransactionConfirmedDocument,
};
const documents: Documents = {
    "\n  query WebOrganizations {\n    organizations { id name treasuryBalance }\n  }\n": types.WebOrganizationsDocument,
    "\n  query WebMe {\n    me { id displayName memberships { roles since organization { id name } } }\n  }\n": types.WebMeDocument,
    "\n  query WebOrganizationBooks($orgId: ID!, $filter: EntryFilter, $after: String) {\n    organization(id: $orgId) {\n      id\n      name\n      treasuryBalance\n      entries(filter: $filter, first: 50, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id kind eventName year semester amount status reason createdAt\n            submittedBy { id displayName }\n            evidence { id fileName sha256 url }\n            tx { txId status }\n            ballot { id status closesAt }\n          }\n        }\n      }\n    }\n  }\n": types.WebOrganizationBooksDocument,
    "\n  query WebOpenBallots($orgId: ID!) {\n    organization(id: $orgId) {\n      id\n      ballots(status: OPEN) { id status closesAt entry { id eventName amount } tally { ballotId approve reject eligible turnout quorumReached updatedAt } }\n    }\n  }\n": types.WebOpenBallotsDocument,
    "\n  query WebLedgerEntry($id: ID!) {\n    ledgerEntry(id: $id) {\n      id kind eventName year semester amount status reason payeeAddress createdAt\n      organization { id name }\n      submittedBy { id displayName }\n      decidedBy { id displayName }\n      evidence { id fileName contentType sha256 size url }\n      tx { txId status }\n      activity { action at actor { id displayName } tx { txId status } }\n      ballot { id status closesAt }\n    }\n  }\n": types.WebLedgerEntryDocument,
    "\n  query WebExplorer($last: Int) {\n    blocks(last: $last) { number hash previousHash dataHash transactions { txId function status } }\n  }\n": types.WebExplorerDocument,
    "\n  query WebVerifyChain {\n    verifyChain { ok checkedBlocks firstBadBlock }\n  }\n": types.WebVerifyChainDocument,
    "\n  query WebChainTransaction($txId: ID!) {\n    chainTransaction(txId: $txId) { txId status validationCode function creator timestamp block { number hash } }\n  }\n": types.WebChainTransactionDocument,
    "\n  query WebBallot($id: ID!) {\n    ballot(id: $id) {\n      id status opensAt closesAt quorum threshold myVote myVotePending\n      organization { id name }\n      tally { ballotId approve reject eligible turnout quorumReached updatedAt }\n      entry { id eventName amount payeeAddress submittedBy { id displayName } evidence { id fileName sha256 url } }\n    }\n  }\n": types.WebBallotDocument,
    "\n  query WebMembershipRequests($orgId: ID!) {\n    membershipRequests(orgId: $orgId) { id status user { id displayName } tx { txId status } }\n  }\n": types.WebMembershipRequestsDocument,
    "\n  mutation WebSignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken refreshToken user { id displayName } }\n  }\n": types.WebSignUpDocument,
    "\n  mutation WebLogIn($email: String!, $password: String!, $deviceName: String) {\n    logIn(email: $email, password: $password, deviceName: $deviceName) { accessToken refreshToken user { id displayName } }\n  }\n": types.WebLogInDocument,
    "\n  mutation WebRefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken user { id displayName } }\n  }\n": types.WebRefreshSessionDocument,
    "\n  mutation WebLogOut($refreshToken: String, $allDevices: Boolean) {\n    logOut(refreshToken: $refreshToken, allDevices: $allDevices)\n  }\n": types.WebLogOutDocument,
    "\n  mutation WebRequestMembership($orgId: ID!) {\n    requestMembership(orgId: $orgId) { id status tx { txId status } }\n  }\n": types.WebRequestMembershipDocument,
    "\n  mutation WebApproveMembership($requestId: ID!) {\n    approveMembership(requestId: $requestId) { id status tx { txId status } }\n  }\n": types.WebApproveMembershipDocument,
    "\n  mutation WebCreateEvidenceUpload($input: EvidenceUploadInput!) {\n    createEvidenceUpload(input: $input) { uploadUrl expiresAt evidence { id fileName sha256 size } }\n  }\n": types.WebCreateEvidenceUploadDocument,
    "\n  mutation WebSubmitDeposit($input: DepositInput!) {\n    submitDeposit(input: $input) { id status tx { txId status } }\n  }\n": types.WebSubmitDepositDocument,
    "\n  mutation WebApproveDeposit($entryId: ID!) {\n    approveDeposit(entryId: $entryId) { id status tx { txId status } }\n  }\n": types.WebApproveDepositDocument,
    "\n  mutation WebRejectDeposit($entryId: ID!, $reason: String!) {\n    rejectDeposit(entryId: $entryId, reason: $reason) { id status reason tx { txId status } }\n  }\n": types.WebRejectDepositDocument,
    "\n  mutation WebProposeSpending($input: SpendingInput!) {\n    proposeSpending(input: $input) { id status tx { txId status } }\n  }\n": types.WebProposeSpendingDocument,
    "\n  mutation WebCastVote($ballotId: ID!, $choice: VoteChoice!) {\n    castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId status } ballot { id myVote myVotePending } }\n  }\n": types.WebCastVoteDocument,
    "\n  subscription WebTally($ballotId: ID!) {\n    voteTallyChanged(ballotId: $ballotId) { ballotId approve reject eligible turnout quorumReached updatedAt }\n  }\n": types.WebTallyDocument,
    "\n  subscription WebBallotClosed($orgId: ID!) {\n    ballotClosed(orgId: $orgId) { id status entry { id eventName status } }\n  }\n": types.WebBallotClosedDocument,
    "\n  subscription WebEntryChanged($orgId: ID!) {\n    ledgerEntryChanged(orgId: $orgId) { id kind eventName status reason ballot { id status closesAt } tx { txId status } }\n  }\n": types.WebEntryChangedDocument,
    "\n  subscription WebTransactionConfirmed($txId: ID!) {\n    transactionConfirmed(txId: $txId) { txId status validationCode block { number } }\n  }\n": types.WebTransactionConfirmedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebOrganizations {\n    organizations { id name treasuryBalance }\n  }\n"): (typeof documents)["\n  query WebOrganizations {\n    organizations { id name treasuryBalance }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebMe {\n    me { id displayName memberships { roles since organization { id name } } }\n  }\n"): (typeof documents)["\n  query WebMe {\n    me { id displayName memberships { roles since organization { id name } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebOrganizationBooks($orgId: ID!, $filter: EntryFilter, $after: String) {\n    organization(id: $orgId) {\n      id\n      name\n      treasuryBalance\n      entries(filter: $filter, first: 50, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id kind eventName year semester amount status reason createdAt\n            submittedBy { id displayName }\n            evidence { id fileName sha256 url }\n            tx { txId status }\n            ballot { id status closesAt }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebOrganizationBooks($orgId: ID!, $filter: EntryFilter, $after: String) {\n    organization(id: $orgId) {\n      id\n      name\n      treasuryBalance\n      entries(filter: $filter, first: 50, after: $after) {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges {\n          node {\n            id kind eventName year semester amount status reason createdAt\n            submittedBy { id displayName }\n            evidence { id fileName sha256 url }\n            tx { txId status }\n            ballot { id status closesAt }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebOpenBallots($orgId: ID!) {\n    organization(id: $orgId) {\n      id\n      ballots(status: OPEN) { id status closesAt entry { id eventName amount } tally { ballotId approve reject eligible turnout quorumReached updatedAt } }\n    }\n  }\n"): (typeof documents)["\n  query WebOpenBallots($orgId: ID!) {\n    organization(id: $orgId) {\n      id\n      ballots(status: OPEN) { id status closesAt entry { id eventName amount } tally { ballotId approve reject eligible turnout quorumReached updatedAt } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebLedgerEntry($id: ID!) {\n    ledgerEntry(id: $id) {\n      id kind eventName year semester amount status reason payeeAddress createdAt\n      organization { id name }\n      submittedBy { id displayName }\n      decidedBy { id displayName }\n      evidence { id fileName contentType sha256 size url }\n      tx { txId status }\n      activity { action at actor { id displayName } tx { txId status } }\n      ballot { id status closesAt }\n    }\n  }\n"): (typeof documents)["\n  query WebLedgerEntry($id: ID!) {\n    ledgerEntry(id: $id) {\n      id kind eventName year semester amount status reason payeeAddress createdAt\n      organization { id name }\n      submittedBy { id displayName }\n      decidedBy { id displayName }\n      evidence { id fileName contentType sha256 size url }\n      tx { txId status }\n      activity { action at actor { id displayName } tx { txId status } }\n      ballot { id status closesAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebExplorer($last: Int) {\n    blocks(last: $last) { number hash previousHash dataHash transactions { txId function status } }\n  }\n"): (typeof documents)["\n  query WebExplorer($last: Int) {\n    blocks(last: $last) { number hash previousHash dataHash transactions { txId function status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebVerifyChain {\n    verifyChain { ok checkedBlocks firstBadBlock }\n  }\n"): (typeof documents)["\n  query WebVerifyChain {\n    verifyChain { ok checkedBlocks firstBadBlock }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebChainTransaction($txId: ID!) {\n    chainTransaction(txId: $txId) { txId status validationCode function creator timestamp block { number hash } }\n  }\n"): (typeof documents)["\n  query WebChainTransaction($txId: ID!) {\n    chainTransaction(txId: $txId) { txId status validationCode function creator timestamp block { number hash } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebBallot($id: ID!) {\n    ballot(id: $id) {\n      id status opensAt closesAt quorum threshold myVote myVotePending\n      organization { id name }\n      tally { ballotId approve reject eligible turnout quorumReached updatedAt }\n      entry { id eventName amount payeeAddress submittedBy { id displayName } evidence { id fileName sha256 url } }\n    }\n  }\n"): (typeof documents)["\n  query WebBallot($id: ID!) {\n    ballot(id: $id) {\n      id status opensAt closesAt quorum threshold myVote myVotePending\n      organization { id name }\n      tally { ballotId approve reject eligible turnout quorumReached updatedAt }\n      entry { id eventName amount payeeAddress submittedBy { id displayName } evidence { id fileName sha256 url } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebMembershipRequests($orgId: ID!) {\n    membershipRequests(orgId: $orgId) { id status user { id displayName } tx { txId status } }\n  }\n"): (typeof documents)["\n  query WebMembershipRequests($orgId: ID!) {\n    membershipRequests(orgId: $orgId) { id status user { id displayName } tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebSignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken refreshToken user { id displayName } }\n  }\n"): (typeof documents)["\n  mutation WebSignUp($input: SignUpInput!) {\n    signUp(input: $input) { accessToken refreshToken user { id displayName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebLogIn($email: String!, $password: String!, $deviceName: String) {\n    logIn(email: $email, password: $password, deviceName: $deviceName) { accessToken refreshToken user { id displayName } }\n  }\n"): (typeof documents)["\n  mutation WebLogIn($email: String!, $password: String!, $deviceName: String) {\n    logIn(email: $email, password: $password, deviceName: $deviceName) { accessToken refreshToken user { id displayName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebRefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken user { id displayName } }\n  }\n"): (typeof documents)["\n  mutation WebRefreshSession($refreshToken: String!) {\n    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken user { id displayName } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebLogOut($refreshToken: String, $allDevices: Boolean) {\n    logOut(refreshToken: $refreshToken, allDevices: $allDevices)\n  }\n"): (typeof documents)["\n  mutation WebLogOut($refreshToken: String, $allDevices: Boolean) {\n    logOut(refreshToken: $refreshToken, allDevices: $allDevices)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebRequestMembership($orgId: ID!) {\n    requestMembership(orgId: $orgId) { id status tx { txId status } }\n  }\n"): (typeof documents)["\n  mutation WebRequestMembership($orgId: ID!) {\n    requestMembership(orgId: $orgId) { id status tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebApproveMembership($requestId: ID!) {\n    approveMembership(requestId: $requestId) { id status tx { txId status } }\n  }\n"): (typeof documents)["\n  mutation WebApproveMembership($requestId: ID!) {\n    approveMembership(requestId: $requestId) { id status tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebCreateEvidenceUpload($input: EvidenceUploadInput!) {\n    createEvidenceUpload(input: $input) { uploadUrl expiresAt evidence { id fileName sha256 size } }\n  }\n"): (typeof documents)["\n  mutation WebCreateEvidenceUpload($input: EvidenceUploadInput!) {\n    createEvidenceUpload(input: $input) { uploadUrl expiresAt evidence { id fileName sha256 size } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebSubmitDeposit($input: DepositInput!) {\n    submitDeposit(input: $input) { id status tx { txId status } }\n  }\n"): (typeof documents)["\n  mutation WebSubmitDeposit($input: DepositInput!) {\n    submitDeposit(input: $input) { id status tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebApproveDeposit($entryId: ID!) {\n    approveDeposit(entryId: $entryId) { id status tx { txId status } }\n  }\n"): (typeof documents)["\n  mutation WebApproveDeposit($entryId: ID!) {\n    approveDeposit(entryId: $entryId) { id status tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebRejectDeposit($entryId: ID!, $reason: String!) {\n    rejectDeposit(entryId: $entryId, reason: $reason) { id status reason tx { txId status } }\n  }\n"): (typeof documents)["\n  mutation WebRejectDeposit($entryId: ID!, $reason: String!) {\n    rejectDeposit(entryId: $entryId, reason: $reason) { id status reason tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebProposeSpending($input: SpendingInput!) {\n    proposeSpending(input: $input) { id status tx { txId status } }\n  }\n"): (typeof documents)["\n  mutation WebProposeSpending($input: SpendingInput!) {\n    proposeSpending(input: $input) { id status tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebCastVote($ballotId: ID!, $choice: VoteChoice!) {\n    castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId status } ballot { id myVote myVotePending } }\n  }\n"): (typeof documents)["\n  mutation WebCastVote($ballotId: ID!, $choice: VoteChoice!) {\n    castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId status } ballot { id myVote myVotePending } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebTally($ballotId: ID!) {\n    voteTallyChanged(ballotId: $ballotId) { ballotId approve reject eligible turnout quorumReached updatedAt }\n  }\n"): (typeof documents)["\n  subscription WebTally($ballotId: ID!) {\n    voteTallyChanged(ballotId: $ballotId) { ballotId approve reject eligible turnout quorumReached updatedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebBallotClosed($orgId: ID!) {\n    ballotClosed(orgId: $orgId) { id status entry { id eventName status } }\n  }\n"): (typeof documents)["\n  subscription WebBallotClosed($orgId: ID!) {\n    ballotClosed(orgId: $orgId) { id status entry { id eventName status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebEntryChanged($orgId: ID!) {\n    ledgerEntryChanged(orgId: $orgId) { id kind eventName status reason ballot { id status closesAt } tx { txId status } }\n  }\n"): (typeof documents)["\n  subscription WebEntryChanged($orgId: ID!) {\n    ledgerEntryChanged(orgId: $orgId) { id kind eventName status reason ballot { id status closesAt } tx { txId status } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebTransactionConfirmed($txId: ID!) {\n    transactionConfirmed(txId: $txId) { txId status validationCode block { number } }\n  }\n"): (typeof documents)["\n  subscription WebTransactionConfirmed($txId: ID!) {\n    transactionConfirmed(txId: $txId) { txId status validationCode block { number } }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;