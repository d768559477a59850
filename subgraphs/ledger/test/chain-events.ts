import type { LedgerEntry as ChainEntry, Member } from "@clearbook/contracts";
import type { CommittedEvent } from "../src/indexer/projection.js";

/**
 * Builds the chaincode events a commit would produce, in the contracts' documented shapes, so the
 * indexer's real projection can be driven without a peer.
 */
let block = 1;
const at = () => new Date(Date.UTC(2026, 8, 1, 12)).toISOString();

export function member(orgId: string, userId: string, council: boolean): Member {
  return { orgId, userId, council, since: at(), requestId: null };
}

export function orgCreated(txId: string, orgId: string, name: string, founderId: string): CommittedEvent {
  return {
    name: "OrgCreated",
    txId,
    blockNumber: block++,
    payload: {
      organization: {
        orgId,
        name,
        founderId,
        treasuryAddress: `org:${orgId}`,
        settings: { ballotDurationSeconds: 3600, quorumBps: 0, thresholdBps: 5000 },
        createdAt: at(),
      },
      treasury: { address: `org:${orgId}`, kind: "TREASURY", owner: null, orgId, balance: "0", openedAt: at() },
      founder: member(orgId, founderId, true),
    },
  };
}

export function membershipApproved(
  txId: string,
  requestId: string,
  orgId: string,
  userId: string,
  approvedBy: string,
): CommittedEvent {
  return {
    name: "OrgMembershipApproved",
    txId,
    blockNumber: block++,
    payload: {
      request: { requestId, orgId, userId, status: "APPROVED", requestedAt: at(), approvedBy, approvedAt: at() },
      member: { ...member(orgId, userId, false), requestId },
    },
  };
}

export function councilGranted(txId: string, orgId: string, userId: string): CommittedEvent {
  return { name: "OrgCouncilGranted", txId, blockNumber: block++, payload: { member: member(orgId, userId, true) } };
}

export function chainEntry(
  fields: Partial<ChainEntry> & Pick<ChainEntry, "entryId" | "orgId" | "submittedBy">,
): ChainEntry {
  return {
    kind: "DEPOSIT",
    eventName: "Bake sale",
    year: 2026,
    semester: 2,
    amount: "12500",
    evidence: [],
    payeeAddress: null,
    ballotId: null,
    status: "PENDING",
    decidedBy: null,
    reason: null,
    createdAt: at(),
    decidedAt: null,
    paidAt: null,
    ...fields,
  };
}

export function depositSubmitted(txId: string, entry: ChainEntry): CommittedEvent {
  return { name: "LedgerDepositSubmitted", txId, blockNumber: block++, payload: { entry } };
}

export function depositApproved(txId: string, entry: ChainEntry, approvedBy: string): CommittedEvent {
  return {
    name: "LedgerDepositApproved",
    txId,
    blockNumber: block++,
    payload: {
      entry: { ...entry, status: "APPROVED", decidedBy: approvedBy, decidedAt: at() },
      treasury: null,
      mint: null,
    },
  };
}
