import { anonymousViewer, type Viewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { TxStatus } from "../chain/transactions.js";
import { ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import { FabricIdentityEntity } from "../db/fabric-identity.entity.js";
import { type LedgerEntry, LedgerEntryEntity } from "../db/ledger-entry.entity.js";
import { MembershipEntity } from "../db/membership.entity.js";
import { type MembershipRequest, MembershipRequestEntity } from "../db/membership-request.entity.js";
import { OrganizationEntity } from "../db/organization.entity.js";
import { type User, UserEntity } from "../db/user.entity.js";
import { EntryKind, EntryStatus } from "../entries/entry-rules.js";
import type { LedgerServices } from "../graphql/context.js";
import { OrgStatus, RequestStatus } from "../org/organization.service.js";

export const DEMO_PASSWORD = "clearbook-demo";
export const DEMO_ORG = "Clearbook Student Council";
const MEMBERS = 30;
const DEPOSITORS = 10;

export interface SeedDeps {
  services: LedgerServices;
  fork: () => EntityManager;
  say: (line: string) => void;
  /** Longest wait for one step to commit on chain. */
  stepTimeoutMs?: number;
  /**
   * Issues the platform admin's Fabric identity as an operator does (no stream may ask for an admin
   * identity, decision 0361): the seed runs the signer's `enroll-admin`.
   */
  enrollAdmin: (userId: string) => Promise<void>;
  /** Casts a demo vote (through the gateway); null skips the votes. */
  castVote?: ((email: string, ballotId: string, choice: "APPROVE" | "REJECT") => Promise<void>) | null;
}

export interface SeedResult {
  orgId: string;
  spendingEntryId: string;
  ballotId: string | null;
}

const memberEmail = (i: number) => `member${String(i).padStart(2, "0")}@clearbook.dev`;

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs / 1000}s waiting for ${what}: are the ledger, signer and devpeer running?`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const viewerOf = (user: User): Viewer => ({
  ...anonymousViewer("seed"),
  sub: user.id,
  roles: user.platformRoles.includes("ADMIN") ? ["ADMIN"] : [],
});

/**
 * Seeds the demo organization through the same services the API uses, so everything goes on chain
 * through the signer. Idempotent: every step looks for what an earlier run made first.
 */
export async function seedDemo(deps: SeedDeps): Promise<SeedResult> {
  const { services, fork, say } = deps;
  const timeout = deps.stepTimeoutMs ?? 120_000;
  const committed = async (txIds: (string | null | undefined)[]) => {
    const ids = txIds.filter((id): id is string => Boolean(id));
    if (!ids.length) return true;
    const rows = await fork().find(ChainTransactionEntity, { txId: { $in: ids } });
    return rows.length === ids.length && rows.every((r) => r.status !== TxStatus.PENDING);
  };

  // 1. Accounts (each enrolls a Fabric identity through the signer).
  const wanted = [
    { email: "admin@clearbook.dev", displayName: "Platform Admin", admin: true },
    { email: "council@clearbook.dev", displayName: "Council Treasurer", admin: false },
    ...Array.from({ length: MEMBERS }, (_, i) => ({
      email: memberEmail(i + 1),
      displayName: `Member ${String(i + 1).padStart(2, "0")}`,
      admin: false,
    })),
  ];
  const users = new Map<string, User>();
  for (const w of wanted) {
    const existing = await fork().findOne(UserEntity, { email: w.email });
    const user =
      existing ??
      (
        await services.sessions.signUp(
          fork(),
          { email: w.email, password: DEMO_PASSWORD, displayName: w.displayName },
          "seed",
          w.admin ? ["ADMIN"] : [],
        )
      ).user;
    users.set(w.email, user);
  }
  const need = (email: string) => {
    const user = users.get(email);
    if (!user) throw new Error(`seed user ${email} is missing`);
    return user;
  };
  const admin = need("admin@clearbook.dev");
  const council = need("council@clearbook.dev");
  const members = Array.from({ length: MEMBERS }, (_, i) => need(memberEmail(i + 1)));
  if (!(await fork().findOne(FabricIdentityEntity, { userId: admin.id }))) await deps.enrollAdmin(admin.id);
  say(`accounts: ${users.size}; waiting for their Fabric identities …`);
  await waitUntil("Fabric identities", timeout, async () => {
    const count = await fork().count(FabricIdentityEntity, { userId: { $in: [...users.values()].map((u) => u.id) } });
    return count === users.size;
  });

  // 2. The organization, founded by the council member.
  let org = await fork().findOne(OrganizationEntity, { name: DEMO_ORG, status: { $ne: OrgStatus.FAILED } });
  org ??= await services.orgs.createOrganization(fork(), viewerOf(admin), DEMO_ORG, council.id);
  const orgId = org.id;
  await waitUntil(
    "the organization",
    timeout,
    async () => (await fork().findOne(OrganizationEntity, { id: orgId }))?.status === OrgStatus.ACTIVE,
  );
  say(`organization ${DEMO_ORG} (${orgId})`);

  // 3. Membership: every member requests, the council approves (after each request has committed).
  const isMember = async (userId: string) => Boolean(await fork().findOne(MembershipEntity, { orgId, userId }));
  const requests: MembershipRequest[] = [];
  for (const m of members) {
    if (!(await isMember(m.id))) requests.push(await services.orgs.requestMembership(fork(), viewerOf(m), orgId));
  }
  await waitUntil("membership requests", timeout, () => committed(requests.map((r) => r.txId)));
  for (const r of requests) {
    const current = await fork().findOneOrFail(MembershipRequestEntity, { id: r.id });
    if (current.status === RequestStatus.PENDING && current.txId === r.txId) {
      await services.orgs.approveMembership(fork(), viewerOf(council), r.id);
    }
  }
  await waitUntil("memberships", timeout, async () => (await fork().count(MembershipEntity, { orgId })) >= MEMBERS + 1);
  say(`members: ${MEMBERS + 1} (council included)`);

  // 4. Deposits by the first members, approved by the council.
  const deposits: LedgerEntry[] = [];
  for (let i = 0; i < DEPOSITORS; i++) {
    const depositor = members[i] as User;
    deposits.push(
      await services.entries.submitDeposit(fork(), viewerOf(depositor), {
        orgId,
        eventName: ["Bake sale", "Membership dues", "Charity run", "Quiz night", "Book fair"][i % 5] ?? "Deposit",
        year: 2026,
        semester: 1 + (i % 2),
        amount: String((1000 + i * 250) * 100),
        evidenceIds: [],
        idempotencyKey: `seed-deposit-${i + 1}`,
      }),
    );
  }
  await waitUntil("deposits", timeout, () => committed(deposits.map((d) => d.txId)));
  // One at a time: every approval credits the same treasury key, and concurrent ones would
  // conflict at commit (MVCC) more often than the signer's retries absorb.
  for (const d of deposits) {
    const current = await fork().findOneOrFail(LedgerEntryEntity, { id: d.id });
    const pendingDecision = await fork().findOne(ChainTransactionEntity, {
      txId: current.txId ?? "",
      function: "ledger:ApproveDeposit",
      status: { $ne: TxStatus.REJECTED },
    });
    if (current.status === EntryStatus.PENDING && !pendingDecision) {
      const approving = await services.entries.approveDeposit(fork(), viewerOf(council), d.id);
      await waitUntil("a deposit approval", timeout, () => committed([approving.txId]));
    }
  }
  await waitUntil("deposit approvals", timeout, async () => {
    const rows = await fork().find(LedgerEntryEntity, { id: { $in: deposits.map((d) => d.id) } });
    return rows.every((r) => r.status === EntryStatus.APPROVED);
  });
  say(`deposits: ${DEPOSITORS} approved; treasury ${await services.reads.treasuryBalance(orgId)}`);

  // 5. One spending proposal: its ballot opens on chain with the members eligible now.
  const spending = await services.entries.proposeSpending(fork(), viewerOf(council), {
    orgId,
    eventName: "Spring festival sound system",
    year: 2026,
    semester: 1,
    amount: "250000",
    payeeAddress: "campus-audio-rentals",
    evidenceIds: [],
    idempotencyKey: "seed-spending-1",
  });
  await waitUntil("the spending proposal", timeout, async () => {
    const row = await fork().findOneOrFail(LedgerEntryEntity, { id: spending.id });
    return row.status !== EntryStatus.PENDING;
  });
  const ballotId = (await fork().findOneOrFail(LedgerEntryEntity, { id: spending.id })).ballotId ?? null;
  say(`spending proposal ${spending.id}, ballot ${ballotId ?? "(none)"}`);

  // 6. A few votes, through the voting service (behind the gateway).
  if (deps.castVote && ballotId) {
    const choices: ("APPROVE" | "REJECT")[] = ["APPROVE", "APPROVE", "REJECT", "APPROVE", "APPROVE"];
    let cast = 0;
    for (const [i, choice] of choices.entries()) {
      // The votes belong to the voting service: a failure there is reported, not fatal to the demo.
      try {
        await deps.castVote(memberEmail(i + 1), ballotId, choice);
        cast++;
      } catch (error) {
        say(`vote of ${memberEmail(i + 1)} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    say(`votes: ${cast} of ${choices.length} cast on ballot ${ballotId}`);
  } else {
    say("votes: skipped (no gateway to cast them through)");
  }
  // 7. What this seed printed must hold where readers look (issue 24).
  say(await checkSeed({ fork, reads: services.reads }, { orgId, spendingEntryId: spending.id, ballotId }));
  return { orgId, spendingEntryId: spending.id, ballotId };
}

