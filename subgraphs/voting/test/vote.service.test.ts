import { AppError, anonymousViewer, createSqlClient, type OrmHandle, OutboxCommand, type Viewer } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ballotReads } from "../src/ballots/ballot.service.js";
import { ENROLL_RETRY_MS } from "../src/chain/outbox-voting-commands.js";
import { MemberIdentity } from "../src/db/member-identity.entity.js";
import { Vote } from "../src/db/vote.entity.js";
import { createVoteService } from "../src/votes/vote.service.js";
import { type BallotFixture, openBallot } from "./fixtures.js";
import { certOf, chainEvents, newClock, recordingCommands, T0, testOrm, testRedis, uuid } from "./helpers.js";

type Ctx = {
  orm: OrmHandle & { dispose(): Promise<void> };
  redis: Awaited<ReturnType<typeof testRedis>>;
  clock: ReturnType<typeof newClock>;
  commands: ReturnType<typeof recordingCommands>;
  service: ReturnType<typeof createVoteService>;
  ballot: BallotFixture;
};

const votes = suite<Ctx>("castVote");

votes.before(async (ctx) => {
  ctx.orm = await testOrm("votes");
  ctx.redis = await testRedis("votes");
});
votes.after(async (ctx) => {
  await ctx.orm.dispose();
  await ctx.redis.dispose();
});
votes.before.each(async (ctx) => {
  ctx.clock = newClock();
  ctx.clock.set(T0 + 60_000);
  ctx.commands = recordingCommands(ctx.clock);
  ctx.service = createVoteService({ sql: createSqlClient(ctx.orm), commands: ctx.commands, clock: ctx.clock });
  ctx.ballot = await openBallot({ orm: ctx.orm, redis: ctx.redis.client, namespace: ctx.redis.namespace });
});

/** Polls `check` until it returns something; fails after `timeoutMs`. */
async function waitFor<T>(check: () => Promise<T | null>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const viewer = (sub: string | null): Viewer => ({ ...anonymousViewer("test"), sub });

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error("expected a refusal");
}

votes("records a pending vote and its chain command in one transaction", async ({ orm, service, ballot, commands }) => {
  const member = ballot.members[1]!;
  const receipt = await service.castVote(viewer(member), ballot.ballotId, "APPROVE");
  assert.is(receipt.status, "PENDING");
  assert.is(receipt.choice, "APPROVE");
  assert.is(receipt.txId, commands.prepared.at(-1)?.txId);
  assert.is(commands.prepared.at(-1)?.certPem, certOf(member), "the proposal is built with the member's certificate");
  assert.equal(commands.prepared.at(-1)?.args, [ballot.ballotId, "APPROVE"]);
  const command = await orm.fork().findOneOrFail(OutboxCommand, { commandId: receipt.txId });
  assert.is(command.domain, "voting");
  assert.is(command.type, "voting:CastVote");
  const mine = await ballotReads.myVote(orm.fork(), ballot.ballotId, member);
  assert.equal(mine, { choice: "APPROVE", pending: true, txId: receipt.txId });
});

votes("voting the same choice again returns the pending receipt and sends nothing", async (ctx) => {
  const member = ctx.ballot.members[0]!;
  const first = await ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "REJECT");
  const sent = ctx.commands.prepared.length;
  const again = await ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "REJECT");
  assert.equal(again, first);
  assert.is(ctx.commands.prepared.length, sent);
});

votes("changing the vote is a new transaction and becomes the member's vote", async (ctx) => {
  const member = ctx.ballot.members[0]!;
  const first = await ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "REJECT");
  const second = await ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "APPROVE");
  assert.is.not(second.txId, first.txId);
  const mine = await ballotReads.myVote(ctx.orm.fork(), ctx.ballot.ballotId, member);
  assert.is(mine?.choice, "APPROVE");
});

