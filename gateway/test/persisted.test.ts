import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createPool } from "mysql2/promise";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createPartnerKeyStore, hashApiKey, type PartnerKeyStore } from "../src/partner-keys.js";
import { buildManifest, parseManifest } from "../src/persisted-manifest.js";
import { RedisKeyValueCache } from "../src/plugins/use-persisted.js";
import { type FixtureSubgraphs, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { manifest as committedManifest, plain, startTestGateway, type TestGateway, testConfig } from "./helpers.js";

const database = `clearbook_test_gateway_${randomUUID().slice(0, 8)}`;
const mysqlUrl = "mysql://root@127.0.0.1:3306";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const fixtureManifest = buildManifest([
  "query Whoami { whoami { sub partnerId } }",
  "query Entry($id: ID!) { ledgerEntry(id: $id) { id eventName } }",
]);
const entryOp = fixtureManifest.operations.find((o) => o.name === "Entry");

const test = suite<{
  subgraphs: FixtureSubgraphs;
  gw: TestGateway;
  store: PartnerKeyStore;
  partnerKey: string;
}>("persisted queries and the partner safelist");

test.before(async (ctx) => {
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.store = createPartnerKeyStore({ mysqlUrl, database });
  await ctx.store.migrate();
  ctx.partnerKey = (await ctx.store.create("campus-portal", ["ledger:read"])).apiKey;
  ctx.gw = await startTestGateway(testConfig(), {
    supergraphSdl: ctx.subgraphs.supergraph(),
    manifest: fixtureManifest,
    partnerKeys: ctx.store,
  });
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await ctx.store.dispose();
  await ctx.subgraphs.dispose();
  const admin = createPool({ uri: mysqlUrl, connectionLimit: 1 });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
});

test("the committed manifest is built from contract/operations and every id is its body's sha256", async () => {
  const dir = new URL("../contract/operations/", import.meta.url);
  const files = (await readdir(dir)).filter((f) => f.endsWith(".graphql")).sort();
  const sources = await Promise.all(files.map((f) => readFile(new URL(f, dir), "utf8")));
  assert.equal(
    committedManifest,
    buildManifest(sources),
    "stale manifest: run npm run persisted -w @clearbook/gateway",
  );
  assert.ok(committedManifest.operations.some((o) => o.name === "OrganizationLedger"));
  assert.throws(() =>
    parseManifest({ ...committedManifest, operations: [{ ...committedManifest.operations[0], body: "{ x }" }] }),
  );
});

test("APQ: an unknown hash asks for the document, which is then registered and found by hash", async ({ gw }) => {
  const query = `{ ledgerEntry(id: "e2") { id amount } } # ${randomUUID()}`;
  const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
  const miss = await gw.post({ extensions });
  assert.is(miss.json.errors?.[0]?.extensions?.code, "PERSISTED_QUERY_NOT_FOUND");
  const register = await gw.post({ query, extensions });
  assert.equal(plain(register.json.data), { ledgerEntry: { id: "e2", amount: "990" } });
  const hit = await gw.post({ extensions });
  assert.equal(plain(hit.json.data), { ledgerEntry: { id: "e2", amount: "990" } });
  assert.ok(await gw.redis.get(`${gw.config.redisPrefix}apq:apq:${sha256(query)}`), "stored in Redis");
});

test("APQ keeps a bounded number of documents, evicting the oldest", async ({ gw }) => {
  const prefix = `${gw.config.redisPrefix}bounded:`;
  const cache = new RedisKeyValueCache(gw.redis, prefix, 60, 3);
  for (let i = 0; i < 6; i++) await cache.set(`apq:doc-${i}`, `{ whoami { rid } } # ${i}`);
  const kept = (await gw.redis.keys(`${prefix}apq:*`)).sort();
  assert.equal(kept, [`${prefix}apq:doc-3`, `${prefix}apq:doc-4`, `${prefix}apq:doc-5`]);
  assert.is(await cache.get("apq:doc-0"), undefined);
  assert.is(await cache.get("apq:doc-5"), "{ whoami { rid } } # 5");
});

test("APQ refuses a document whose hash does not match", async ({ gw }) => {
  const { json } = await gw.post({
    query: "{ whoami { rid } }",
    extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } },
  });
  assert.ok(json.errors?.length);
  assert.is(json.data, undefined);
});

test("partner keys run manifest operations by id", async ({ gw, partnerKey }) => {
  const { json } = await gw.post(
    { variables: { id: "e1" }, extensions: { persistedQuery: { version: 1, sha256Hash: entryOp?.id } } },
    { "x-api-key": partnerKey },
  );
  assert.equal(plain(json.data), { ledgerEntry: { id: "e1", eventName: "Welcome party" } });
  const byDocumentId = await gw.post(
    { documentId: `sha256:${fixtureManifest.operations[1]?.id}` },
    { "x-api-key": partnerKey },
  );
  const whoami = byDocumentId.json.data?.whoami as { partnerId: string };
  assert.ok(whoami.partnerId, "the partner is forwarded to subgraphs");
});

test("partner keys reach only the subgraphs their scopes name", async ({ gw, store }) => {
  const unscoped = (await store.create("votes-only", ["voting:read"])).apiKey;
  const { json } = await gw.post(
    { variables: { id: "e1" }, extensions: { persistedQuery: { version: 1, sha256Hash: entryOp?.id } } },
    { "x-api-key": unscoped },
  );
  assert.is(json.errors?.[0]?.extensions?.code, "FORBIDDEN", JSON.stringify(json));
  assert.match(json.errors?.[0]?.message ?? "", /ledger:read/);
  assert.ok(!json.data?.ledgerEntry, "no ledger data");
});

test("partner keys may not send freeform documents: PERSISTED_QUERY_REQUIRED", async ({ gw, partnerKey }) => {
  const { status, json } = await gw.post({ query: "{ whoami { sub } }" }, { "x-api-key": partnerKey });
  assert.is(status, 400);
  assert.is(json.errors?.[0]?.extensions?.code, "PERSISTED_QUERY_REQUIRED");
  const empty = await gw.post({}, { "x-api-key": partnerKey });
  assert.is(empty.json.errors?.[0]?.extensions?.code, "PERSISTED_QUERY_REQUIRED");
});

test("partner keys get PERSISTED_QUERY_NOT_FOUND for an id outside the manifest, even if APQ knows it", async ({
  gw,
  partnerKey,
}) => {
  const query = `{ whoami { rid } } # ${randomUUID()}`;
  const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
  await gw.post({ query, extensions }); // registered by a first-party client
  const { json } = await gw.post({ extensions }, { "x-api-key": partnerKey });
  assert.is(json.errors?.[0]?.extensions?.code, "PERSISTED_QUERY_NOT_FOUND");
  assert.is(json.data, undefined);
});

test("partner keys are stored as sha256 hashes and stop working when revoked", async ({ store }) => {
  const { partner, apiKey } = await store.create("revoked-partner", ["a", "b"]);
  const pool = createPool({ uri: mysqlUrl, database, connectionLimit: 1 });
  const [rows] = await pool.query("SELECT key_hash FROM partner_key WHERE id = ?", [partner.id]);
  await pool.end();
  assert.equal(plain(rows), [{ key_hash: hashApiKey(apiKey) }]);
  assert.not.ok(JSON.stringify(rows).includes(apiKey));
  const fresh = createPartnerKeyStore({ mysqlUrl, database });
  assert.equal((await fresh.find(apiKey))?.scopes, ["a", "b"]);
  assert.ok(await fresh.revoke(partner.id));
  assert.is(await fresh.find(apiKey), null);
  await fresh.dispose();
});

test.run();
