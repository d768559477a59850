import { randomUUID } from "node:crypto";
import { type Clock, errors, type Viewer } from "@clearbook/kit";
import { type EntityManager, LockMode } from "@mikro-orm/mariadb";
import type { ChainCommands, ChainReads } from "../chain/chain.port.js";
import { DeferredStatus, dependencyOn } from "../chain/deferred-commands.js";
import { submitRecorded } from "../chain/transactions.js";
import { DeferredCommandEntity } from "../db/deferred-command.entity.js";
import { EntryActivityEntity } from "../db/entry-activity.entity.js";
import { EvidenceEntity } from "../db/evidence.entity.js";
import { type LedgerEntry, LedgerEntryEntity } from "../db/ledger-entry.entity.js";
import { OrganizationEntity } from "../db/organization.entity.js";
import type { EvidenceService } from "../evidence/evidence.service.js";
import { requireCouncil, requireMember } from "../org/access.js";
import {
  checkEntryFields,
  checkIdempotencyKey,
  EntryAction,
  EntryKind,
  EntryStatus,
  OPEN_SPENDING,
} from "./entry-rules.js";
import { parseAmount } from "./money.js";

export interface EntryServiceDeps {
  clock: Clock;
  chain: ChainCommands;
  reads: ChainReads;
  /** Counts files uploaded straight to the store (S3) before they are attached. */
  evidence: Pick<EvidenceService, "confirmUploads">;
}

export interface EntryInput {
  orgId: string;
  eventName: string;
  year: number;
  semester: number;
  amount: string;
  evidenceIds: string[];
  idempotencyKey: string;
}

/**
 * Deposits and spending. Each mutation pre-checks the rules the chaincode enforces (to fail fast
 * with a clear code), submits the transaction through the outbox and returns the entry with its
 * pending transaction; the indexer moves the entry when the chain commits.
 */
