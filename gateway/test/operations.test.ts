import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GraphQLSchema, parse } from "graphql";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type FixtureSubgraphs, ledgerSdl, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { plain, startTestGateway, type TestGateway, testConfig } from "./helpers.js";

const test = suite<{ subgraphs: FixtureSubgraphs; gw: TestGateway; dir: string; path: string }>(
  "health, readiness, metrics and supergraph reload",
);

test.before(async (ctx) => {
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.dir = await mkdtemp(join(tmpdir(), "clearbook-gateway-"));
  ctx.path = join(ctx.dir, "supergraph.graphql");
  await writeFile(ctx.path, ctx.subgraphs.supergraph());
  ctx.gw = await startTestGateway(testConfig({ supergraphPath: ctx.path }), {});
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await ctx.subgraphs.dispose();
  await rm(ctx.dir, { recursive: true, force: true });
});

const get = (gw: TestGateway, path: string) => fetch(`${gw.url}${path}`, { signal: AbortSignal.timeout(5000) });

test("/health answers while the process runs", async ({ gw }) => {
  const response = await get(gw, "/health");
  assert.is(response.status, 200);
  assert.equal(await response.json(), { status: "ok" });
});

test("/ready checks the supergraph, Redis and every subgraph", async ({ gw }) => {
  await gw.post({ query: '{ ledgerEntry(id: "e1") { id ballot { id } } }' });
  const response = await get(gw, "/ready");
  const report = (await response.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
  assert.is(response.status, 200, JSON.stringify(report));
  assert.equal(Object.keys(report.checks).sort(), ["redis", "subgraph:ledger", "subgraph:voting", "supergraph"]);
});

test("/metrics counts operations by name and errors by code", async ({ gw }) => {
  await gw.post({ query: "query Who { whoami { rid } }" });
  await gw.post({ query: "query Broken { nope }" });
  const text = await (await get(gw, "/metrics")).text();
  assert.match(text, /gateway_operations_total\{operation="Who",type="query",service="gateway"\} 1/);
  assert.match(text, /gateway_operation_duration_seconds_bucket\{[^}]*operation="Who"/);
  assert.match(text, /gateway_errors_total\{code="GRAPHQL_VALIDATION_FAILED",service="gateway"\} 1/);
  assert.match(text, /process_resident_memory_bytes/);
});

test("execute() runs an operation as a given viewer, as the realtime layer does", async ({ gw }) => {
  const result = await gw.gateway.execute({
    document: parse("{ whoami { sub roles rid } }"),
    variables: {},
    viewer: { sub: "u-9", roles: ["ADMIN"], partner: null, rid: "rt-1" },
  });
  assert.equal(plain(result), { data: { whoami: { sub: "u-9", roles: ["ADMIN"], rid: "rt-1" } } });
});

test("swaps in a changed supergraph file and tells onSchemaChange listeners", async ({ gw, subgraphs, path }) => {
  const changed = new Promise<GraphQLSchema>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no schema change within 5 s")), 5000);
    const off = gw.gateway.onSchemaChange((schema) => {
      clearTimeout(timer);
      off();
      resolve(schema);
    });
  });
  const extended = ledgerSdl.replace("whoami: Whoami!", "whoami: Whoami!\n    motto: String");
  await writeFile(path, subgraphs.supergraph(extended));
  const schema = await changed;
  assert.ok(schema.getQueryType()?.getFields().motto);
  assert.is(gw.gateway.getApiSchema(), schema);
  const { json } = await gw.post({ query: "{ motto }" });
  assert.equal(plain(json), { data: { motto: null } }, "planned against the new schema (the fixture has no resolver)");
});

test("keeps serving the previous supergraph when the file turns invalid", async ({ gw, path }) => {
  const before = gw.gateway.getApiSchema();
  await writeFile(path, "this is not a supergraph");
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.is(gw.gateway.getApiSchema(), before);
  assert.is((await gw.post({ query: "{ whoami { rid } }" })).status, 200);
});

test("in development, can compose from the running subgraphs instead of the file", async ({ subgraphs }) => {
  const dev = await startTestGateway(
    testConfig({
      development: true,
      introspect: true,
      subgraphUrls: { ledger: subgraphs.urls.ledger, voting: subgraphs.urls.voting },
    }),
    {},
  );
  try {
    const { json } = await dev.post({ query: '{ ledgerEntry(id: "e2") { id ballot { id } } }' });
    assert.equal(plain(json), { data: { ledgerEntry: { id: "e2", ballot: { id: "b-e2" } } } });
  } finally {
    await dev.dispose();
  }
});

test("/ready turns 503 when a subgraph stops answering", async ({ gw, subgraphs }) => {
  await subgraphs.dispose();
  const response = await get(gw, "/ready");
  assert.is(response.status, 503);
  const report = (await response.json()) as { checks: Record<string, { ok: boolean }> };
  assert.is(report.checks["subgraph:ledger"]?.ok, false);
  assert.is(report.checks.redis?.ok, true);
  assert.not.match(JSON.stringify(report), /127\.0\.0\.1|:\d{4,5}\b|http/, "no internal address in a public probe");
});

test.run();
