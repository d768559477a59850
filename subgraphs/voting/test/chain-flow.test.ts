import { randomUUID } from "node:crypto";
import { DEV_INTERNAL_SECRET, OutboxCommand, signViewer, VIEWER_HEADER } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ChainStack, eventually, startChainStack } from "./chain-stack.js";
import { plain, votingEvents as votingEventsOf } from "./helpers.js";

/**
 * The whole voting path on a real (embedded) chain: chaincode events open the ballot, members vote
 * through GraphQL, the outbox relay and the signer put the votes on chain, the indexer counts them
 * and publishes tallies, and the finalizers of two replicas close the ballot once.
 */
type Ctx = {
  stack: ChainStack;
  orgId: string;
  founder: string;
  members: string[];
  ballotId: string;
  entryId: string;
  /** A second ballot nobody votes on: it closes at its close time, a minute after opening. */
  quietBallotId: string;
  quietEntryId: string;
};

const flow = suite<Ctx>("voting on the chain");

async function gql(ctx: Ctx, replica: string, query: string, variables: Record<string, unknown>, sub: string | null) {
  const url = ctx.stack.replicas.get(replica)?.url;
  if (!url) throw new Error(`replica ${replica} is not running`);
  const body = JSON.stringify({ query, variables });
  const header = signViewer({ sub, roles: [], partner: null, rid: "chain-flow" }, DEV_INTERNAL_SECRET, {
    binding: { audience: "voting", body },
  });
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", [VIEWER_HEADER]: header },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  return plain(
    (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  );
}

const CAST = `mutation($ballotId: ID!, $choice: VoteChoice!) { castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId } } }`;
const TALLY = `query($id: ID!) { ballot(id: $id) { status myVote myVotePending tally { approve reject eligible } } }`;

type BallotView = {
  status: string;
  myVote: string | null;
  myVotePending: boolean | null;
  tally: { approve: number; reject: number; eligible: number };
};

async function ballotOf(ctx: Ctx, replica: string, sub: string | null = null): Promise<BallotView | null> {
  const result = await gql(ctx, replica, TALLY, { id: ctx.ballotId }, sub);
  return (result.data?.ballot as BallotView | null) ?? null;
}

async function vote(ctx: Ctx, replica: string, member: string, choice: "APPROVE" | "REJECT") {
  const result = await gql(ctx, replica, CAST, { ballotId: ctx.ballotId, choice }, member);
  if (result.errors) throw new Error(`castVote failed: ${JSON.stringify(result.errors)}`);
  return result.data?.castVote as { choice: string; pending: boolean; tx: { txId: string } };
}

const votingEvents = (ctx: Ctx) => votingEventsOf(ctx.stack.redis.client, ctx.stack.namespace);

flow.before(async (ctx) => {
  ctx.stack = await startChainStack("flow");
  await ctx.stack.startReplica("a");
  await ctx.stack.startReplica("b");
  const { chain, admin } = ctx.stack;
  ctx.orgId = randomUUID();
  ctx.founder = randomUUID();
  ctx.members = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  for (const user of [ctx.founder, ...ctx.members]) await ctx.stack.enroll(user);
  await chain.submit(admin, "org:CreateOrganization", [ctx.orgId, "Student council", ctx.founder]);
  const founder = await ctx.stack.as(ctx.founder);
  for (const member of ctx.members) {
    const requestId = randomUUID();
    await chain.submit(await ctx.stack.as(member), "org:RequestMembership", [requestId, ctx.orgId]);
    await chain.submit(founder, "org:ApproveMembership", [requestId]);
  }
  // The shortest ballot the chaincode allows, so the quiet ballot's close time comes during the suite.
  await chain.submit(founder, "org:UpdateSettings", [ctx.orgId, "60", "5000", "5000"]);
  ctx.ballotId = randomUUID();
  ctx.entryId = randomUUID();
  ctx.quietBallotId = randomUUID();
  ctx.quietEntryId = randomUUID();
  for (const [entryId, ballotId, what] of [
    [ctx.entryId, ctx.ballotId, "Sound system"],
    [ctx.quietEntryId, ctx.quietBallotId, "Banners"],
  ] as const) {
    await chain.submit(founder, "ledger:ProposeSpending", [
      entryId,
      ballotId,
      ctx.orgId,
      what,
      "2026",
      "2",
      "12500",
      randomUUID(),
      "[]",
    ]);
  }
  await eventually(
    "both replicas to see the ballot",
    async () => (await ballotOf(ctx, "a")) && (await ballotOf(ctx, "b")),
  );
});

flow.after(async (ctx) => {
  await ctx.stack?.dispose();
});

flow("opens the ballot with every member eligible", async (ctx) => {
  const ballot = await ballotOf(ctx, "a");
  assert.equal(ballot, {
    status: "OPEN",
    myVote: null,
    myVotePending: null,
    tally: { approve: 0, reject: 0, eligible: 5 },
  });
});

flow("a vote is pending at once, committed by the chain, and counted on every replica", async (ctx) => {
  const [m1, m2] = ctx.members;
  const receipt = await vote(ctx, "a", m1!, "APPROVE");
  assert.is(receipt.pending, true);
  assert.match(receipt.tx.txId, /^[0-9a-f]{64}$/);
  await vote(ctx, "b", m2!, "APPROVE");
  await eventually("two approvals on replica b", async () => (await ballotOf(ctx, "b"))?.tally.approve === 2);
  const mine = await ballotOf(ctx, "a", m1!);
  assert.is(mine?.myVote, "APPROVE");
  assert.is(mine?.myVotePending, false);
});