export function createEntryService(deps: EntryServiceDeps) {
  const now = () => new Date(deps.clock.now());

  /** @returns the SHA-256 of each evidence file, in the given order. @throws BAD_USER_INPUT for foreign or missing files. */
  async function evidenceHashes(em: EntityManager, uploaderId: string, ids: string[]): Promise<string[]> {
    if (ids.length > 20) throw errors.badInput("Attach at most 20 evidence files.", "evidenceIds");
    if (new Set(ids).size !== ids.length) throw errors.badInput("An evidence file is listed twice.", "evidenceIds");
    const rows = ids.length ? await em.find(EvidenceEntity, { id: { $in: ids } }) : [];
    const mine = rows.filter((r) => r.uploaderId === uploaderId);
    const refused = await deps.evidence.confirmUploads(mine);
    return ids.map((id) => {
      const row = mine.find((r) => r.id === id);
      if (!row) throw errors.badInput(`Evidence ${id} is not one of your uploads.`, "evidenceIds");
      if (!row.uploadedAt)
        throw errors.badInput(
          `Evidence ${id} does not count yet: ${refused.get(id) ?? "not uploaded"}.`,
          "evidenceIds",
        );
      return row.sha256;
    });
  }

  /**
   * One receipt backs one entry: a file whose content (SHA-256) is already attached to an entry of
   * the organization that was not rejected cannot be attached again, under another upload or not.
   * Runs under the organization's row lock, so two submissions of the same receipt cannot both pass.
   * @throws BAD_USER_INPUT naming the reused file.
   */
  async function refuseReusedReceipts(tx: EntityManager, orgId: string, hashes: string[]): Promise<void> {
    const same = await tx.find(EvidenceEntity, { sha256: { $in: hashes } }, { fields: ["id", "sha256"] });
    if (same.length === 0) return;
    const rows = await tx
      .getConnection()
      .execute<Array<{ id: string }>>(
        `select id from ledger_entries where org_id = ? and status <> 'REJECTED' and (${same
          .map(() => "json_contains(evidence_ids, ?)")
          .join(" or ")}) limit 1`,
        [orgId, ...same.map((e) => JSON.stringify(e.id))],
      );
    if (rows.length > 0) {
      throw errors.badInput("This receipt is already attached to another entry of the organization.", "evidenceIds");
    }
  }

  function activity(em: EntityManager, entryId: string, actorId: string, action: EntryAction, txId: string | null) {
    em.create(EntryActivityEntity, { entryId, actorId, action, txId, at: now() });
  }

  async function create(
    em: EntityManager,
    viewer: Viewer,
    kind: EntryKind,
    input: EntryInput,
    payeeAddress: string | null,
  ) {
    const key = checkIdempotencyKey(input.idempotencyKey);
    const eventName = checkEntryFields(input);
    const amount = parseAmount(input.amount);
    if (!(await em.findOne(OrganizationEntity, { id: input.orgId })))
      throw errors.notFound("Organization", input.orgId);
    const member =
      kind === EntryKind.DEPOSIT
        ? await requireMember(em, viewer, input.orgId)
        : await requireCouncil(em, viewer, input.orgId);
    const previous = await em.findOne(LedgerEntryEntity, { submittedBy: member.userId, idempotencyKey: key });
    if (previous) return previous;
    const hashes = await evidenceHashes(em, member.userId, input.evidenceIds);
    return em.transactional(async (tx) => {
      if (hashes.length > 0 || kind === EntryKind.SPENDING) {
        // Proposals and entries with receipts are checked one at a time per organization (see below).
        await tx.findOneOrFail(OrganizationEntity, { id: input.orgId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      }
      if (hashes.length > 0) await refuseReusedReceipts(tx, input.orgId, hashes);
      if (kind === EntryKind.SPENDING) {
        // One proposal per organization at a time checks what is available: the organization's row
        // is locked first, so a concurrent proposal waits, and its check (a fresh read after the
        // lock) sees this one's entry. Checked outside a lock, two proposals could each spend it all.
        const balance = await deps.reads.treasuryBalance(input.orgId);
        const open = await tx.find(
          LedgerEntryEntity,
          { orgId: input.orgId, kind: EntryKind.SPENDING, status: { $in: OPEN_SPENDING } },
          { refresh: true },
        );
        const committed = open.reduce((sum, e) => sum + e.amount, 0n);
        if (amount > balance - committed) {
          throw errors.insufficientFunds(
            `The treasury has ${balance - committed} available (balance ${balance}, open spending ${committed}).`,
          );
        }
      }
      const id = randomUUID();
      const ballotId = kind === EntryKind.SPENDING ? randomUUID() : null;
      const common = [input.orgId, eventName, String(input.year), String(input.semester), amount.toString()] as const;
      const txId =
        kind === EntryKind.DEPOSIT
          ? await submitRecorded(tx, deps.chain, deps.clock, {
              actorId: member.userId,
              name: "ledger:SubmitDeposit",
              args: [id, ...common, JSON.stringify(hashes)],
              idempotencyKey: `deposit:${member.userId}:${key}`,
              target: { kind: "entry", id },
            })
          : await submitRecorded(tx, deps.chain, deps.clock, {
              actorId: member.userId,
              name: "ledger:ProposeSpending",
              args: [id, ballotId ?? "", ...common, payeeAddress ?? "", JSON.stringify(hashes)],
              idempotencyKey: `spending:${member.userId}:${key}`,
              target: { kind: "entry", id },
            });
      activity(tx, id, member.userId, kind === EntryKind.DEPOSIT ? EntryAction.SUBMITTED : EntryAction.PROPOSED, txId);
      return tx.create(LedgerEntryEntity, {
        id,
        orgId: input.orgId,
        kind,
        eventName,
        year: input.year,
        semester: input.semester,
        amount,
        status: EntryStatus.PENDING,
        submittedBy: member.userId,
        decidedBy: null,
        reason: null,
        payeeAddress,
        ballotId,
        evidenceIds: input.evidenceIds,
        idempotencyKey: key,
        txId,
        createdAt: now(),
        updatedAt: now(),
      });
    });
  }

  async function decide(
    em: EntityManager,
    viewer: Viewer,
    entryId: string,
    reason: string | null,
  ): Promise<LedgerEntry> {
    const entry = await em.findOne(LedgerEntryEntity, { id: entryId });
    if (!entry) throw errors.notFound("Ledger entry", entryId);
    const council = await requireCouncil(em, viewer, entry.orgId);
    if (entry.kind !== EntryKind.DEPOSIT)
      throw errors.badInput("Only deposits are approved this way; spending is voted on.", "entryId");
    if (entry.submittedBy === council.userId) throw errors.forbidden("You cannot decide on a deposit you submitted.");
    if (entry.status !== EntryStatus.PENDING) throw errors.conflict(`This deposit is already ${entry.status}.`);
    if (reason !== null && (reason.trim().length < 1 || reason.length > 500)) {
      throw errors.badInput("Give a reason of 1 to 500 characters.", "reason");
    }
    const target = { kind: "entry", id: entryId } as const;
    const name = reason === null ? "ledger:ApproveDeposit" : "ledger:RejectDeposit";
    const waiting = await em.findOne(DeferredCommandEntity, {
      targetKind: target.kind,
      targetId: entryId,
      status: DeferredStatus.WAITING,
      name: { $in: ["ledger:ApproveDeposit", "ledger:RejectDeposit"] },
    });
    if (waiting) {
      // A decision already waits for the deposit to commit: the same one again is a retry.
      if (waiting.name === name) return entry;
      throw errors.conflict("Another decision on this deposit is waiting for the deposit to commit.");
    }
    // Approving a deposit whose own transaction is still pending waits for it (decision 0300).
    const after = await dependencyOn(em, target, entry.txId);
    return em.transactional(async (tx) => {
      const txId =
        reason === null
          ? await submitRecorded(tx, deps.chain, deps.clock, {
              actorId: council.userId,
              name: "ledger:ApproveDeposit",
              args: [entryId],
              after,
              target,
            })
          : await submitRecorded(tx, deps.chain, deps.clock, {
              actorId: council.userId,
              name: "ledger:RejectDeposit",
              args: [entryId, reason.trim()],
              after,
              target,
            });
      activity(
        tx,
        entryId,
        council.userId,
        reason === null ? EntryAction.APPROVAL_REQUESTED : EntryAction.REJECTION_REQUESTED,
        txId,
      );
      // A deferred decision keeps the deposit's own transaction until it is sent.
      if (txId) entry.txId = txId;
      entry.updatedAt = now();
      tx.persist(entry);
      return entry;
    });
  }

  return {
    /** @throws FORBIDDEN for non-members, BAD_USER_INPUT for bad fields, NOT_FOUND for an unknown org. */
    submitDeposit: (em: EntityManager, viewer: Viewer, input: EntryInput) =>
      create(em, viewer, EntryKind.DEPOSIT, input, null),

    /** @throws FORBIDDEN unless council, INSUFFICIENT_FUNDS above the treasury less open spending. */
    proposeSpending(em: EntityManager, viewer: Viewer, input: EntryInput & { payeeAddress: string }) {
      const payee = input.payeeAddress.trim();
      // The chaincode's address rule: an id-like string; `org:` addresses are treasuries.
      if (!/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/.test(payee) || payee.startsWith("org:")) {
        throw errors.badInput(
          "The payee address must be 1–128 letters, digits or . _ : @ - (not an org: treasury).",
          "payeeAddress",
        );
      }
      return create(em, viewer, EntryKind.SPENDING, input, payee);
    },

    /** @throws FORBIDDEN unless council and not the submitter, CONFLICT once decided. */
    approveDeposit: (em: EntityManager, viewer: Viewer, entryId: string) => decide(em, viewer, entryId, null),

    rejectDeposit: (em: EntityManager, viewer: Viewer, entryId: string, reason: string) =>
      decide(em, viewer, entryId, reason),

    entry: (em: EntityManager, id: string) => em.findOne(LedgerEntryEntity, { id }),

    activity: (em: EntityManager, entryId: string) =>
      em.find(EntryActivityEntity, { entryId }, { orderBy: { id: "asc" } }),
  };
}

export type EntryService = ReturnType<typeof createEntryService>;
