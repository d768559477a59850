import { anonymousViewer, type Viewer } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LedgerEntryEntity } from "../src/db/ledger-entry.entity.js";
import { UserEntity } from "../src/db/user.entity.js";
import { createEntryService } from "../src/entries/entry.service.js";
import { listEntries } from "../src/entries/entry-query.js";
import { applyChainEvent, applyRejection } from "../src/indexer/projection.js";
import { createOrganizationService } from "../src/org/organization.service.js";
import {
  chainEntry,
  councilGranted,
  depositApproved,
  depositSubmitted,
  membershipApproved,
  orgCreated,
} from "./chain-events.js";
import { createTestDatabase, newClock, RecordingChain, uuid } from "./helpers.js";

interface Ctx {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  chain: RecordingChain;
  clock: ReturnType<typeof newClock>;
  orgs: ReturnType<typeof createOrganizationService>;
  entries: ReturnType<typeof createEntryService>;
  ids: Record<"admin" | "council" | "alice" | "bob" | "stranger" | "org", string>;
}

const test = suite<Ctx>("organizations, membership and entries");

const as = (sub: string | null, roles: "ADMIN"[] = []): Viewer => ({ ...anonymousViewer("t"), sub, roles });

async function rejects(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    assert.is((error as { code?: string }).code, code, (error as Error).message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

test.before(async (ctx) => {
  ctx.db = await createTestDatabase("flow");
  ctx.chain = new RecordingChain();
  ctx.clock = newClock();
  ctx.orgs = createOrganizationService({ clock: ctx.clock, chain: ctx.chain });
  // These entries carry no evidence files, so there is never an upload to confirm.
  const evidence = { confirmUploads: async () => new Map<string, string>() };
  ctx.entries = createEntryService({ clock: ctx.clock, chain: ctx.chain, reads: ctx.chain, evidence });
  const em = ctx.db.orm.em.fork();
  const names = ["admin", "council", "alice", "bob", "stranger"] as const;
  ctx.ids = { org: "" } as Ctx["ids"];
  for (const name of names) {
    const user = em.create(UserEntity, {
      id: uuid(),
      email: `${name}@example.org`,
      displayName: name,
      passwordHash: "x",
      platformRoles: name === "admin" ? ["ADMIN"] : [],
      enrolledAt: null,
      createdAt: new Date(),
    });
    ctx.ids[name] = user.id;
  }
  await em.flush();
});

test.after(async (ctx) => {
  await ctx.db.dispose();
});

const commit = async (ctx: Ctx, event: Parameters<typeof applyChainEvent>[1]) => {
  ctx.clock.advance(1000);
  const em = ctx.db.orm.em.fork();
  const changed = await em.transactional((tx) => applyChainEvent(tx, event, ctx.clock));
  ctx.clock.advance(1000);
  return changed;
};

test("only a platform admin creates an organization; it is pending until the chain commits", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  await rejects(ctx.orgs.createOrganization(em, as(null), "Council", ctx.ids.council), "UNAUTHENTICATED");
  await rejects(ctx.orgs.createOrganization(em, as(ctx.ids.alice), "Council", ctx.ids.council), "FORBIDDEN");
  const org = await ctx.orgs.createOrganization(em, as(ctx.ids.admin, ["ADMIN"]), "Student Council", ctx.ids.council);
  ctx.ids.org = org.id;
  assert.is(org.status, "PENDING");
  const command = ctx.chain.last();
  assert.is(command.name, "org:CreateOrganization");
  assert.equal(command.args, [org.id, "Student Council", ctx.ids.council]);
  assert.is(command.actorId, ctx.ids.admin);
  assert.equal(await ctx.orgs.organizations(ctx.db.orm.em.fork()), []);
  await commit(ctx, orgCreated(command.txId, org.id, "Student Council", ctx.ids.council));
  const listed = await ctx.orgs.organizations(ctx.db.orm.em.fork());
  assert.equal(
    listed.map((o) => o.status),
    ["ACTIVE"],
  );
  const [founder] = await ctx.orgs.membershipsOf(ctx.db.orm.em.fork(), ctx.ids.council);
  assert.ok(founder?.council, "the founder is council");
});

test("a member approves a membership request, as on chain", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  const request = await ctx.orgs.requestMembership(em, as(ctx.ids.alice), ctx.ids.org);
  assert.is(request.status, "PENDING");
  const again = await ctx.orgs.requestMembership(ctx.db.orm.em.fork(), as(ctx.ids.alice), ctx.ids.org);
  assert.is(again.id, request.id, "a second request returns the pending one");
  await rejects(ctx.orgs.approveMembership(ctx.db.orm.em.fork(), as(ctx.ids.stranger), request.id), "FORBIDDEN");
  await rejects(ctx.orgs.membershipRequests(ctx.db.orm.em.fork(), as(ctx.ids.stranger), ctx.ids.org), "FORBIDDEN");
  const approved = await ctx.orgs.approveMembership(ctx.db.orm.em.fork(), as(ctx.ids.council), request.id);
  assert.is(ctx.chain.last().name, "org:ApproveMembership");
  assert.is(approved.txId, ctx.chain.last().txId);
  await commit(ctx, membershipApproved(ctx.chain.last().txId, request.id, ctx.ids.org, ctx.ids.alice, ctx.ids.council));
  const requests = await ctx.orgs.membershipRequests(ctx.db.orm.em.fork(), as(ctx.ids.alice), ctx.ids.org);
  assert.equal(
    requests.map((r) => r.status),
    ["APPROVED"],
  );
  await rejects(ctx.orgs.requestMembership(ctx.db.orm.em.fork(), as(ctx.ids.alice), ctx.ids.org), "CONFLICT");
});

