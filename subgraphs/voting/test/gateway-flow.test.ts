import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOrm } from "@clearbook/kit";
import { type Client, createClient } from "graphql-ws";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import WebSocket from "ws";
import { type Process, startProcess, startTokenIssuer, type TokenIssuer, waitForPort } from "../bench/stack.js";
import { type ChainStack, eventually, startChainStack } from "./chain-stack.js";
import { MYSQL_URL, REDIS_URL, votingEvents } from "./helpers.js";

/**
 * The voting story through the public API: two gateway processes (each with its realtime layer) in
 * front of two voting replicas on one chain. Clients use access tokens the gateways verify against a
 * key set, as they verify the ledger's.
 */
type Ctx = {
  stack: ChainStack;
  issuer: TokenIssuer;
  logDir: string;
  gatewayDb: string;
  gateways: { process: Process; url: string }[];
  clients: Client[];
  orgId: string;
  founder: string;
  members: string[];
  ballotId: string;
  tallies: { approve: number; reject: number }[][];
  closed: { id: string; status: string }[][];
};

const api = suite<Ctx>("voting through the gateways");

const GATEWAY_PORTS = [15760, 15761];

async function startGateway(ctx: Ctx, index: number, votingUrl: string): Promise<{ process: Process; url: string }> {
  const port = GATEWAY_PORTS[index]!;
  const process = startProcess(
    `gateway-${index}`,
    "gateway",
    {
      MYSQL_URL,
      REDIS_URL,
      GATEWAY_PORT: String(port),
      GATEWAY_DATABASE: ctx.gatewayDb,
      VOTING_URL: `${votingUrl}/graphql`,
      LEDGER_URL: "http://127.0.0.1:1/graphql",
      LEDGER_JWKS_URL: ctx.issuer.jwksUrl,
      REALTIME_STREAM_PREFIX: ctx.stack.namespace,
      GATEWAY_RATE_IP: "100000",
      GATEWAY_RATE_USER: "100000",
    },
    ctx.logDir,
  );
  await waitForPort(port, process);
  return { process, url: `127.0.0.1:${port}/graphql` };
}

type Result = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

async function gql(ctx: Ctx, gatewayIndex: number, query: string, variables: Record<string, unknown>, token?: string) {
  const response = await fetch(`http://${ctx.gateways[gatewayIndex]!.url}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await response.json()) as Result;
}

const codes = (r: Result) => r.errors?.map((e) => e.extensions?.code);
const CAST =
  "mutation CastVote($ballotId: ID!, $choice: VoteChoice!) { castVote(ballotId: $ballotId, choice: $choice) { choice tx { txId } } }";

api.before(async (ctx) => {
  ctx.stack = await startChainStack("gateway");
  ctx.issuer = await startTokenIssuer(0);
  ctx.logDir = await mkdtemp(join(tmpdir(), "clearbook-voting-gateways-"));
  ctx.gatewayDb = `clearbook_test_voting_gw_${randomUUID().slice(0, 6)}`;
  const a = await ctx.stack.startReplica("a");
  const b = await ctx.stack.startReplica("b");
  ctx.gateways = [await startGateway(ctx, 0, a.url), await startGateway(ctx, 1, b.url)];
  ctx.clients = [];
  ctx.tallies = [];
  ctx.closed = [];
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
  ctx.ballotId = randomUUID();
  await chain.submit(founder, "ledger:ProposeSpending", [
    randomUUID(),
    ctx.ballotId,
    ctx.orgId,
    "Sound system",
    "2026",
    "2",
    "12500",
    randomUUID(),
    "[]",
  ]);
  await eventually("the ballot through both gateways", async () => {
    const results = await Promise.all(
      [0, 1].map((g) => gql(ctx, g, "query($id: ID!) { ballot(id: $id) { id } }", { id: ctx.ballotId })),
    );
    return results.every((r) => r.data?.ballot);
  });
});

api.after(async (ctx) => {
  for (const client of ctx.clients ?? []) await client.dispose();
  for (const { process } of ctx.gateways ?? []) await process.stop();
  await ctx.issuer?.dispose();
  if (ctx.gatewayDb) {
    const db = await createOrm({ mysqlUrl: MYSQL_URL, dbName: ctx.gatewayDb, entities: [] });
    await db.orm.schema.dropDatabase(ctx.gatewayDb);
    await db.dispose();
  }
  if (ctx.logDir) await rm(ctx.logDir, { recursive: true, force: true });
  await ctx.stack?.dispose();
});

api("public subscribers on both gateways watch the tally and the organization's closings", async (ctx) => {
  for (let i = 0; i < 10; i++) {
    const client = createClient({
      url: `ws://${ctx.gateways[i % 2]!.url}`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
    });
    ctx.clients.push(client);
    const tallies: { approve: number; reject: number }[] = [];
    const closed: { id: string; status: string }[] = [];
    ctx.tallies.push(tallies);
    ctx.closed.push(closed);
    client.subscribe(
      {
        query: "subscription($id: ID!) { voteTallyChanged(ballotId: $id) { approve reject eligible } }",
        variables: { id: ctx.ballotId },
      },
      {
        next: (v) =>
          void tallies.push((v.data as { voteTallyChanged: { approve: number; reject: number } }).voteTallyChanged),
        error: () => {},
        complete: () => {},
      },
    );
    client.subscribe(
      { query: "subscription($org: ID!) { ballotClosed(orgId: $org) { id status } }", variables: { org: ctx.orgId } },
      {
        next: (v) => void closed.push((v.data as { ballotClosed: { id: string; status: string } }).ballotClosed),
        error: () => {},
        complete: () => {},
      },
    );
  }
  let connected = 0;
  await Promise.all(
    ctx.clients.map((c) => new Promise<void>((resolve) => c.on("connected", () => resolve(void connected++)))),
  );
  assert.is(connected, 10);
});