/**
 * Checks what the seed promised against the read models (and the chain's treasury): a seed that
 * reports success over stale read models hides a chain the indexers do not follow.
 * @returns a summary line. @throws naming every promise that does not hold and the chain check.
 */
export async function checkSeed(
  deps: { fork: () => EntityManager; reads: Pick<LedgerServices["reads"], "treasuryBalance"> },
  seeded: SeedResult,
): Promise<string> {
  const { fork } = deps;
  const problems: string[] = [];
  const memberships = await fork().count(MembershipEntity, { orgId: seeded.orgId });
  if (memberships < MEMBERS + 1) problems.push(`${memberships} memberships, not ${MEMBERS + 1}`);
  const approved = await fork().count(LedgerEntryEntity, {
    orgId: seeded.orgId,
    kind: EntryKind.DEPOSIT,
    status: EntryStatus.APPROVED,
  });
  if (approved < DEPOSITORS) problems.push(`${approved} approved deposits, not ${DEPOSITORS}`);
  const treasury = await deps.reads.treasuryBalance(seeded.orgId);
  if (treasury <= 0n) problems.push(`treasury ${treasury}`);
  const proposal = await fork().findOne(LedgerEntryEntity, { id: seeded.spendingEntryId });
  if (!seeded.ballotId || proposal?.status !== EntryStatus.VOTING)
    problems.push(`the ballot is not open (spending ${proposal?.status ?? "missing"})`);
  if (problems.length)
    throw new Error(
      `the seed's result does not hold in the read models: ${problems.join("; ")}. Are the indexers on this chain? ` +
        "See /ready of ledger and voting; `npm run reindex` or `npm start -- --reset` fixes a chain mismatch.",
    );
  return `checked: ${memberships} members, ${approved} approved deposits, treasury ${treasury}, ballot open`;
}
