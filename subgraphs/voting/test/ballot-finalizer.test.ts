import { type OrmHandle, OutboxCommand } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Ballot } from "../src/db/ballot.entity.js";
import { createFinalizer, type Finalizer } from "../src/finalizer/ballot-finalizer.js";
import { type BallotFixture, openBallot, silentLogger } from "./fixtures.js";
import { chainEvents, newClock, recordingCommands, T0, testOrm, testRedis } from "./helpers.js";

type Ctx = {
  orm: OrmHandle & { dispose(): Promise<void> };
  redis: Awaited<ReturnType<typeof testRedis>>;
  clock: ReturnType<typeof newClock>;
  ballot: BallotFixture;
  replicas: Finalizer[];
  commands: ReturnType<typeof recordingCommands>;
};

const finalizer = suite<Ctx>("ballot finalizer");

finalizer.before(async (ctx) => {
  ctx.orm = await testOrm("finalizer");
  ctx.redis = await testRedis("finalizer");
});
finalizer.after(async (ctx) => {
  await ctx.orm.dispose();
  await ctx.redis.dispose();
});
finalizer.before.each(async (ctx) => {
  // Ballots of earlier tests would be due too; each test sees only its own.
  await ctx.orm.fork().nativeUpdate(Ballot, { status: "OPEN" }, { status: "REJECTED" });
  ctx.clock = newClock();
  ctx.commands = recordingCommands(ctx.clock);
  ctx.ballot = await openBallot({ orm: ctx.orm, redis: ctx.redis.client, namespace: ctx.redis.namespace }, { size: 4 });
  ctx.replicas = ["replica-a", "replica-b"].map((replicaId) =>
    createFinalizer({
      fork: () => ctx.orm.fork(),
      commands: ctx.commands,
      clock: ctx.clock,
      logger: silentLogger,
      replicaId,
      leaseMs: 10_000,
      intervalMs: 60_000,
    }),
  );
});
finalizer.after.each(async (ctx) => {
  for (const r of ctx.replicas) await r.dispose();
});

const finalizeCommands = (ctx: Ctx) =>
  ctx.orm
    .fork()
    .find(OutboxCommand, { type: "voting:FinalizeBallot", commandId: { $like: `finalize:${ctx.ballot.ballotId}:%` } });

finalizer("leaves an undecided ballot alone until its close time, then asks the chain once", async (ctx) => {
  const [a] = ctx.replicas;
  ctx.clock.set(ctx.ballot.closesAt - 1);
  assert.equal(await a!.runOnce(), []);
  ctx.clock.set(ctx.ballot.closesAt);
  assert.equal(await a!.runOnce(), [ctx.ballot.ballotId]);
  assert.equal(await a!.runOnce(), [], "the lease holds the ballot");
  const commands = await finalizeCommands(ctx);
  assert.equal(
    commands.map((c) => c.commandId),
    [`finalize:${ctx.ballot.ballotId}:1`],
  );
  assert.equal(JSON.parse(commands[0]!.payload), {
    actor: { kind: "service" },
    transaction: "voting:FinalizeBallot",
    args: [ctx.ballot.ballotId],
  });
});

finalizer("finalizes early once the outstanding votes cannot change the outcome", async (ctx) => {
  const { ballotId, members } = ctx.ballot;
  ctx.clock.set(T0 + 60_000);
  await ctx.ballot.apply(chainEvents.voteCast({ ballotId, userId: members[0]!, choice: "APPROVE", at: T0 + 1000 }));
  await ctx.ballot.apply(chainEvents.voteCast({ ballotId, userId: members[1]!, choice: "APPROVE", at: T0 + 2000 }));
  assert.equal(await ctx.replicas[0]!.runOnce(), [], "2 of 4 approving could still become a tie");
  await ctx.ballot.apply(chainEvents.voteCast({ ballotId, userId: members[2]!, choice: "APPROVE", at: T0 + 3000 }));
  assert.equal(await ctx.replicas[0]!.runOnce(), [ballotId]);
});

finalizer("replicas racing on a due ballot send one request between them", async (ctx) => {
  ctx.clock.set(ctx.ballot.closesAt + 1);
  const results = await Promise.all(ctx.replicas.flatMap((r) => [r.runOnce(), r.runOnce()]));
  assert.is(results.flat().filter((id) => id === ctx.ballot.ballotId).length, 1);
  assert.is((await finalizeCommands(ctx)).length, 1);
});

finalizer("asks again with a new command when a request did not land before the lease ran out", async (ctx) => {
  ctx.clock.set(ctx.ballot.closesAt + 1);
  assert.equal(await ctx.replicas[0]!.runOnce(), [ctx.ballot.ballotId]);
  ctx.clock.advance(10_001);
  assert.equal(await ctx.replicas[1]!.runOnce(), [ctx.ballot.ballotId]);
  const row = await ctx.orm.fork().findOneOrFail(Ballot, { id: ctx.ballot.ballotId });
  assert.is(row.leaseOwner, "replica-b");
  assert.equal((await finalizeCommands(ctx)).map((c) => c.commandId).sort(), [
    `finalize:${ctx.ballot.ballotId}:1`,
    `finalize:${ctx.ballot.ballotId}:2`,
  ]);
});

finalizer("never asks for a ballot the chain has finalized", async (ctx) => {
  await ctx.orm.fork().nativeUpdate(Ballot, { id: ctx.ballot.ballotId }, { status: "APPROVED" });
  ctx.clock.set(ctx.ballot.closesAt + 1);
  assert.equal(await ctx.replicas[0]!.runOnce(), []);
});

finalizer("runs by itself once started, and a wake-up runs a pass at once", async (ctx) => {
  ctx.clock.set(ctx.ballot.closesAt + 1);
  ctx.replicas[0]!.start();
  const deadline = Date.now() + 5000;
  while ((await finalizeCommands(ctx)).length === 0) {
    if (Date.now() > deadline) throw new Error("the started finalizer did not run within 5 s");
    await new Promise((r) => setTimeout(r, 20));
  }
});

finalizer.run();
