import type { OrmHandle } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ballotReads, tallyOf } from "../src/ballots/ballot.service.js";
import { Ballot } from "../src/db/ballot.entity.js";
import { BallotVoter } from "../src/db/ballot-voter.entity.js";
import { Vote } from "../src/db/vote.entity.js";
import type { ParsedChainEvent } from "../src/indexer/chain-events.js";
import { projectChainEvents } from "../src/indexer/voting-indexer.js";
import { type BallotFixture, openBallot, silentLogger } from "./fixtures.js";
import { chainEvents, T0, testOrm, testRedis, txId, votingEvents } from "./helpers.js";

type Ctx = {
  orm: OrmHandle & { dispose(): Promise<void> };
  redis: Awaited<ReturnType<typeof testRedis>>;
  ballot: BallotFixture;
};

const projection = suite<Ctx>("voting projection");

projection.before(async (ctx) => {
  ctx.orm = await testOrm("projection");
  ctx.redis = await testRedis("projection");
});
projection.after(async (ctx) => {
  await ctx.orm.dispose();
  await ctx.redis.dispose();
});
projection.before.each(async (ctx) => {
  ctx.ballot = await openBallot({ orm: ctx.orm, redis: ctx.redis.client, namespace: ctx.redis.namespace }, { size: 5 });
});

const ballotRow = (ctx: Ctx) => ctx.orm.fork().findOneOrFail(Ballot, { id: ctx.ballot.ballotId });

async function published(ctx: Ctx) {
  return (await votingEvents(ctx.redis.client, ctx.redis.namespace)).filter(
    (e) => "ballotId" in e.data && e.data.ballotId === ctx.ballot.ballotId,
  );
}

projection("opens the ballot with the members approved before it opened", async (ctx) => {
  const ballot = await ballotRow(ctx);
  assert.is(ballot.status, "OPEN");
  assert.is(ballot.eligible, 5);
  const voters = await ctx.orm.fork().find(BallotVoter, { ballotId: ctx.ballot.ballotId });
  assert.equal(voters.map((v) => v.userId).sort(), [...ctx.ballot.members].sort());
  assert.ok((await ballotReads.ofEntry(ctx.orm.fork(), ctx.ballot.entryId))?.id === ctx.ballot.ballotId);
});

projection("moves the tally by the chain's delta when a member changes their vote", async (ctx) => {
  const [a, b] = ctx.ballot.members;
  const { ballotId } = ctx.ballot;
  await ctx.ballot.apply(chainEvents.voteCast({ ballotId, userId: a!, choice: "APPROVE", at: T0 + 1000 }));
  await ctx.ballot.apply(chainEvents.voteCast({ ballotId, userId: b!, choice: "APPROVE", at: T0 + 2000 }));
  await ctx.ballot.apply(
    chainEvents.voteCast({ ballotId, userId: a!, choice: "REJECT", previous: "APPROVE", at: T0 + 3000 }),
  );
  const tally = tallyOf(await ballotRow(ctx));
  assert.equal([tally.approve, tally.reject, tally.eligible], [1, 1, 5]);
  assert.is(tally.turnout, 0.4);
  assert.not.ok(tally.quorumReached);
  assert.is(tally.updatedAt.getTime(), T0 + 3000);

  const events = await published(ctx);
  assert.equal(
    events.map((e) => e.type === "VoteTallyChanged" && [e.data.approve, e.data.reject]),
    [
      [1, 0],
      [2, 0],
      [1, 1],
    ],
  );
});

projection("applies a chain transaction once, however often it is delivered", async (ctx) => {
  const event = chainEvents.voteCast({
    ballotId: ctx.ballot.ballotId,
    userId: ctx.ballot.members[0]!,
    choice: "APPROVE",
    at: T0 + 1000,
  });
  const first = await ctx.ballot.apply(event);
  const again = await ctx.ballot.apply(event);
  assert.equal((first as unknown[]).length, 1);
  assert.equal(again, []);
  assert.is((await ballotRow(ctx)).approve, 1);
  assert.is((await published(ctx)).length, 1);
});

