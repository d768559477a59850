import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { compose, type FixtureGateway, startFixtureGateway } from "./realtime/fixture-gateway.js";
import { emptyStore, type FixtureStore, ledgerSdl, startFixtureSubgraphs } from "./realtime/fixture-subgraphs.js";
import {
  appendEvent,
  connect,
  deleteStreams,
  type Received,
  sleep,
  subscribe,
  type TestClient,
  uniquePrefix,
  waitFor,
} from "./realtime/helpers.js";

interface Context {
  store: FixtureStore;
  subgraphs: Awaited<ReturnType<typeof startFixtureSubgraphs>>;
  gateway: FixtureGateway;
  redis: Redis;
  prefix: string;
  clients: TestClient[];
}

const test = suite<Context>("realtime: subscriptions through the federated executor");

test.before.each(async (ctx) => {
  ctx.store = emptyStore();
  ctx.store.entries.set("e1", { id: "e1", eventName: "Spring fair", amount: "12500" });
  ctx.store.ballots.set("b1", { id: "b1", entryId: "e1", status: "OPEN", approve: 0, reject: 0, memo: "" });
  ctx.subgraphs = await startFixtureSubgraphs(ctx.store);
  ctx.prefix = uniquePrefix();
  ctx.redis = new Redis({ host: "127.0.0.1", port: 6379 });
  ctx.gateway = await startFixtureGateway({
    supergraphSdl: compose(ctx.subgraphs.subgraphs),
    options: { streamPrefix: ctx.prefix, maxPushesPerSecond: 0, keepAliveMs: 0, tailBlockMs: 200 },
  });
  ctx.clients = [];
});

test.after.each(async (ctx) => {
  for (const { client } of ctx.clients) await client.dispose();
  await ctx.gateway.dispose();
  await ctx.subgraphs.stop();
  await deleteStreams(ctx.redis, ctx.prefix);
  ctx.redis.disconnect();
});

const open = async (ctx: Context, token?: string) => {
  const client = connect(ctx.gateway.url, token ? { token } : {});
  ctx.clients.push(client);
  await client.connected();
  return client;
};
/** Lets the server register a subscription (plan, authorization) before an event is appended. */
const settle = () => sleep(150);

test("resolves a subscription with fields from two subgraphs", async (ctx) => {
  const { client } = await open(ctx);
  const received = subscribe(client, {
    query: `subscription Closed($org: ID!) { closed: ballotClosed(orgId: $org) { id status entry { id eventName amount } } }`,
    variables: { org: "o1" },
  });
  await settle();
  ctx.store.ballots.get("b1")!.status = "APPROVED";
  const eventId = await appendEvent(ctx.redis, ctx.prefix, "voting", "BallotClosed", {
    ballotId: "b1",
    orgId: "o1",
    status: "APPROVED",
  });
  await waitFor(() => received.results.length === 1, 5_000, "the push");
  assert.equal(received.json(), [
    {
      data: {
        closed: { id: "b1", status: "APPROVED", entry: { id: "e1", eventName: "Spring fair", amount: "12500" } },
      },
      extensions: { eventId },
    },
  ]);
});

test("ignores events for other entities", async (ctx) => {
  const { client } = await open(ctx);
  const received = subscribe(client, { query: `subscription { voteTallyChanged(ballotId: "b1") { approve } }` });
  await settle();
  await appendEvent(ctx.redis, ctx.prefix, "voting", "VoteTallyChanged", { ballotId: "b2", orgId: "o1" });
  await appendEvent(ctx.redis, ctx.prefix, "voting", "BallotClosed", { ballotId: "b1", orgId: "o1" });
  ctx.store.ballots.get("b1")!.approve = 3;
  await appendEvent(ctx.redis, ctx.prefix, "voting", "VoteTallyChanged", { ballotId: "b1", orgId: "o1" });
  await waitFor(() => received.results.length === 1, 5_000, "the push");
  await sleep(200);
  assert.equal(received.results.length, 1);
  assert.equal(received.json()[0], {
    data: { voteTallyChanged: { approve: 3 } },
    extensions: { eventId: received.results[0]?.extensions?.eventId },
  });
});

test("identical subscriptions share one execution per event", async (ctx) => {
  const query = `subscription Tally($id: ID!) { voteTallyChanged(ballotId: $id) { ballotId approve reject } }`;
  const all: Received[] = [];
  for (let i = 0; i < 3; i++) {
    const { client } = await open(ctx);
    for (let j = 0; j < 4; j++) all.push(subscribe(client, { query, variables: { id: "b1" } }));
  }
  await settle();
  const before = ctx.gateway.executions();
  ctx.store.ballots.get("b1")!.reject = 2;
  await appendEvent(ctx.redis, ctx.prefix, "voting", "VoteTallyChanged", { ballotId: "b1", orgId: "o1" });
  await waitFor(() => all.every((r) => r.results.length === 1), 5_000, "12 pushes");
  assert.is(ctx.gateway.executions() - before, 1);
  for (const r of all) assert.equal(r.json()[0]?.data, { voteTallyChanged: { ballotId: "b1", approve: 0, reject: 2 } });
});

