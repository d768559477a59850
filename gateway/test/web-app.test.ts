// The gateway serves the built web app at `/` on the API's origin, and loads client manifests.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildManifest, mergeManifests } from "../src/persisted-manifest.js";
import { type FixtureSubgraphs, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { startTestGateway, type TestGateway, testConfig } from "./helpers.js";

const test = suite<{ dir: string; subgraphs: FixtureSubgraphs; gw: TestGateway }>(
  "the web app on the gateway's origin",
);

test.before(async (ctx) => {
  ctx.dir = await mkdtemp(join(tmpdir(), "gateway-web-"));
  await mkdir(join(ctx.dir, "assets"));
  await writeFile(join(ctx.dir, "index.html"), "<!doctype html><title>app</title><div id=root></div>");
  await writeFile(join(ctx.dir, "assets", "index-abc123.js"), "console.log(1)");
  await writeFile(join(ctx.dir, "manifest.webmanifest"), "{}");
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.gw = await startTestGateway(testConfig({ webDir: ctx.dir }), { supergraphSdl: ctx.subgraphs.supergraph() });
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await ctx.subgraphs.dispose();
  await rm(ctx.dir, { recursive: true, force: true });
});

test("serves index.html at / and at the app's own paths, with a content security policy", async (ctx) => {
  for (const path of ["/", "/ballot/b1", "/org/o1/deposit"]) {
    const res = await fetch(`${ctx.gw.url}${path}`);
    assert.is(res.status, 200, path);
    assert.match(await res.text(), "<div id=root>");
    assert.match(res.headers.get("content-security-policy") ?? "", "default-src 'self'");
    assert.is(res.headers.get("cache-control"), "no-cache");
  }
});

test("hashed assets are cached for a year and the PWA manifest has its type", async (ctx) => {
  const asset = await fetch(`${ctx.gw.url}/assets/index-abc123.js`);
  assert.is(asset.status, 200);
  assert.match(asset.headers.get("cache-control") ?? "", "immutable");
  const manifest = await fetch(`${ctx.gw.url}/manifest.webmanifest`);
  assert.is(manifest.headers.get("content-type"), "application/manifest+json");
});

test("the API, health and a missing asset keep their own answers", async (ctx) => {
  const reply = await ctx.gw.post({ query: "{ __typename }" });
  assert.is(reply.status, 200);
  assert.is((await fetch(`${ctx.gw.url}/health`)).status, 200);
  assert.is((await fetch(`${ctx.gw.url}/`, { method: "POST" })).status, 404);
});

test("a gateway without a built app answers 404 at /", async () => {
  const subgraphs = await startFixtureSubgraphs();
  const gw = await startTestGateway(testConfig({ webDir: "/nonexistent" }), { supergraphSdl: subgraphs.supergraph() });
  try {
    assert.is((await fetch(`${gw.url}/`)).status, 404);
  } finally {
    await gw.dispose();
    await subgraphs.dispose();
  }
});

test("client manifests merge with the gateway's; a name used by two operations is refused", () => {
  const gateway = buildManifest(["query A { a }", "query B { b }"]);
  const web = buildManifest(["query B { b }", "query WebC { c }"]);
  const merged = mergeManifests([gateway, web]);
  assert.equal(
    merged.operations.map((o) => o.name),
    ["A", "B", "WebC"],
  );
  assert.throws(() => mergeManifests([gateway, buildManifest(["query A { other }"])]), /used by two different/);
});

test.run();
