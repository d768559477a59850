import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LedgerEntryEntity } from "../src/db/ledger-entry.entity.js";
import { MembershipEntity } from "../src/db/membership.entity.js";
import { UserEntity } from "../src/db/user.entity.js";
import { checkSeed, type SeedResult, seedDemo } from "../src/seed/demo-seed.js";
import { type ChainStack, startChainStack } from "./chain-stack.js";

const test = suite<{ s: ChainStack; seeded: SeedResult }>("demo seed");

test.before(async (ctx) => {
  ctx.s = await startChainStack("seed");
});

test.after(async (ctx) => {
  await ctx.s?.dispose();
});

test("seeds the demo organization on chain, and a second run changes nothing", async (ctx) => {
  const deps = {
    services: ctx.s.app.services,
    fork: () => ctx.s.db.fork(),
    say: () => {},
    enrollAdmin: (userId: string) => ctx.s.enrollAdmin(userId),
    stepTimeoutMs: 60_000,
    castVote: null,
  };
  const first = await seedDemo(deps);
  ctx.seeded = first;
  const em = ctx.s.db.fork();
  assert.is(await em.count(UserEntity, {}), 32);
  assert.is(await em.count(MembershipEntity, { orgId: first.orgId }), 31);
  const entries = await em.find(LedgerEntryEntity, { orgId: first.orgId });
  assert.is(entries.filter((e) => e.kind === "DEPOSIT" && e.status === "APPROVED").length, 10);
  const spending = entries.filter((e) => e.kind === "SPENDING");
  assert.equal(
    spending.map((e) => [e.status, e.reason]),
    [["VOTING", null]],
  );
  assert.ok(first.ballotId);
  const balance = await ctx.s.reads.treasuryBalance(first.orgId);
  assert.is(
    balance,
    entries.filter((e) => e.kind === "DEPOSIT").reduce((sum, e) => sum + e.amount, 0n),
  );
  const height = ctx.s.devpeer.height();

  const second = await seedDemo(deps);
  assert.equal(second, first);
  assert.is(await ctx.s.db.fork().count(LedgerEntryEntity, { orgId: first.orgId }), entries.length);
  assert.is(ctx.s.devpeer.height(), height, "nothing new on chain");
});

test("fails loudly, naming each broken promise, when the read models disagree with what it seeded", async (ctx) => {
  const fork = () => ctx.s.db.fork();
  assert.match(await checkSeed({ fork, reads: ctx.s.reads }, ctx.seeded), /^checked: 31 members, 10 approved deposits/);
  // As after a chain the indexers do not follow: the approvals and the ballot never reached the read models.
  await fork().nativeUpdate(LedgerEntryEntity, { orgId: ctx.seeded.orgId }, { status: "PENDING" });
  const error = await checkSeed({ fork, reads: { treasuryBalance: async () => 0n } }, ctx.seeded).then(
    () => null,
    (e: unknown) => e as Error,
  );
  assert.ok(error, "it throws");
  assert.match(
    error?.message ?? "",
    /0 approved deposits, not 10; treasury 0; the ballot is not open \(spending PENDING\)/,
  );
  assert.match(error?.message ?? "", /npm run reindex/);
});

test.run();