votes("concurrent identical votes of one member send one command", async (ctx) => {
  const member = ctx.ballot.members[2]!;
  const receipts = await Promise.all(
    Array.from({ length: 5 }, () => ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "APPROVE")),
  );
  assert.is(new Set(receipts.map((r) => r.txId)).size, 1);
  assert.is(
    await ctx.orm.fork().count(OutboxCommand, { type: "voting:CastVote", payload: { $like: `%${member}%` } }),
    1,
  );
});

votes("a committed vote is no longer pending", async (ctx) => {
  const member = ctx.ballot.members[1]!;
  const receipt = await ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "APPROVE");
  await ctx.ballot.apply(
    chainEvents.voteCast({
      ballotId: ctx.ballot.ballotId,
      userId: member,
      choice: "APPROVE",
      at: T0 + 61_000,
      txId: receipt.txId,
    }),
  );
  const mine = await ballotReads.myVote(ctx.orm.fork(), ctx.ballot.ballotId, member);
  assert.equal(mine, { choice: "APPROVE", pending: false, txId: receipt.txId });
});

votes("refuses an anonymous vote", async ({ service, ballot }) => {
  assert.is(await refusal(service.castVote(viewer(null), ballot.ballotId, "APPROVE")), "UNAUTHENTICATED");
});

votes("refuses a malformed ballot id or choice", async ({ service, ballot }) => {
  const member = ballot.members[0]!;
  assert.is(await refusal(service.castVote(viewer(member), "not-a-ballot", "APPROVE")), "BAD_USER_INPUT");
  assert.is(await refusal(service.castVote(viewer(member), ballot.ballotId, "MAYBE")), "BAD_USER_INPUT");
});

votes("refuses a vote on an unknown ballot", async ({ service, ballot }) => {
  assert.is(await refusal(service.castVote(viewer(ballot.members[0]!), uuid(), "APPROVE")), "NOT_FOUND");
});

votes("refuses a non-member, and a member approved after the ballot opened", async ({ service, ballot }) => {
  assert.is(await refusal(service.castVote(viewer(uuid()), ballot.ballotId, "APPROVE")), "FORBIDDEN");
  assert.is(await refusal(service.castVote(viewer(ballot.latecomer), ballot.ballotId, "APPROVE")), "FORBIDDEN");
});

votes("refuses a vote after the ballot closes", async ({ service, ballot, clock }) => {
  clock.set(ballot.closesAt);
  assert.is(await refusal(service.castVote(viewer(ballot.members[0]!), ballot.ballotId, "APPROVE")), "BALLOT_CLOSED");
});

votes("refuses a member whose certificate does not arrive in time, and asks the signer to announce it", async (ctx) => {
  const member = ctx.ballot.members[3]!;
  await ctx.orm.fork().nativeDelete(MemberIdentity, { userId: member });
  const service = createVoteService({
    sql: createSqlClient(ctx.orm),
    commands: ctx.commands,
    clock: ctx.clock,
    identityWaitMs: 250,
  });
  const sent = ctx.commands.prepared.length;
  assert.is(await refusal(service.castVote(viewer(member), ctx.ballot.ballotId, "APPROVE")), "CONFLICT");
  assert.is(ctx.commands.prepared.length, sent);
  assert.is(await ctx.orm.fork().count(Vote, { ballotId: ctx.ballot.ballotId, userId: member }), 0);
  const enrolls = await ctx.orm.fork().find(OutboxCommand, { commandId: { $like: `enroll:${member}:%` } });
  assert.equal(
    enrolls.map((e) => [e.domain, e.type, JSON.parse(e.payload)]),
    [["signer", "EnrollUser", { userId: member, role: "user" }]],
  );
});

