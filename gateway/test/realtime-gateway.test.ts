// The realtime layer inside the real createGateway (JWT authentication, signed viewer forwarding,
// executeOperation with the gateway's plugins), wired the way main.ts wires it.
import { revokeSessions } from "@clearbook/kit";
import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { realtimeAttacher } from "../src/realtime/index.js";
import { startTestGateway, type TestGateway, testConfig, testIssuer } from "./helpers.js";
import { compose } from "./realtime/fixture-gateway.js";
import { emptyStore, type FixtureStore, INTERNAL_SECRET, startFixtureSubgraphs } from "./realtime/fixture-subgraphs.js";
import {
  appendEvent,
  connect,
  deleteStreams,
  sleep,
  subscribe,
  type TestClient,
  uniquePrefix,
  waitFor,
} from "./realtime/helpers.js";

interface Context {
  store: FixtureStore;
  subgraphs: Awaited<ReturnType<typeof startFixtureSubgraphs>>;
  issuer: Awaited<ReturnType<typeof testIssuer>>;
  gateway: TestGateway;
  redis: Redis;
  prefix: string;
  clients: TestClient[];
}

const test = suite<Context>("realtime: inside createGateway");

test.before.each(async (ctx) => {
  ctx.store = emptyStore();
  ctx.store.wallets.set("w1", "alice");
  ctx.store.transactions.set("t1", { txId: "t1", status: "VALID" });
  ctx.subgraphs = await startFixtureSubgraphs(ctx.store);
  ctx.issuer = await testIssuer();
  ctx.prefix = uniquePrefix();
  ctx.redis = new Redis({ host: "127.0.0.1", port: 6379 });
  ctx.gateway = await startTestGateway(testConfig({ internalSecret: INTERNAL_SECRET }), {
    supergraphSdl: compose(ctx.subgraphs.subgraphs),
    jwks: ctx.issuer.jwks,
    attachRealtime: realtimeAttacher({ options: { streamPrefix: ctx.prefix, keepAliveMs: 0, maxPushesPerSecond: 0 } }),
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
  const client = connect(`${ctx.gateway.url.replace("http", "ws")}/graphql`, token ? { token } : {});
  ctx.clients.push(client);
  await client.connected();
  return client;
};

test("serves an owner-only subscription to the token's user on the gateway's own port and path", async (ctx) => {
  const query = `subscription { walletActivity(walletId: "w1") { txId status } }`;
  const alice = subscribe((await open(ctx, await ctx.issuer.sign({ sub: "alice" }))).client, { query });
  const bob = subscribe((await open(ctx, await ctx.issuer.sign({ sub: "bob" }))).client, { query });
  await waitFor(() => bob.error !== undefined, 5_000, "bob's refusal");
  await sleep(150);
  await appendEvent(ctx.redis, ctx.prefix, "wallet", "WalletActivity", { walletId: "w1", txId: "t1" });
  await waitFor(() => alice.results.length === 1, 5_000, "alice's push");
  assert.equal(alice.json()[0]?.data, { walletActivity: { txId: "t1", status: "VALID" } });
  assert.is((bob.error as { extensions?: { code?: string } }[])[0]?.extensions?.code, "FORBIDDEN");
});

test("closes the sockets of a logged-out session at once with 4440, and only those", async (ctx) => {
  const ended = await open(ctx, await ctx.issuer.sign({ sub: "alice", sid: "family-1" }));
  const other = await open(ctx, await ctx.issuer.sign({ sub: "alice", sid: "family-2" }));
  const prefix = ctx.gateway.config.sessionRevocationPrefix ?? "";
  await revokeSessions(ctx.redis, prefix, { kind: "sid", id: "family-1", atMs: Date.now() }, 60);
  await waitFor(() => ended.closes.length === 1, 5_000, "the logged-out socket's close");
  assert.is(ended.closes[0]?.code, 4440);
  assert.is(other.closes.length, 0);
});

test("closes with 4440 when the JWT expires", async (ctx) => {
  // Seconds granularity: a token at most one second from expiry could expire before the connection
  // is acknowledged on a loaded machine; three seconds leave room for the handshake.
  const exp = Math.floor(Date.now() / 1000) + 3;
  const test = await open(ctx, await ctx.issuer.sign({ sub: "alice" }, { expiresIn: exp }));
  await waitFor(() => test.closes.length === 1, 8_000, "the close");
  assert.is(test.closes[0]?.code, 4440);
});

test("publishes its metrics on the gateway's registry", async (ctx) => {
  await open(ctx);
  const text = await ctx.gateway.gateway.metrics.registry.metrics();
  assert.match(text, /clearbook_realtime_connections\{service="gateway"\} 1/);
});

test.run();