flow("changing a vote moves it from one side to the other; the last one counts", async (ctx) => {
  await vote(ctx, "a", ctx.members[0]!, "REJECT");
  await eventually("1 approve, 1 reject", async () => {
    const tally = (await ballotOf(ctx, "a"))?.tally;
    return tally?.approve === 1 && tally.reject === 1;
  });
});

flow("refuses a non-member's vote before anything reaches the chain", async (ctx) => {
  const result = await gql(ctx, "a", CAST, { ballotId: ctx.ballotId, choice: "APPROVE" }, randomUUID());
  assert.equal(
    result.errors?.map((e) => e.extensions?.code),
    ["FORBIDDEN"],
  );
});

flow("an indexer that was down catches up from its checkpoint and misses no vote", async (ctx) => {
  await ctx.stack.stopReplica("a");
  await ctx.stack.stopReplica("b");
  // Votes straight on the chain while no indexer runs.
  await ctx.stack.chain.submit(await ctx.stack.as(ctx.members[2]!), "voting:CastVote", [ctx.ballotId, "REJECT"]);
  await ctx.stack.chain.submit(await ctx.stack.as(ctx.members[0]!), "voting:CastVote", [ctx.ballotId, "APPROVE"]);
  await ctx.stack.startReplica("a");
  await ctx.stack.startReplica("b");
  await eventually("the votes cast while down", async () => {
    const tally = (await ballotOf(ctx, "b"))?.tally;
    return tally?.approve === 2 && tally.reject === 1;
  });
});

flow(
  "once the outcome is decided the ballot is finalized once, with both replicas' finalizers running",
  async (ctx) => {
    // 2 approve, 1 reject; two more approvals make 4 of 5, which the last vote cannot undo.
    await vote(ctx, "a", ctx.members[3]!, "APPROVE");
    await vote(ctx, "b", ctx.founder, "APPROVE");
    await eventually("the ballot to close", async () => (await ballotOf(ctx, "a"))?.status === "APPROVED", 20_000);
    const final = await ballotOf(ctx, "b");
    assert.equal(final?.tally, { approve: 4, reject: 1, eligible: 5 });
    const events = await votingEvents(ctx);
    const closed = events.filter((e) => e.type === "BallotClosed" && e.data.ballotId === ctx.ballotId);
    assert.equal(
      closed.map((e) => e.data),
      [{ ballotId: ctx.ballotId, orgId: ctx.orgId, status: "APPROVED" }],
    );
    const last = events.filter((e) => e.type === "VoteTallyChanged").at(-1);
    assert.equal(last?.type === "VoteTallyChanged" && [last.data.approve, last.data.reject], [4, 1]);
    const requests = await ctx.stack.votingDb.fork().count(OutboxCommand, { type: "voting:FinalizeBallot" });
    assert.is(requests, 1, "one replica asked");
    const entry = (await ctx.stack.chain.evaluate("ledger:GetEntry", [ctx.entryId])) as Uint8Array;
    assert.is((JSON.parse(Buffer.from(entry).toString("utf8")) as { status: string }).status, "APPROVED");
  },
);

flow("refuses a vote after the ballot closed", async (ctx) => {
  const result = await gql(ctx, "b", CAST, { ballotId: ctx.ballotId, choice: "REJECT" }, ctx.members[1]!);
  assert.equal(
    result.errors?.map((e) => e.extensions?.code),
    ["BALLOT_CLOSED"],
  );
});

flow("a ballot nobody voted on is finalized at its close time, rejected for want of a quorum", async (ctx) => {
  const quiet = async () => {
    const result = await gql(
      ctx,
      "b",
      "query($id: ID!) { ballot(id: $id) { status closesAt } }",
      { id: ctx.quietBallotId },
      null,
    );
    return result.data?.ballot as { status: string; closesAt: string } | null;
  };
  const opened = await quiet();
  assert.is(opened?.status, "OPEN");
  await eventually("the close time and the finalization", async () => (await quiet())?.status === "REJECTED", 90_000);
  const closedAt = Date.now();
  assert.ok(closedAt >= Date.parse(opened?.closesAt ?? ""), "not before its close time");
  const closingsOf = async () =>
    (await votingEvents(ctx)).filter((e) => e.type === "BallotClosed" && e.data.ballotId === ctx.quietBallotId);
  // The read model is written before the event is appended: under load the status can be seen first.
  await eventually("the BallotClosed event", async () => (await closingsOf()).length > 0, 10_000);
  assert.is((await closingsOf()).length, 1);
  const requests = await ctx.stack.votingDb
    .fork()
    .count(OutboxCommand, { type: "voting:FinalizeBallot", commandId: { $like: `finalize:${ctx.quietBallotId}:%` } });
  assert.is(requests, 1);
  const entry = (await ctx.stack.chain.evaluate("ledger:GetEntry", [ctx.quietEntryId])) as Uint8Array;
  assert.is((JSON.parse(Buffer.from(entry).toString("utf8")) as { status: string }).status, "REJECTED");
});

flow.run();
