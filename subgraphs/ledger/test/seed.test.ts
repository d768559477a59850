import { suite } from "uvu";
import * as assert from "uvu/assert";
import { LedgerEntryEntity } from "../src/db/ledger-entry.entity.js";
import { MembershipEntity } from "../src/db/membership.entity.js";
import { UserEntity } from "../src/db/user.entity.js";
import { seedDemo } from "../src/seed/demo-seed.js";
import { type ChainStack, startChainStack } from "./chain-stack.js";

const test = suite<{ s: ChainStack }>("demo seed");

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

test.run();