test("bob joins too, and only the council grants the council role", async (ctx) => {
  const request = await ctx.orgs.requestMembership(ctx.db.orm.em.fork(), as(ctx.ids.bob), ctx.ids.org);
  await ctx.orgs.approveMembership(ctx.db.orm.em.fork(), as(ctx.ids.alice), request.id);
  await commit(ctx, membershipApproved(ctx.chain.last().txId, request.id, ctx.ids.org, ctx.ids.bob, ctx.ids.alice));
  await rejects(
    ctx.orgs.grantCouncilRole(ctx.db.orm.em.fork(), as(ctx.ids.alice), ctx.ids.org, ctx.ids.bob),
    "FORBIDDEN",
  );
  await ctx.orgs.grantCouncilRole(ctx.db.orm.em.fork(), as(ctx.ids.council), ctx.ids.org, ctx.ids.bob);
  assert.equal(ctx.chain.last().args, [ctx.ids.org, ctx.ids.bob]);
  await commit(ctx, councilGranted(ctx.chain.last().txId, ctx.ids.org, ctx.ids.bob));
  const [bob] = await ctx.orgs.membershipsOf(ctx.db.orm.em.fork(), ctx.ids.bob);
  assert.ok(bob?.council);
});

test("pages through the members with a keyset cursor", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 5; i++) {
    const page = await ctx.orgs.members(em, ctx.ids.org, 1, after);
    assert.is(page.totalCount, 3);
    seen.push(...page.page.map((m) => m.userId));
    if (!page.hasNextPage) break;
    after = page.page.at(-1)?.id ?? null;
  }
  assert.equal([...seen].sort(), [ctx.ids.council, ctx.ids.alice, ctx.ids.bob].sort());
  await rejects(ctx.orgs.members(em, ctx.ids.org, 1, "not-a-member-id"), "BAD_USER_INPUT");
});

const deposit = (ctx: Ctx, amount: string, key = uuid()) => ({
  orgId: ctx.ids.org,
  eventName: "Bake sale",
  year: 2026,
  semester: 2,
  amount,
  evidenceIds: [],
  idempotencyKey: key,
});

test("a member submits a deposit; a retry with the same key returns the same entry", async (ctx) => {
  const input = deposit(ctx, "12500", "dep-1");
  const entry = await ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.alice), input);
  assert.is(entry.status, "PENDING");
  assert.is(entry.amount, 12500n);
  const command = ctx.chain.last();
  assert.equal(command.args, [entry.id, ctx.ids.org, "Bake sale", "2026", "2", "12500", "[]"]);
  const retry = await ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.alice), input);
  assert.is(retry.id, entry.id);
  assert.is(ctx.chain.commands.length, ctx.chain.commands.indexOf(command) + 1, "no second command");
});

test("refuses a negative, zero or non-integer amount, and deposits by non-members", async (ctx) => {
  for (const amount of ["-5", "0", "12.5", "1e3", "abc", ""]) {
    await rejects(
      ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.alice), deposit(ctx, amount)),
      "BAD_USER_INPUT",
    );
  }
  await rejects(
    ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.stranger), deposit(ctx, "100")),
    "FORBIDDEN",
  );
  await rejects(ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(null), deposit(ctx, "100")), "UNAUTHENTICATED");
});