projection("a vote that reached the chain under a new transaction id replaces the pending one", async (ctx) => {
  const member = ctx.ballot.members[1]!;
  const em = ctx.orm.fork();
  const pendingTx = txId();
  em.create(Vote, {
    txId: pendingTx,
    ballotId: ctx.ballot.ballotId,
    userId: member,
    choice: "REJECT",
    status: "PENDING",
    createdAt: new Date(T0 + 500),
    committedAt: null,
    blockNumber: null,
  });
  await em.flush();
  await ctx.ballot.apply(
    chainEvents.voteCast({ ballotId: ctx.ballot.ballotId, userId: member, choice: "REJECT", at: T0 + 900 }),
  );
  const votes = await ctx.orm
    .fork()
    .find(Vote, { ballotId: ctx.ballot.ballotId, userId: member }, { orderBy: { id: "asc" } });
  assert.equal(
    votes.map((v) => v.status),
    ["REJECTED", "COMMITTED"],
  );
  assert.equal((await ballotReads.myVote(ctx.orm.fork(), ctx.ballot.ballotId, member))?.pending, false);
});

projection("finalization closes the ballot with the chain's final tally and announces it", async (ctx) => {
  const { ballotId, orgId, entryId } = ctx.ballot;
  const finalized: ParsedChainEvent = {
    name: "VotingBallotFinalized",
    payload: {
      ballot: {
        ballotId,
        orgId,
        entryId,
        opensAt: new Date(T0),
        closesAt: new Date(ctx.ballot.closesAt),
        eligibleCount: 5,
        quorumBps: 5000,
        thresholdBps: 5000,
        status: "APPROVED",
        finalizedAt: new Date(T0 + 5000),
        finalTally: { approve: 3, reject: 0 },
      },
    },
    txId: txId(),
    blockNumber: 99n,
  };
  await ctx.ballot.apply(finalized);
  const ballot = await ballotRow(ctx);
  assert.is(ballot.status, "APPROVED");
  assert.is(ballot.approve, 3);
  assert.is(ballot.finalizedTxId, finalized.txId);
  const closed = (await published(ctx)).filter((e) => e.type === "BallotClosed");
  assert.equal(
    closed.map((e) => e.data),
    [{ ballotId, orgId, status: "APPROVED" }],
  );
  assert.equal((await ballotReads.ofOrganization(ctx.orm.fork(), orgId, "OPEN")).length, 0);
  assert.equal(
    (await ballotReads.ofOrganization(ctx.orm.fork(), orgId, "APPROVED")).map((b) => b.id),
    [ballotId],
  );
});

projection("a batch applies each vote once and publishes only the ballot's latest tally", async (ctx) => {
  const { ballotId, members } = ctx.ballot;
  const first = chainEvents.voteCast({ ballotId, userId: members[0]!, choice: "APPROVE", at: T0 + 1000 });
  await ctx.ballot.apply(first);
  const batch = [
    first, // already applied: skipped
    chainEvents.voteCast({ ballotId, userId: members[1]!, choice: "APPROVE", at: T0 + 2000 }),
    chainEvents.voteCast({ ballotId, userId: members[2]!, choice: "REJECT", at: T0 + 3000 }),
    chainEvents.voteCast({ ballotId, userId: members[3]!, choice: "APPROVE", at: T0 + 4000 }),
  ];
  const deps = { orm: ctx.orm, redis: ctx.redis.client, logger: silentLogger, namespace: ctx.redis.namespace };
  const published = await projectChainEvents(deps, batch);
  assert.equal(
    published.map((e) => e.type === "VoteTallyChanged" && [e.data.approve, e.data.reject]),
    [[3, 1]],
  );
  assert.equal(await projectChainEvents(deps, batch), [], "a replayed batch changes nothing");
  const ballot = await ballotRow(ctx);
  assert.equal([ballot.approve, ballot.reject], [3, 1]);
});

projection.run();
