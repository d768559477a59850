// GATEWAY_BROWSERS_PERSISTED_ONLY: web pages may run only the manifest's operations, over HTTP and
// over WebSocket, while tools without an Origin keep sending documents.
import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import WebSocket from "ws";
import { buildManifest } from "../src/persisted-manifest.js";
import { realtimeAttacher } from "../src/realtime/index.js";
import { startTestGateway, type TestGateway, testConfig, testIssuer } from "./helpers.js";
import { compose } from "./realtime/fixture-gateway.js";
import { emptyStore, INTERNAL_SECRET, startFixtureSubgraphs } from "./realtime/fixture-subgraphs.js";
import {
  connect,
  deleteStreams,
  type Received,
  subscribe,
  type TestClient,
  uniquePrefix,
  waitFor,
} from "./realtime/helpers.js";

const entryQuery = "query WebEntry($id: ID!) { ledgerEntry(id: $id) { id eventName } }";
const entries = "subscription WebEntries($org: ID!) { ledgerEntryChanged(orgId: $org) { id eventName } }";
const manifest = buildManifest([entryQuery, entries]);
const idOf = (name: string) => manifest.operations.find((o) => o.name === name)?.id ?? "";
const ORIGIN = "http://localhost:4000";

/** A `ws` socket that sends an Origin header, as every browser does on the upgrade. */
class BrowserSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols, { origin: ORIGIN });
  }
}

interface Context {
  subgraphs: Awaited<ReturnType<typeof startFixtureSubgraphs>>;
  gateway: TestGateway;
  redis: Redis;
  prefix: string;
  clients: TestClient[];
}

const test = suite<Context>("browsers may run only persisted operations (GATEWAY_BROWSERS_PERSISTED_ONLY)");

test.before(async (ctx) => {
  const store = emptyStore();
  store.entries.set("e1", { id: "e1", eventName: "Entry 1", amount: "100" });
  ctx.subgraphs = await startFixtureSubgraphs(store);
  ctx.prefix = uniquePrefix();
  ctx.redis = new Redis({ host: "127.0.0.1", port: 6379 });
  ctx.gateway = await startTestGateway(testConfig({ internalSecret: INTERNAL_SECRET, browsersPersistedOnly: true }), {
    supergraphSdl: compose(ctx.subgraphs.subgraphs),
    jwks: (await testIssuer()).jwks,
    manifest,
    attachRealtime: realtimeAttacher({ options: { streamPrefix: ctx.prefix, keepAliveMs: 0, maxPushesPerSecond: 0 } }),
  });
  ctx.clients = [];
});
test.after(async (ctx) => {
  for (const { client } of ctx.clients) await client.dispose();
  await ctx.gateway.dispose();
  await ctx.subgraphs.stop();
  await deleteStreams(ctx.redis, ctx.prefix);
  ctx.redis.disconnect();
});

const code = (json: { errors?: { extensions?: Record<string, unknown> }[] }) => json.errors?.[0]?.extensions?.code;

test("a page's freeform document and unknown id are refused; the manifest id runs", async (ctx) => {
  const browser = { origin: ORIGIN, "sec-fetch-site": "same-origin" };
  const freeform = await ctx.gateway.post({ query: entryQuery, variables: { id: "e1" } }, browser);
  assert.is(code(freeform.json), "PERSISTED_QUERY_REQUIRED");
  const unknown = await ctx.gateway.post(
    { variables: { id: "e1" }, extensions: { persistedQuery: { version: 1, sha256Hash: "a".repeat(64) } } },
    browser,
  );
  assert.is(code(unknown.json), "PERSISTED_QUERY_NOT_FOUND");
  const listed = await ctx.gateway.post(
    { variables: { id: "e1" }, extensions: { persistedQuery: { version: 1, sha256Hash: idOf("WebEntry") } } },
    browser,
  );
  assert.equal(JSON.parse(JSON.stringify(listed.json.data)), { ledgerEntry: { id: "e1", eventName: "Entry 1" } });
});

test("tools without an Origin still send documents", async (ctx) => {
  const tool = await ctx.gateway.post({ query: '{ ledgerEntry(id: "e1") { id } }' });
  assert.equal(JSON.parse(JSON.stringify(tool.json.data)), { ledgerEntry: { id: "e1" } });
});

test("a page's freeform subscription is refused on the socket; the manifest id subscribes", async (ctx) => {
  const client = connect(`${ctx.gateway.url.replace("http", "ws")}/graphql`, { webSocketImpl: BrowserSocket });
  ctx.clients.push(client);
  await client.connected();
  const freeform: Received = subscribe(client.client, { query: entries, variables: { org: "o1" } });
  const listed: Received = subscribe(client.client, {
    query: "",
    variables: { org: "o1" },
    extensions: { persistedQuery: { version: 1, sha256Hash: idOf("WebEntries") } },
  });
  await waitFor(() => freeform.error !== undefined, 5_000, "the freeform refusal");
  const errors = freeform.error as { extensions?: { code?: string } }[];
  assert.is(errors[0]?.extensions?.code, "PERSISTED_QUERY_REQUIRED");
  assert.is(listed.error, undefined);
  assert.is(client.closes.length, 0);
});

test.run();
