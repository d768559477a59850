// Every operation the web app runs. GraphQL Code Generator types them and writes their ids into the
// persisted-document manifest (persisted/manifest.json), which is all the app sends in production.
import { graphql } from "./gql/index.js";

export const OrganizationsQuery = graphql(`
  query WebOrganizations {
    organizations { id name treasuryBalance }
  }
`);

export const MeQuery = graphql(`
  query WebMe {
    me { id displayName memberships { roles since organization { id name } } }
  }
`);

export const OrganizationBooksQuery = graphql(`
  query WebOrganizationBooks($orgId: ID!, $filter: EntryFilter, $after: String) {
    organization(id: $orgId) {
      id
      name
      treasuryBalance
      entries(filter: $filter, first: 50, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges {
          node {
            id kind eventName year semester amount status reason createdAt
            submittedBy { id displayName }
            evidence { id fileName sha256 url }
            tx { txId status }
            ballot { id status closesAt }
          }
        }
      }
    }
  }
`);

export const OpenBallotsQuery = graphql(`
  query WebOpenBallots($orgId: ID!) {
    organization(id: $orgId) {
      id
      ballots(status: OPEN) { id status closesAt entry { id eventName amount } tally { ballotId approve reject eligible turnout quorumReached updatedAt } }
    }
  }
`);

export const LedgerEntryQuery = graphql(`
  query WebLedgerEntry($id: ID!) {
    ledgerEntry(id: $id) {
      id kind eventName year semester amount status reason payeeAddress createdAt
      organization { id name }
      submittedBy { id displayName }
      decidedBy { id displayName }
      evidence { id fileName contentType sha256 size url }
      tx { txId status }
      activity { action at actor { id displayName } tx { txId status } }
      ballot { id status closesAt }
    }
  }
`);

export const ExplorerQuery = graphql(`
  query WebExplorer($last: Int) {
    blocks(last: $last) { number hash previousHash dataHash transactions { txId function status } }
  }
`);

export const VerifyChainQuery = graphql(`
  query WebVerifyChain {
    verifyChain { ok checkedBlocks firstBadBlock }
  }
`);

export const ChainTransactionQuery = graphql(`
  query WebChainTransaction($txId: ID!) {
    chainTransaction(txId: $txId) { txId status validationCode function creator timestamp block { number hash } }
  }
`);

export const BallotQuery = graphql(`
  query WebBallot($id: ID!) {
    ballot(id: $id) {
      id status opensAt closesAt quorum threshold myVote myVotePending
      organization { id name }
      tally { ballotId approve reject eligible turnout quorumReached updatedAt }
      entry { id eventName amount payeeAddress submittedBy { id displayName } evidence { id fileName sha256 url } }
    }
  }
`);

export const MembershipRequestsQuery = graphql(`
  query WebMembershipRequests($orgId: ID!) {
    membershipRequests(orgId: $orgId) { id status user { id displayName } tx { txId status } }
  }
`);

export const SignUpMutation = graphql(`
  mutation WebSignUp($input: SignUpInput!) {
    signUp(input: $input) { accessToken refreshToken user { id displayName } }
  }
`);

export const LogInMutation = graphql(`
  mutation WebLogIn($email: String!, $password: String!, $deviceName: String) {
    logIn(email: $email, password: $password, deviceName: $deviceName) { accessToken refreshToken user { id displayName } }
  }
`);

export const RefreshSessionMutation = graphql(`
  mutation WebRefreshSession($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { accessToken refreshToken user { id displayName } }
  }
`);

export const LogOutMutation = graphql(`
  mutation WebLogOut($refreshToken: String, $allDevices: Boolean) {
    logOut(refreshToken: $refreshToken, allDevices: $allDevices)
  }
`);

export const RequestMembershipMutation = graphql(`
  mutation WebRequestMembership($orgId: ID!) {
    requestMembership(orgId: $orgId) { id status tx { txId status } }
  }
`);

export const ApproveMembershipMutation = graphql(`
  mutation WebApproveMembership($requestId: ID!) {
    approveMembership(requestId: $requestId) { id status tx { txId status } }
  }
`);

export const CreateEvidenceUploadMutation = graphql(`
  mutation WebCreateEvidenceUpload($input: EvidenceUploadInput!) {
    createEvidenceUpload(input: $input) { uploadUrl expiresAt evidence { id fileName sha256 size } }
  }
`);

export const SubmitDepositMutation = graphql(`
  mutation WebSubmitDeposit($input: DepositInput!) {
    submitDeposit(input: $input) { id status tx { txId status } }
  }
`);

export const ApproveDepositMutation = graphql(`
  mutation WebApproveDeposit($entryId: ID!) {
    approveDeposit(entryId: $entryId) { id status tx { txId status } }
  }
`);

export const RejectDepositMutation = graphql(`
  mutation WebRejectDeposit($entryId: ID!, $reason: String!) {
    rejectDeposit(entryId: $entryId, reason: $reason) { id status reason tx { txId status } }
  }
`);

export const ProposeSpendingMutation = graphql(`
  mutation WebProposeSpending($input: SpendingInput!) {
    proposeSpending(input: $input) { id status tx { txId status } }
  }
`);

export const CastVoteMutation = graphql(`
  mutation WebCastVote($ballotId: ID!, $choice: VoteChoice!) {
    castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId status } ballot { id myVote myVotePending } }
  }
`);

export const TallySubscription = graphql(`
  subscription WebTally($ballotId: ID!) {
    voteTallyChanged(ballotId: $ballotId) { ballotId approve reject eligible turnout quorumReached updatedAt }
  }
`);

export const BallotClosedSubscription = graphql(`
  subscription WebBallotClosed($orgId: ID!) {
    ballotClosed(orgId: $orgId) { id status entry { id eventName status } }
  }
`);

export const EntryChangedSubscription = graphql(`
  subscription WebEntryChanged($orgId: ID!) {
    ledgerEntryChanged(orgId: $orgId) { id kind eventName status reason ballot { id status closesAt } tx { txId status } }
  }
`);

export const TransactionConfirmedSubscription = graphql(`
  subscription WebTransactionConfirmed($txId: ID!) {
    transactionConfirmed(txId: $txId) { txId status validationCode block { number } }
  }
`);