api("castVote: anonymous, outsider, platform admin outside the organization, member and council", async (ctx) => {
  const { issuer, ballotId } = ctx;
  const cases: [string, string | undefined, string[] | undefined][] = [
    ["anonymous", undefined, ["UNAUTHENTICATED"]],
    ["signed-in outsider", issuer.token(randomUUID()), ["FORBIDDEN"]],
    ["platform admin, not a member", issuer.token(randomUUID(), ["ADMIN"]), ["FORBIDDEN"]],
    ["member", issuer.token(ctx.members[0]!), undefined],
    ["council (the founder)", issuer.token(ctx.founder), undefined],
  ];
  for (const [who, token, expected] of cases) {
    const result = await gql(ctx, 0, CAST, { ballotId, choice: "APPROVE" }, token);
    assert.equal(codes(result), expected, who);
    if (!expected) assert.is((result.data?.castVote as { choice: string } | undefined)?.choice, "APPROVE", who);
  }
});

api("refusals through the gateway keep their codes", async (ctx) => {
  const token = ctx.issuer.token(ctx.members[1]!);
  assert.equal(codes(await gql(ctx, 1, CAST, { ballotId: randomUUID(), choice: "APPROVE" }, token)), ["NOT_FOUND"]);
  assert.equal(codes(await gql(ctx, 1, CAST, { ballotId: ctx.ballotId, choice: "MAYBE" }, token)), ["BAD_USER_INPUT"]);
});

api(
  "votes through both gateways decide the ballot; it is finalized once and every subscriber sees the end",
  async (ctx) => {
    // Already 2 approvals (member 0, founder); two more make 4 of 5, which no outstanding vote can undo.
    await gql(ctx, 1, CAST, { ballotId: ctx.ballotId, choice: "REJECT" }, ctx.issuer.token(ctx.members[1]!));
    await gql(ctx, 0, CAST, { ballotId: ctx.ballotId, choice: "APPROVE" }, ctx.issuer.token(ctx.members[2]!));
    await gql(ctx, 1, CAST, { ballotId: ctx.ballotId, choice: "APPROVE" }, ctx.issuer.token(ctx.members[3]!));
    await eventually(
      "every subscriber's final tally and closing",
      async () =>
        ctx.tallies.every((t) => t.at(-1)?.approve === 4 && t.at(-1)?.reject === 1) &&
        ctx.closed.every((c) => c.length === 1),
      30_000,
    );
    for (const c of ctx.closed) assert.equal(c, [{ id: ctx.ballotId, status: "APPROVED" }]);
    const closings = (await votingEvents(ctx.stack.redis.client, ctx.stack.namespace)).filter(
      (e) => e.type === "BallotClosed",
    );
    assert.is(closings.length, 1, "one BallotClosed event");
    const late = await gql(
      ctx,
      0,
      CAST,
      { ballotId: ctx.ballotId, choice: "REJECT" },
      ctx.issuer.token(ctx.members[2]!),
    );
    assert.equal(codes(late), ["BALLOT_CLOSED"]);
  },
);

api.run();
