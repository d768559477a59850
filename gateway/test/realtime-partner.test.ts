// Partner integrations over WebSocket: an API key in `connection_init`, and only the persisted
// operations of the manifest, as over HTTP (gateway/src/plugins/use-persisted.ts).
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createPool } from "mysql2/promise";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createPartnerKeyStore, type PartnerKeyStore } from "../src/partner-keys.js";
import { buildManifest } from "../src/persisted-manifest.js";
import { realtimeAttacher } from "../src/realtime/index.js";
import { startTestGateway, type TestGateway, testConfig, testIssuer } from "./helpers.js";
import { compose } from "./realtime/fixture-gateway.js";
import { emptyStore, type FixtureStore, INTERNAL_SECRET, startFixtureSubgraphs } from "./realtime/fixture-subgraphs.js";
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

const database = `clearbook_test_gateway_${randomUUID().slice(0, 8)}`;
const mysqlUrl = "mysql://root@127.0.0.1:3306";
const entries = "subscription Entries($org: ID!) { ledgerEntryChanged(orgId: $org) { id eventName } }";
const manifest = buildManifest([entries]);
const entriesOperation = manifest.operations.find((o) => o.name === "Entries");
const entriesId = entriesOperation?.id ?? "";

interface Context {
  store: FixtureStore;
  subgraphs: Awaited<ReturnType<typeof startFixtureSubgraphs>>;
  keys: PartnerKeyStore;
  partnerKey: string;
  gateway: TestGateway;
  redis: Redis;
  prefix: string;
  clients: TestClient[];
}

const test = suite<Context>("realtime: partner API keys and persisted subscriptions");

test.before(async (ctx) => {
  ctx.keys = createPartnerKeyStore({ mysqlUrl, database });
  await ctx.keys.migrate();
  ctx.partnerKey = (await ctx.keys.create("campus-portal", ["ledger:read"])).apiKey;
});
test.after(async (ctx) => {
  await ctx.keys.dispose();
  const admin = createPool({ uri: mysqlUrl, connectionLimit: 1 });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
});

test.before.each(async (ctx) => {
  ctx.store = emptyStore();
  ctx.store.entries.set("e1", { id: "e1", eventName: "Entry 1", amount: "100" });
  ctx.subgraphs = await startFixtureSubgraphs(ctx.store);
  ctx.prefix = uniquePrefix();
  ctx.redis = new Redis({ host: "127.0.0.1", port: 6379 });
  ctx.gateway = await startTestGateway(testConfig({ internalSecret: INTERNAL_SECRET }), {
    supergraphSdl: compose(ctx.subgraphs.subgraphs),
    jwks: (await testIssuer()).jwks,
    manifest,
    partnerKeys: ctx.keys,
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

const open = (ctx: Context, params: Record<string, unknown>) => {
  const client = connect(`${ctx.gateway.url.replace("http", "ws")}/graphql`, { params });
  ctx.clients.push(client);
  return client;
};
const codeOf = (received: Received) => (received.error as { extensions?: { code?: string } }[])?.[0]?.extensions?.code;
const entryChanged = (ctx: Context) =>
  appendEvent(ctx.redis, ctx.prefix, "ledger", "LedgerEntryChanged", { orgId: "o1", entryId: "e1" });

test("a partner key subscribes to a manifest subscription by id or by its document, and gets the events", async (ctx) => {
  const partner = open(ctx, { "x-api-key": ctx.partnerKey });
  await partner.connected();
  const byId = subscribe(partner.client, { query: "", documentId: entriesId, variables: { org: "o1" } } as never);
  // The manifest's document as it is listed (its sha256 is the id).
  const byDocument = subscribe(partner.client, { query: entriesOperation?.body ?? "", variables: { org: "o1" } });
  const byApq = subscribe(partner.client, {
    query: "",
    variables: { org: "o1" },
    extensions: { persistedQuery: { version: 1, sha256Hash: entriesId } },
  });
  await sleep(200);
  await entryChanged(ctx);
  await waitFor(
    () => byId.results.length === 1 && byDocument.results.length === 1 && byApq.results.length === 1,
    5_000,
    `three pushes (errors: ${JSON.stringify([byId, byDocument, byApq].map((r) => r.error ?? null))})`,
  );
  for (const received of [byId, byDocument, byApq]) {
    assert.equal(received.json()[0]?.data, { ledgerEntryChanged: { id: "e1", eventName: "Entry 1" } });
  }
});

test("a partner's freeform or unknown subscription is refused with a code, and the connection stays usable", async (ctx) => {
  const partner = open(ctx, { apiKey: ctx.partnerKey });
  await partner.connected();
  const freeform = subscribe(partner.client, {
    query: 'subscription { ledgerEntryChanged(orgId: "o1") { id } }',
  });
  const unknown = subscribe(partner.client, { query: "", documentId: "0".repeat(64) } as never);
  await waitFor(() => freeform.error !== undefined && unknown.error !== undefined, 5_000, "both refusals");
  assert.is(codeOf(freeform), "PERSISTED_QUERY_REQUIRED");
  assert.is(codeOf(unknown), "PERSISTED_QUERY_NOT_FOUND");
  const listed = subscribe(partner.client, { query: "", documentId: entriesId, variables: { org: "o1" } } as never);
  await sleep(200);
  await entryChanged(ctx);
  await waitFor(() => listed.results.length === 1, 5_000, "the listed subscription's push");
  assert.is(partner.closes.length, 0);
});

test("an unknown or revoked API key is refused at connection_init with 4403", async (ctx) => {
  const unknown = open(ctx, { "x-api-key": "cbk_not-a-key" });
  await waitFor(() => unknown.closes.length === 1, 5_000, "the unknown key's close");
  assert.is(unknown.closes[0]?.code, 4403);

  const { partner, apiKey } = await ctx.keys.create("short-lived", []);
  await ctx.keys.revoke(partner.id);
  const revoked = open(ctx, { "x-api-key": apiKey });
  await waitFor(() => revoked.closes.length === 1, 5_000, "the revoked key's close");
  assert.is(revoked.closes[0]?.code, 4403);
});

test("first-party clients may name a manifest subscription by id and still send documents", async (ctx) => {
  const anonymous = open(ctx, {});
  await anonymous.connected();
  const byId = subscribe(anonymous.client, { query: "", documentId: entriesId, variables: { org: "o1" } } as never);
  const freeform = subscribe(anonymous.client, { query: 'subscription { ledgerEntryChanged(orgId: "o1") { id } }' });
  const unknown = subscribe(anonymous.client, { query: "", documentId: "f".repeat(64) } as never);
  await waitFor(() => unknown.error !== undefined, 5_000, "the unknown id's refusal");
  assert.is(codeOf(unknown), "PERSISTED_QUERY_NOT_FOUND");
  await sleep(200);
  await entryChanged(ctx);
  await waitFor(() => byId.results.length === 1 && freeform.results.length === 1, 5_000, "both pushes");
  assert.equal(freeform.json()[0]?.data, { ledgerEntryChanged: { id: "e1" } });
});

test.run();
