import { readFile } from "node:fs/promises";
import { type OrmHandle, printSubgraphSdl, type SubgraphServer, signViewer, VIEWER_HEADER } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createVotingApi } from "../src/api.js";
import { buildVotingSchema } from "../src/graphql/schema.js";
import { type BallotFixture, openBallot, silentLogger } from "./fixtures.js";
import { chainEvents, newClock, plain, recordingCommands, T0, testOrm, testRedis, uuid } from "./helpers.js";

const SECRET = "voting-test-internal-secret-0123456789";

type Ctx = {
  orm: OrmHandle & { dispose(): Promise<void> };
  redis: Awaited<ReturnType<typeof testRedis>>;
  clock: ReturnType<typeof newClock>;
  server: SubgraphServer;
  url: string;
  ballot: BallotFixture;
};

const api = suite<Ctx>("voting GraphQL API");

api.before(async (ctx) => {
  ctx.orm = await testOrm("api");
  ctx.redis = await testRedis("api");
  ctx.clock = newClock();
  ctx.server = await createVotingApi(
    { port: 0, internalSecret: SECRET, development: false },
    { orm: ctx.orm, commands: recordingCommands(ctx.clock), clock: ctx.clock, logger: silentLogger },
  );
  ctx.url = await ctx.server.listen();
  ctx.ballot = await openBallot({ orm: ctx.orm, redis: ctx.redis.client, namespace: ctx.redis.namespace }, { size: 3 });
  ctx.clock.set(T0 + 60_000);
});
api.after(async (ctx) => {
  await ctx.server.dispose();
  await ctx.orm.dispose();
  await ctx.redis.dispose();
});

interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function gql(ctx: Ctx, query: string, variables: Record<string, unknown> = {}, sub: string | null = null) {
  // The viewer header is checked against real time: sign it with Date.now, not the test clock.
  const body = JSON.stringify({ query, variables });
  const header = signViewer({ sub, roles: [], partner: null, rid: "test" }, SECRET, {
    nowMs: ctx.clock.now(),
    binding: { audience: "voting", body },
  });
  const response = await fetch(`${ctx.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", [VIEWER_HEADER]: header },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return plain((await response.json()) as GraphQLResponse);
}

const codes = (r: GraphQLResponse) => r.errors?.map((e) => e.extensions?.code);

const CAST = `mutation CastVote($ballotId: ID!, $choice: VoteChoice!) {
  castVote(ballotId: $ballotId, choice: $choice) { choice pending tx { txId } ballot { id myVote myVotePending } }
}`;

api("the committed schema.graphql is what the code builds (run `npm run sdl` after a change)", async () => {
  const committed = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
  assert.is(committed, printSubgraphSdl(await buildVotingSchema()));
});

api("casts a vote and shows it as the viewer's pending vote", async (ctx) => {
  const member = ctx.ballot.members[0]!;
  const result = await gql(ctx, CAST, { ballotId: ctx.ballot.ballotId, choice: "APPROVE" }, member);
  assert.is(result.errors, undefined);
  const receipt = result.data?.castVote as { choice: string; pending: boolean; tx: { txId: string }; ballot: unknown };
  assert.is(receipt.choice, "APPROVE");
  assert.is(receipt.pending, true);
  assert.match(receipt.tx.txId, /^[0-9a-f]{64}$/);
  assert.equal(receipt.ballot, { id: ctx.ballot.ballotId, myVote: "APPROVE", myVotePending: true });
});

api("refusals carry their codes", async (ctx) => {
  const { ballotId, members } = ctx.ballot;
  assert.equal(codes(await gql(ctx, CAST, { ballotId, choice: "APPROVE" })), ["UNAUTHENTICATED"]);
  assert.equal(codes(await gql(ctx, CAST, { ballotId, choice: "APPROVE" }, uuid())), ["FORBIDDEN"]);
  assert.equal(codes(await gql(ctx, CAST, { ballotId: uuid(), choice: "APPROVE" }, members[0]!)), ["NOT_FOUND"]);
  assert.equal(codes(await gql(ctx, CAST, { ballotId: "x", choice: "APPROVE" }, members[0]!)), ["BAD_USER_INPUT"]);
});

api("anyone can read a ballot with its tally; the committed votes count", async (ctx) => {
  const { ballotId, members } = ctx.ballot;
  await ctx.ballot.apply(chainEvents.voteCast({ ballotId, userId: members[1]!, choice: "REJECT", at: T0 + 61_000 }));
  const result = await gql(
    ctx,
    `query($id: ID!) { ballot(id: $id) { id status opensAt closesAt myVote entry { id } organization { id }
      tally { ballotId approve reject eligible turnout quorumReached updatedAt } } }`,
    { id: ballotId },
  );
  assert.equal(result.data?.ballot, {
    id: ballotId,
    status: "OPEN",
    opensAt: new Date(T0).toISOString(),
    closesAt: new Date(ctx.ballot.closesAt).toISOString(),
    myVote: null,
    entry: { id: ctx.ballot.entryId },
    organization: { id: ctx.ballot.orgId },
    tally: {
      ballotId,
      approve: 0,
      reject: 1,
      eligible: 3,
      turnout: 1 / 3,
      quorumReached: false,
      updatedAt: new Date(T0 + 61_000).toISOString(),
    },
  });
  assert.equal((await gql(ctx, "query($id: ID!) { ballot(id: $id) { id } }", { id: uuid() })).data, { ballot: null });
});

api(
  "resolves the entities the gateway asks for: ledger entries' ballots, organizations' ballots, tallies",
  async (ctx) => {
    const { ballotId, entryId, orgId } = ctx.ballot;
    const result = await gql(
      ctx,
      `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on LedgerEntry { id ballot { id status } }
      ... on Organization { id ballots(status: OPEN) { id } }
      ... on VoteTally { ballotId eligible }
      ... on Ballot { id status }
    } }`,
      {
        reps: [
          { __typename: "LedgerEntry", id: entryId },
          { __typename: "LedgerEntry", id: uuid() },
          { __typename: "Organization", id: orgId },
          { __typename: "VoteTally", ballotId },
          { __typename: "Ballot", id: ballotId },
        ],
      },
    );
    assert.is(result.errors, undefined);
    assert.equal(result.data?._entities, [
      { id: entryId, ballot: { id: ballotId, status: "OPEN" } },
      { id: result.data?._entities && (result.data._entities as { id: string }[])[1]?.id, ballot: null },
      { id: orgId, ballots: [{ id: ballotId }] },
      { ballotId, eligible: 3 },
      { id: ballotId, status: "OPEN" },
    ]);
  },
);

api("refuses requests that did not come through the gateway", async (ctx) => {
  const response = await fetch(`${ctx.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
    signal: AbortSignal.timeout(5000),
  });
  assert.is(response.status, 401);
});

api.run();
