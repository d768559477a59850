import { randomUUID } from "node:crypto";
import type { LedgerEntry as ChainEntry, ChainEvent, Member } from "@clearbook/contracts";
import type { Clock } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { TxStatus } from "../chain/transactions.js";
import { ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import { EntryActivityEntity } from "../db/entry-activity.entity.js";
import { LedgerEntryEntity } from "../db/ledger-entry.entity.js";
import { MembershipEntity } from "../db/membership.entity.js";
import { MembershipRequestEntity } from "../db/membership-request.entity.js";
import { OrganizationEntity } from "../db/organization.entity.js";
import { EntryAction, EntryStatus } from "../entries/entry-rules.js";
import { OrgStatus, RequestStatus } from "../org/organization.service.js";

/** A committed chaincode event with where it was committed. */
export type CommittedEvent = ChainEvent & { txId: string; blockNumber: number; creatorId?: string };

/** What changed, for `evt:ledger` (the gateway refetches `ledgerEntry(id)`). */
export interface LedgerEntryChanged {
  orgId: string;
  entryId: string;
}

/**
 * Applies one committed chaincode event to the read models, in the caller's unit of work.
 * Idempotent: replaying an event (after a crash before the checkpoint moved) writes the same state.
 * @returns the entries whose state changed.
 */
export async function applyChainEvent(
  em: EntityManager,
  event: CommittedEvent,
  clock: Clock,
): Promise<LedgerEntryChanged[]> {
  await markCommitted(em, event.txId, event.blockNumber, event.name, clock);
  switch (event.name) {
    case "OrgCreated": {
      const { organization, founder } = event.payload;
      const org = await em.findOne(OrganizationEntity, { id: organization.orgId });
      if (org) {
        org.status = OrgStatus.ACTIVE;
        org.name = organization.name;
      } else {
        em.create(OrganizationEntity, {
          id: organization.orgId,
          name: organization.name,
          founderId: organization.founderId,
          status: OrgStatus.ACTIVE,
          txId: event.txId,
          createdAt: new Date(organization.createdAt),
        });
      }
      await upsertMember(em, founder);
      return [];
    }
    case "OrgMembershipRequested": {
      const { request } = event.payload;
      const row = await em.findOne(MembershipRequestEntity, { id: request.requestId });
      if (!row) {
        em.create(MembershipRequestEntity, {
          id: request.requestId,
          orgId: request.orgId,
          userId: request.userId,
          status: RequestStatus.PENDING,
          approvedBy: null,
          txId: event.txId,
          requestedAt: new Date(request.requestedAt),
          approvedAt: null,
        });
      }
      return [];
    }
    case "OrgMembershipApproved": {
      const { request, member } = event.payload;
      const row = await em.findOne(MembershipRequestEntity, { id: request.requestId });
      if (row) {
        row.status = RequestStatus.APPROVED;
        row.approvedBy = request.approvedBy;
        row.approvedAt = request.approvedAt ? new Date(request.approvedAt) : null;
        row.txId = event.txId;
      }
      await upsertMember(em, member);
      return [];
    }
    case "OrgCouncilGranted":
    case "OrgCouncilRevoked":
      await upsertMember(em, event.payload.member);
      return [];
    case "LedgerDepositSubmitted":
      return [await upsertEntry(em, event.payload.entry, event.txId, EntryAction.RECORDED, clock)];
    case "LedgerDepositApproved":
      return [await upsertEntry(em, event.payload.entry, event.txId, EntryAction.APPROVED, clock)];
    case "LedgerDepositRejected":
      return [await upsertEntry(em, event.payload.entry, event.txId, EntryAction.REJECTED, clock)];
    case "LedgerSpendingProposed":
      return [await upsertEntry(em, event.payload.entry, event.txId, EntryAction.VOTING_OPENED, clock)];
    case "VotingBallotFinalized": {
      const action = event.payload.entry.status === EntryStatus.APPROVED ? EntryAction.APPROVED : EntryAction.REJECTED;
      return [await upsertEntry(em, event.payload.entry, event.txId, action, clock)];
    }
    case "TokenSpendingPaid":
      return [await upsertEntry(em, event.payload.entry, event.txId, EntryAction.PAID, clock)];
    default:
      return [];
  }
}

/**
 * Applies a transaction the chain refused (from the signer's `TransactionRejected`): marks it, and
 * an entry that only existed as that pending submission becomes REJECTED with the reason.
 */
export async function applyRejection(
  em: EntityManager,
  outcome: { txId: string; validationCode: string; blockNumber: number | null; reason?: string },
  clock: Clock,
): Promise<LedgerEntryChanged[]> {
  const tx = await em.findOne(ChainTransactionEntity, { txId: outcome.txId });
  if (tx) {
    tx.status = TxStatus.REJECTED;
    tx.validationCode = outcome.validationCode;
    tx.blockNumber = outcome.blockNumber;
  }
  const changed: LedgerEntryChanged[] = [];
  const entries = await em.find(LedgerEntryEntity, { txId: outcome.txId });
  for (const entry of entries) {
    em.create(EntryActivityEntity, {
      entryId: entry.id,
      actorId: tx?.creatorId ?? entry.submittedBy,
      action: EntryAction.TX_FAILED,
      txId: outcome.txId,
      at: new Date(clock.now()),
    });
    const firstSubmission = tx?.function === "ledger:SubmitDeposit" || tx?.function === "ledger:ProposeSpending";
    if (entry.status === EntryStatus.PENDING) {
      // A refused first submission rejects the entry; a refused decision leaves it pending (the
      // council may try again) and says why it failed.
      if (firstSubmission) entry.status = EntryStatus.REJECTED;
      entry.reason = (outcome.reason || `transaction ${outcome.validationCode}`).slice(0, 500);
    }
    entry.updatedAt = new Date(clock.now());
    changed.push({ orgId: entry.orgId, entryId: entry.id });
  }
  const requests = await em.find(MembershipRequestEntity, { txId: outcome.txId, status: RequestStatus.PENDING });
  for (const request of requests) if (tx?.function === "org:RequestMembership") request.status = RequestStatus.REJECTED;
  const orgs = await em.find(OrganizationEntity, { txId: outcome.txId, status: OrgStatus.PENDING });
  for (const org of orgs) org.status = OrgStatus.FAILED;
  return changed;
}

async function markCommitted(em: EntityManager, txId: string, blockNumber: number, name: string, clock: Clock) {
  const tx = await em.findOne(ChainTransactionEntity, { txId });
  if (tx) {
    tx.status = TxStatus.COMMITTED;
    tx.validationCode = "VALID";
    tx.blockNumber = blockNumber;
    tx.committedAt ??= new Date(clock.now());
  } else {
    await recordForeignCommit(em, txId, blockNumber, name, clock);
  }
}

/**
 * Records the commit of a transaction this service did not see submitted (another service's, or a
 * replayed chain's). The evt:chain consumer may insert the same row at the same moment, so the insert
 * keeps what it wrote (function, creator) and only sets the outcome. Plain query-builder upsert:
 * `em.upsert` hydrates the row it gets back and fails when MariaDB's duplicate-key path returns none.
 */
export async function recordForeignCommit(
  em: EntityManager,
  txId: string,
  blockNumber: number,
  name: string,
  clock: Clock,
): Promise<void> {
  const now = new Date(clock.now());
  await em
    .createQueryBuilder(ChainTransactionEntity)
    .insert({
      txId,
      function: name,
      creatorId: "",
      status: TxStatus.COMMITTED,
      validationCode: "VALID",
      blockNumber,
      createdAt: now,
      committedAt: now,
    })
    .onConflict("txId")
    .merge(["status", "validationCode", "blockNumber", "committedAt"])
    .execute();
}

async function upsertMember(em: EntityManager, member: Member) {
  const row = await em.findOne(MembershipEntity, { orgId: member.orgId, userId: member.userId });
  if (row) {
    row.council = member.council;
    return;
  }
  em.create(MembershipEntity, {
    id: randomUUID(),
    orgId: member.orgId,
    userId: member.userId,
    council: member.council,
    since: new Date(member.since),
  });
}

async function upsertEntry(
  em: EntityManager,
  doc: ChainEntry,
  txId: string,
  action: EntryAction,
  clock: Clock,
): Promise<LedgerEntryChanged> {
  const at = new Date(clock.now());
  let row = await em.findOne(LedgerEntryEntity, { id: doc.entryId });
  if (!row) {
    row = em.create(LedgerEntryEntity, {
      id: doc.entryId,
      orgId: doc.orgId,
      kind: doc.kind,
      eventName: doc.eventName,
      year: doc.year,
      semester: doc.semester,
      amount: BigInt(doc.amount),
      status: doc.status,
      submittedBy: doc.submittedBy,
      decidedBy: doc.decidedBy,
      reason: doc.reason,
      payeeAddress: doc.payeeAddress,
      ballotId: doc.ballotId,
      evidenceIds: [],
      idempotencyKey: `chain:${doc.entryId}`,
      txId,
      createdAt: new Date(doc.createdAt),
      updatedAt: at,
    });
  } else {
    row.status = doc.status;
    row.decidedBy = doc.decidedBy;
    row.reason = doc.reason;
    row.ballotId = doc.ballotId;
    row.txId = txId;
    row.updatedAt = at;
  }
  const seen = await em.findOne(EntryActivityEntity, { entryId: doc.entryId, txId, action });
  if (!seen) {
    const actor =
      action === EntryAction.RECORDED || action === EntryAction.VOTING_OPENED ? doc.submittedBy : doc.decidedBy;
    em.create(EntryActivityEntity, { entryId: doc.entryId, actorId: actor ?? "", action, txId, at });
  }
  return { orgId: doc.orgId, entryId: doc.entryId };
}