votes("a vote waits for a certificate being issued and goes once it arrives", async (ctx) => {
  const member = ctx.ballot.members[3]!;
  const em = ctx.orm.fork();
  const identity = await em.findOneOrFail(MemberIdentity, { userId: member });
  const saved = { userId: member, mspId: identity.mspId, certPem: identity.certPem, enrolledAt: identity.enrolledAt };
  await em.nativeDelete(MemberIdentity, { userId: member });
  const vote = ctx.service.castVote(viewer(member), ctx.ballot.ballotId, "APPROVE");
  // The signer answers while the vote waits (as the evt:chain consumer stores what it announces).
  await waitFor(
    () => ctx.orm.fork().findOne(OutboxCommand, { commandId: { $like: `enroll:${member}:%` } }),
    2_000,
    "the enrollment request",
  );
  await ctx.orm.fork().insert(MemberIdentity, saved);
  const receipt = await vote;
  assert.is(receipt.status, "PENDING");
  assert.ok(await ctx.orm.fork().count(OutboxCommand, { commandId: receipt.txId }), "the vote's command is recorded");
});

votes(
  "a member's enrollment is asked for again after the retry interval, not only after the outbox retention",
  async (ctx) => {
    const member = ctx.ballot.members[3]!;
    const sql = createSqlClient(ctx.orm);
    await ctx.commands.requestEnrollments(sql, [member]);
    await ctx.commands.requestEnrollments(sql, [member]);
    assert.is(await ctx.orm.fork().count(OutboxCommand, { commandId: { $like: `enroll:${member}%` } }), 1);
    ctx.clock.advance(ENROLL_RETRY_MS);
    await ctx.commands.requestEnrollments(sql, [member]);
    assert.is(await ctx.orm.fork().count(OutboxCommand, { commandId: { $like: `enroll:${member}%` } }), 2);
  },
);

votes("concurrent votes share a transaction; a refusal among them leaves the others recorded", async (ctx) => {
  const [a, b, c] = ctx.ballot.members as [string, string, string];
  const cast = (who: string, choice: string) => ctx.service.castVote(viewer(who), ctx.ballot.ballotId, choice);
  const settled = await Promise.allSettled([
    cast(a, "APPROVE"),
    cast(uuid(), "APPROVE"),
    cast(b, "REJECT"),
    cast(a, "APPROVE"),
    cast(c, "REJECT"),
    cast(c, "APPROVE"),
  ]);
  const [first, outsider, second, again, changed, changedAgain] = settled;
  assert.is(outsider?.status, "rejected");
  assert.is(outsider?.status === "rejected" && (outsider.reason as AppError).code, "FORBIDDEN");
  const receipts = [first, second, again, changed, changedAgain].map((s) => {
    if (s?.status !== "fulfilled") throw new Error(`expected a receipt, got ${String(s?.status)}`);
    return s.value;
  });
  assert.is(receipts[2]?.txId, receipts[0]?.txId, "a double click in the same batch sends one command");
  assert.is.not(receipts[4]?.txId, receipts[3]?.txId, "a changed vote is its own transaction");
  assert.is(ctx.commands.prepared.length, 4);
  const mine = await ballotReads.myVote(ctx.orm.fork(), ctx.ballot.ballotId, c);
  assert.equal(mine, { choice: "APPROVE", pending: true, txId: receipts[4]?.txId ?? "" });
  for (const r of receipts) assert.ok(await ctx.orm.fork().count(OutboxCommand, { commandId: r.txId }));
});

votes("refuses votes beyond the bounded queue with RATE_LIMITED, and records the ones it holds", async (ctx) => {
  const service = createVoteService({
    sql: createSqlClient(ctx.orm),
    commands: ctx.commands,
    clock: ctx.clock,
    maxQueued: 2,
  });
  const [a, b, c] = ctx.ballot.members as [string, string, string];
  const settled = await Promise.allSettled(
    [a, b, c].map((who) => service.castVote(viewer(who), ctx.ballot.ballotId, "APPROVE")),
  );
  assert.equal(
    settled.map((s) => (s.status === "fulfilled" ? "OK" : (s.reason as AppError).code)),
    ["OK", "OK", "RATE_LIMITED"],
  );
  assert.is(ctx.commands.prepared.length, 2);
  assert.ok(await service.castVote(viewer(c), ctx.ballot.ballotId, "APPROVE"), "accepted once the queue drained");
});

votes.run();
