import { randomUUID } from "node:crypto";
import type { SubmitTransactionName } from "@clearbook/contracts";
import type { Clock, Logger } from "@clearbook/kit";
import { LockMode } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/mariadb";
import { ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import type { LedgerDatabase } from "../db/database.js";
import { type DeferredCommand, DeferredCommandEntity } from "../db/deferred-command.entity.js";
import { EntryActivityEntity } from "../db/entry-activity.entity.js";
import { FabricIdentityEntity } from "../db/fabric-identity.entity.js";
import { LedgerEntryEntity } from "../db/ledger-entry.entity.js";
import { MembershipRequestEntity } from "../db/membership-request.entity.js";
import { OrganizationEntity } from "../db/organization.entity.js";
import { UserEntity } from "../db/user.entity.js";
import { EntryAction, EntryStatus } from "../entries/entry-rules.js";
import type { LedgerEntryChanged } from "../indexer/projection.js";
import type { CommandDependency, CommandTarget } from "./chain.port.js";
import { type PrepareProposal, requestEnrollment, type SendableCommand, sendCommand } from "./outbox-chain.js";
import { rerelayWithoutOutcome } from "./rerelay.js";
import { TxStatus } from "./transactions.js";

export const DeferredStatus = { WAITING: "WAITING", SENT: "SENT", FAILED: "FAILED" } as const;

/** The reason code a command gets when what it depends on was refused (it never reaches the chain). */
export const DEPENDENCY_REJECTED = "DEPENDENCY_REJECTED";

/** Commands that create their target: when one fails, the target fails with it. */
const CREATES_TARGET: ReadonlySet<string> = new Set([
  "ledger:SubmitDeposit",
  "ledger:ProposeSpending",
  "org:RequestMembership",
  "org:CreateOrganization",
]);

/** The activity row a mutation recorded for each entry command (its transaction id arrives on sending). */
const ACTIVITY_OF: Readonly<Record<string, string>> = {
  "ledger:SubmitDeposit": EntryAction.SUBMITTED,
  "ledger:ProposeSpending": EntryAction.PROPOSED,
  "ledger:ApproveDeposit": EntryAction.APPROVAL_REQUESTED,
  "ledger:RejectDeposit": EntryAction.REJECTION_REQUESTED,
};

/** The deferred command recorded under `commandId`, if any (a retried mutation). */
export function findDeferred(em: EntityManager, commandId: string): Promise<DeferredCommand | null> {
  return em.findOne(DeferredCommandEntity, { commandId });
}

/**
 * What a command acting on `target` must wait for: the target's own pending transaction (`txId`),
 * or, while the target's creating command is itself deferred, that command. Null when nothing is
 * pending (the target's transaction committed, or was refused and the chain will say so).
 */
export async function dependencyOn(
  em: EntityManager,
  target: CommandTarget,
  txId: string | null | undefined,
): Promise<CommandDependency | null> {
  if (txId) {
    const tx = await em.findOne(ChainTransactionEntity, { txId });
    return tx?.status === TxStatus.PENDING ? { txId } : null;
  }
  const waiting = await em.findOne(
    DeferredCommandEntity,
    { targetKind: target.kind, targetId: target.id, status: DeferredStatus.WAITING },
    { orderBy: { createdAt: "asc", id: "asc" } },
  );
  return waiting ? { deferredId: waiting.id } : null;
}

/** Records a command to send later, in the caller's unit of work. */
export async function deferCommand(
  em: EntityManager,
  clock: Clock,
  command: SendableCommand,
  after: CommandDependency | null,
  target: CommandTarget | undefined,
): Promise<DeferredCommand> {
  return em.create(DeferredCommandEntity, {
    id: randomUUID(),
    actorId: command.actorId,
    name: command.name,
    args: JSON.stringify(command.args),
    commandId: command.commandId,
    afterTxId: after && "txId" in after ? after.txId : null,
    afterCommandId: after && "deferredId" in after ? after.deferredId : null,
    targetKind: target?.kind ?? "none",
    targetId: target?.id ?? "",
    status: DeferredStatus.WAITING,
    txId: null,
    reason: null,
    createdAt: new Date(clock.now()),
    decidedAt: null,
  });
}

export interface DeferredReleaserDeps {
  db: LedgerDatabase;
  prepare: PrepareProposal;
  clock: Clock;
  logger?: Logger;
  /** Called after commands went to the outbox (wake the relay). */
  onSent?: () => void;
  /** Called with the entries a failed command changed (for `evt:ledger`). */
  onChanged?: (changed: LedgerEntryChanged[]) => Promise<void>;
  /** How often to look when nobody kicks. Default 200 ms. */
  pollIntervalMs?: number;
  /** After this long without an identity, the enrollment is requested again. Default 5 s. */
  enrollRetryMs?: number;
  /** A relayed command with no outcome after this long is relayed again (`rerelayWithoutOutcome`). Default 60 s. */
  rerelayAfterMs?: number;
}

export interface DeferredReleaser {
  /** Looks at every waiting command once. @returns how many were sent or failed. */
  releaseOnce(): Promise<number>;
  /** Wakes the loop now (an identity arrived, a transaction committed). */
  kick(): void;
  start(): void;
  dispose(): Promise<void>;
}

type Step =
  | { kind: "wait"; needsIdentity?: boolean }
  | { kind: "sent" }
  | { kind: "failed"; changed: LedgerEntryChanged[] };

/**
 * Also relays again, every `rerelayAfterMs`, commands that were relayed but have no outcome.
 *
 * Sends each deferred command once its actor's identity exists and its dependency has committed;
 * fails it (and what it would have created) with `DEPENDENCY_REJECTED` when the dependency was
 * refused. Each command is settled in its own transaction under a row lock, so replicas never send
 * one twice; the outbox id (the mutation's idempotency key) makes a resend a no-op anyway.
 */
export function createDeferredReleaser(deps: DeferredReleaserDeps): DeferredReleaser {
  const pollIntervalMs = deps.pollIntervalMs ?? 200;
  const enrollRetryMs = deps.enrollRetryMs ?? 5000;
  /** Platform admins already told about (their identity comes from an operator, not from here). */
  const waitingAdmins = new Set<string>();
  const rerelayAfterMs = deps.rerelayAfterMs ?? 60_000;
  let lastRerelayAt = deps.clock.now();
  const now = () => new Date(deps.clock.now());
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let kicked = false;

  async function fail(tx: EntityManager, row: DeferredCommand, reason: string): Promise<Step> {
    row.status = DeferredStatus.FAILED;
    row.reason = reason.slice(0, 500);
    row.decidedAt = now();
    const creates = CREATES_TARGET.has(row.name);
    const changed: LedgerEntryChanged[] = [];
    if (row.targetKind === "entry") {
      const entry = await tx.findOne(LedgerEntryEntity, { id: row.targetId });
      if (entry) {
        tx.create(EntryActivityEntity, {
          entryId: entry.id,
          actorId: row.actorId,
          action: EntryAction.TX_FAILED,
          txId: null,
          at: now(),
        });
        if (entry.status === EntryStatus.PENDING) {
          if (creates) entry.status = EntryStatus.REJECTED;
          entry.reason = row.reason;
        }
        entry.updatedAt = now();
        changed.push({ orgId: entry.orgId, entryId: entry.id });
      }
    } else if (row.targetKind === "request" && creates) {
      await tx.nativeUpdate(MembershipRequestEntity, { id: row.targetId, status: "PENDING" }, { status: "REJECTED" });
    } else if (row.targetKind === "org" && creates) {
      await tx.nativeUpdate(OrganizationEntity, { id: row.targetId, status: "PENDING" }, { status: "FAILED" });
    }
    return { kind: "failed", changed };
  }

  async function send(tx: EntityManager, row: DeferredCommand, identity: { mspId: string; certPem: string }) {
    const txId = await sendCommand(tx, deps, identity, {
      actorId: row.actorId,
      name: row.name as SubmitTransactionName,
      args: JSON.parse(row.args) as string[],
      commandId: row.commandId,
    });
    if (!(await tx.findOne(ChainTransactionEntity, { txId }))) {
      tx.create(ChainTransactionEntity, {
        txId,
        function: row.name,
        creatorId: row.actorId,
        status: TxStatus.PENDING,
        validationCode: null,
        blockNumber: null,
        createdAt: now(),
        committedAt: null,
      });
    }
    if (row.targetKind === "entry") {
      await tx.nativeUpdate(LedgerEntryEntity, { id: row.targetId }, { txId, updatedAt: now() });
      const action = ACTIVITY_OF[row.name];
      if (action) {
        await tx.nativeUpdate(
          EntryActivityEntity,
          { entryId: row.targetId, actorId: row.actorId, action, txId: null },
          { txId },
        );
      }
    } else if (row.targetKind === "request") {
      await tx.nativeUpdate(MembershipRequestEntity, { id: row.targetId, status: "PENDING" }, { txId });
    } else if (row.targetKind === "org") {
      await tx.nativeUpdate(OrganizationEntity, { id: row.targetId, txId: null }, { txId });
    }
    row.status = DeferredStatus.SENT;
    row.txId = txId;
    row.decidedAt = now();
  }

  async function settle(id: string): Promise<Step> {
    return deps.db.fork().transactional(async (tx) => {
      const row = await tx.findOne(
        DeferredCommandEntity,
        { id, status: DeferredStatus.WAITING },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!row) return { kind: "wait" };
      let dependencyTx = row.afterTxId;
      if (row.afterCommandId) {
        const dependency = await tx.findOne(DeferredCommandEntity, { id: row.afterCommandId });
        if (!dependency || dependency.status === DeferredStatus.FAILED) {
          return fail(tx, row, `${DEPENDENCY_REJECTED}: ${dependency?.reason ?? "the command it follows is gone"}`);
        }
        if (dependency.status === DeferredStatus.WAITING) return { kind: "wait" };
        dependencyTx = dependency.txId;
      }
      if (dependencyTx) {
        const dependency = await tx.findOne(ChainTransactionEntity, { txId: dependencyTx });
        if (dependency?.status === TxStatus.REJECTED) {
          return fail(
            tx,
            row,
            `${DEPENDENCY_REJECTED}: transaction ${dependencyTx} was refused (${dependency.validationCode ?? "unknown"})`,
          );
        }
        if (dependency?.status !== TxStatus.COMMITTED) return { kind: "wait" };
      }
      const identity = await tx.findOne(FabricIdentityEntity, { userId: row.actorId });
      if (!identity) return { kind: "wait", needsIdentity: true };
      await send(tx, row, identity);
      return { kind: "sent" };
    });
  }

  /** Asks the signer again for identities that have not come after `enrollRetryMs` (the first request may have failed). */
  async function retryEnrollments(rows: DeferredCommand[]): Promise<boolean> {
    let requested = false;
    const age = new Map<string, number>();
    for (const row of rows) {
      const waited = deps.clock.now() - row.createdAt.getTime();
      age.set(row.actorId, Math.max(age.get(row.actorId) ?? 0, waited));
    }
    for (const [userId, waited] of age) {
      const attempt = Math.floor(waited / enrollRetryMs);
      if (attempt < 1) continue;
      const recorded = await deps.db.fork().transactional(async (tx) => {
        const user = await tx.findOne(UserEntity, { id: userId });
        if (!user) return false;
        if (user.platformRoles.includes("ADMIN")) {
          // Only an operator can issue it (decision 0361); asking the signer again would be refused.
          if (!waitingAdmins.has(userId)) {
            waitingAdmins.add(userId);
            deps.logger?.warn(
              { userId },
              "a platform admin's commands wait for an admin identity: npm run enroll-admin -w @clearbook/signer -- <userId>",
            );
          }
          return false;
        }
        return requestEnrollment(tx, deps.clock, userId, attempt);
      });
      if (recorded) deps.logger?.warn({ userId, attempt }, "identity not issued yet; enrollment requested again");
      requested ||= recorded;
    }
    return requested;
  }

  async function releaseOnce(): Promise<number> {
    const waiting = await deps.db
      .fork()
      .find(
        DeferredCommandEntity,
        { status: DeferredStatus.WAITING },
        { orderBy: { createdAt: "asc", id: "asc" }, limit: 500 },
      );
    let settled = 0;
    let sent = 0;
    const withoutIdentity: DeferredCommand[] = [];
    for (const row of waiting) {
      const step = await settle(row.id);
      if (step.kind === "wait") {
        if (step.needsIdentity) withoutIdentity.push(row);
        continue;
      }
      settled++;
      if (step.kind === "sent") sent++;
      else if (step.changed.length) await deps.onChanged?.(step.changed);
    }
    if (sent > 0) deps.onSent?.();
    if (withoutIdentity.length && (await retryEnrollments(withoutIdentity))) deps.onSent?.();
    return settled;
  }

  function sleep(ms: number): Promise<void> {
    if (kicked) {
      kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function rerelayIfDue() {
    if (deps.clock.now() - lastRerelayAt < rerelayAfterMs / 2) return;
    lastRerelayAt = deps.clock.now();
    const marked = await rerelayWithoutOutcome(deps.db, deps.clock, rerelayAfterMs);
    if (marked === 0) return;
    deps.logger?.warn({ marked }, "commands without an outcome relayed again");
    deps.onSent?.();
  }

  async function run() {
    while (running) {
      try {
        await releaseOnce();
        await rerelayIfDue();
      } catch (error) {
        deps.logger?.error({ err: error }, "releasing deferred commands failed; retrying");
      }
      if (running) await sleep(pollIntervalMs);
    }
  }

  return {
    releaseOnce,
    kick() {
      if (wake) wake();
      else kicked = true;
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async dispose() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