test("the council approves a deposit, but never its own, and the entry changes when the chain commits", async (ctx) => {
  const own = await ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.council), deposit(ctx, "500"));
  await rejects(ctx.entries.approveDeposit(ctx.db.orm.em.fork(), as(ctx.ids.council), own.id), "FORBIDDEN");
  const entry = await ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.alice), deposit(ctx, "7000"));
  const submitTx = ctx.chain.last().txId;
  await rejects(ctx.entries.approveDeposit(ctx.db.orm.em.fork(), as(ctx.ids.alice), entry.id), "FORBIDDEN");
  await commit(
    ctx,
    depositSubmitted(
      submitTx,
      chainEntry({ entryId: entry.id, orgId: ctx.ids.org, submittedBy: ctx.ids.alice, amount: "7000" }),
    ),
  );
  const pending = await ctx.entries.approveDeposit(ctx.db.orm.em.fork(), as(ctx.ids.council), entry.id);
  assert.is(pending.status, "PENDING");
  const approveTx = ctx.chain.last().txId;
  assert.is(pending.txId, approveTx);
  const changed = await commit(
    ctx,
    depositApproved(
      approveTx,
      chainEntry({ entryId: entry.id, orgId: ctx.ids.org, submittedBy: ctx.ids.alice, amount: "7000" }),
      ctx.ids.council,
    ),
  );
  assert.equal(changed, [{ orgId: ctx.ids.org, entryId: entry.id }]);
  const after = await ctx.entries.entry(ctx.db.orm.em.fork(), entry.id);
  assert.is(after?.status, "APPROVED");
  assert.is(after?.decidedBy, ctx.ids.council);
  const history = await ctx.entries.activity(ctx.db.orm.em.fork(), entry.id);
  assert.equal(
    history.map((h) => h.action),
    ["SUBMITTED", "RECORDED", "APPROVAL_REQUESTED", "APPROVED"],
  );
  await rejects(ctx.entries.approveDeposit(ctx.db.orm.em.fork(), as(ctx.ids.council), entry.id), "CONFLICT");
});

test("refuses spending above the treasury balance less open spending, and by non-council members", async (ctx) => {
  ctx.chain.balances.set(ctx.ids.org, 10_000n);
  const input = { ...deposit(ctx, "6000"), payeeAddress: "iban:DE001234" };
  await rejects(ctx.entries.proposeSpending(ctx.db.orm.em.fork(), as(ctx.ids.alice), input), "FORBIDDEN");
  const first = await ctx.entries.proposeSpending(ctx.db.orm.em.fork(), as(ctx.ids.council), input);
  assert.is(first.kind, "SPENDING");
  assert.ok(first.ballotId);
  assert.is(ctx.chain.last().name, "ledger:ProposeSpending");
  await rejects(
    ctx.entries.proposeSpending(ctx.db.orm.em.fork(), as(ctx.ids.council), { ...input, idempotencyKey: uuid() }),
    "INSUFFICIENT_FUNDS",
  );
  const fits = await ctx.entries.proposeSpending(ctx.db.orm.em.fork(), as(ctx.ids.council), {
    ...input,
    amount: "4000",
    idempotencyKey: uuid(),
  });
  assert.is(fits.amount, 4000n);
});

test("a rejected submission marks the entry REJECTED with the reason", async (ctx) => {
  const entry = await ctx.entries.submitDeposit(ctx.db.orm.em.fork(), as(ctx.ids.bob), deposit(ctx, "300"));
  const em = ctx.db.orm.em.fork();
  const changed = await em.transactional((tx) =>
    applyRejection(
      tx,
      { txId: entry.txId ?? "", validationCode: "ENDORSEMENT_POLICY_FAILURE", blockNumber: 9 },
      ctx.clock,
    ),
  );
  assert.equal(changed, [{ orgId: ctx.ids.org, entryId: entry.id }]);
  const after = await ctx.entries.entry(ctx.db.orm.em.fork(), entry.id);
  assert.is(after?.status, "REJECTED");
});

test("lists entries newest first with filters and cursor pagination", async (ctx) => {
  const em = ctx.db.orm.em.fork();
  const all = await listEntries(em, ctx.ids.org, {}, 100, null);
  assert.ok(all.totalCount >= 5);
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 10; i++) {
    const page = await listEntries(em, ctx.ids.org, {}, 2, after);
    seen.push(...page.edges.map((e) => e.node.id));
    if (!page.hasNextPage) break;
    after = page.endCursor;
  }
  assert.equal(
    seen,
    all.edges.map((e) => e.node.id),
  );
  const spending = await listEntries(em, ctx.ids.org, { kind: "SPENDING" }, 10, null);
  assert.is(spending.totalCount, 2);
  const none = await listEntries(em, ctx.ids.org, { year: 2025 }, 10, null);
  assert.is(none.totalCount, 0);
});

test("concurrent spending proposals never commit more than the treasury holds", async (ctx) => {
  const open = await ctx.db.orm.em.fork().find(LedgerEntryEntity, {
    orgId: ctx.ids.org,
    kind: "SPENDING",
    status: { $in: ["PENDING", "VOTING", "APPROVED"] },
  });
  const committed = open.reduce((sum, e) => sum + e.amount, 0n);
  ctx.chain.balances.set(ctx.ids.org, committed + 10_000n);
  const propose = () =>
    ctx.entries
      .proposeSpending(ctx.db.orm.em.fork(), as(ctx.ids.council), {
        ...deposit(ctx, "6000"),
        payeeAddress: "iban:DE001234",
        idempotencyKey: uuid(),
      })
      .then(
        () => "OK",
        (error: { code?: string }) => error.code,
      );
  const outcomes = await Promise.all([propose(), propose(), propose()]);
  assert.equal(outcomes.sort(), ["INSUFFICIENT_FUNDS", "INSUFFICIENT_FUNDS", "OK"]);
});

test.run();