test("rejects an operation that does not validate, without closing the socket", async (ctx) => {
  const test = await open(ctx);
  const received = subscribe(test.client, { query: `subscription { voteTallyChanged(ballotId: "b1") { nope } }` });
  await waitFor(() => received.error !== undefined, 5_000, "the error");
  const errors = received.error as { message: string }[];
  assert.match(errors[0]?.message ?? "", /nope/);
  assert.equal(test.closes, []);
});

test("refuses queries and mutations over the socket: they belong to HTTP, where its limits apply", async (ctx) => {
  const { client } = await open(ctx);
  const received = subscribe(client, { query: `{ ballot(id: "b1") { id } }` });
  await waitFor(() => received.error !== undefined, 5_000, "the error");
  assert.match((received.error as { message: string }[])[0]?.message ?? "", /over HTTP/);
});

test("refuses more subscriptions per connection than allowed", async (ctx) => {
  await ctx.gateway.dispose();
  ctx.gateway = await startFixtureGateway({
    supergraphSdl: compose(ctx.subgraphs.subgraphs),
    options: { streamPrefix: ctx.prefix, maxSubscriptionsPerConnection: 2, keepAliveMs: 0 },
  });
  const { client } = await open(ctx);
  const query = `subscription { voteTallyChanged(ballotId: "b1") { approve } }`;
  const all = [subscribe(client, { query }), subscribe(client, { query }), subscribe(client, { query })];
  await waitFor(() => all[2]?.error !== undefined, 5_000, "the third is refused");
  assert.equal(
    all.map((r) => r.error === undefined),
    [true, true, false],
  );
});

test("lets only a wallet's owner watch its activity", async (ctx) => {
  ctx.store.wallets.set("w1", "alice");
  ctx.store.transactions.set("t1", { txId: "t1", status: "VALID" });
  const query = `subscription { walletActivity(walletId: "w1") { txId status } }`;
  const mallory = subscribe((await open(ctx, "user:mallory")).client, { query });
  const anonymous = subscribe((await open(ctx)).client, { query });
  const alice = subscribe((await open(ctx, "user:alice")).client, { query });
  await waitFor(() => mallory.error !== undefined && anonymous.error !== undefined, 5_000, "refusals");
  assert.is((mallory.error as { extensions?: { code?: string } }[])[0]?.extensions?.code, "FORBIDDEN");
  await settle();
  await appendEvent(ctx.redis, ctx.prefix, "wallet", "WalletActivity", { walletId: "w1", txId: "t1" });
  await waitFor(() => alice.results.length === 1, 5_000, "alice's push");
  assert.equal(alice.json()[0]?.data, { walletActivity: { txId: "t1", status: "VALID" } });
});

test("viewer-scoped subscriptions share an execution only within the same user and roles", async (ctx) => {
  ctx.store.wallets.set("w1", "alice");
  ctx.store.transactions.set("t1", { txId: "t1", status: "VALID" });
  const query = `subscription { walletActivity(walletId: "w1") { txId } }`;
  const watchers = [
    subscribe((await open(ctx, "user:alice")).client, { query }),
    subscribe((await open(ctx, "user:alice")).client, { query }),
    subscribe((await open(ctx, "admin:root")).client, { query }),
  ];
  await settle();
  assert.ok(
    watchers.every((w) => w.error === undefined),
    "the owner and an admin may watch",
  );
  const before = ctx.gateway.executions();
  await appendEvent(ctx.redis, ctx.prefix, "wallet", "WalletActivity", { walletId: "w1", txId: "t1" });
  await waitFor(() => watchers.every((w) => w.results.length === 1), 5_000, "three pushes");
  assert.is(ctx.gateway.executions() - before, 2);
});

test("closes a connection whose access token expires with 4440", async (ctx) => {
  const test = await open(ctx, `user:alice:${Date.now() + 400}`);
  await waitFor(() => test.closes.length === 1, 5_000, "the close");
  assert.equal(test.closes[0], { code: 4440, reason: "Access token expired" });
});

test("ends subscriptions whose field a supergraph reload removed, with an error", async (ctx) => {
  const { client } = await open(ctx);
  const gone = subscribe(client, { query: `subscription { transactionConfirmed(txId: "t1") { txId } }` });
  const kept = subscribe(client, { query: `subscription { voteTallyChanged(ballotId: "b1") { approve } }` });
  await settle();
  const [voting, ledger] = ctx.subgraphs.subgraphs;
  ctx.gateway.updateSupergraph(compose([voting!, { ...ledger!, typeDefs: ledgerSdl({ withConfirmations: false }) }]));
  await waitFor(() => gone.error !== undefined, 5_000, "the error");
  assert.match((gone.error as { message: string }[])[0]?.message ?? "", /no longer served/);
  await appendEvent(ctx.redis, ctx.prefix, "voting", "VoteTallyChanged", { ballotId: "b1", orgId: "o1" });
  await waitFor(() => kept.results.length === 1, 5_000, "the kept subscription's push");
});

test.run();
