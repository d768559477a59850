import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type FixtureSubgraphs, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { startTestGateway, type TestGateway, testConfig } from "./helpers.js";

const test = suite<{ subgraphs: FixtureSubgraphs; gw: TestGateway; dev: TestGateway }>(
  "armor limits and HTTP hardening",
);

test.before(async (ctx) => {
  ctx.subgraphs = await startFixtureSubgraphs();
  const limits = { maxDepth: 4, maxCost: 60, maxAliases: 2, maxDirectives: 3, maxTokens: 120, maxDocumentChars: 1000 };
  ctx.gw = await startTestGateway(testConfig({ limits, maxBodyBytes: 4096 }), {
    supergraphSdl: ctx.subgraphs.supergraph(),
  });
  ctx.dev = await startTestGateway(testConfig({ development: true }), { supergraphSdl: ctx.subgraphs.supergraph() });
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await ctx.dev.dispose();
  await ctx.subgraphs.dispose();
});

const rejected = async (gw: TestGateway, query: string, pattern: RegExp) => {
  const { status, json } = await gw.post({ query });
  assert.is(status, 400, `${query} → ${JSON.stringify(json)}`);
  assert.ok(json.data === undefined || json.data === null);
  assert.match(json.errors?.[0]?.message ?? "", pattern);
};

test("accepts a query within every limit", async ({ gw }) => {
  const { status, json } = await gw.post({ query: '{ ledgerEntry(id: "e1") { id ballot { tally { approve } } } }' });
  assert.is(status, 200);
  assert.is((json.data?.ledgerEntry as { id: string } | undefined)?.id, "e1");
});

test("refuses a query deeper than maxDepth", async ({ gw }) => {
  await rejected(gw, '{ organization(id: "o1") { entries { ballot { tally { approve } } } } }', /depth/i);
});

test("refuses a query costlier than maxCost", async ({ gw }) => {
  const fields = Array.from({ length: 12 }, (_, i) => `e${i}: entries { id eventName amount }`).join(" ");
  const { status, json } = await gw.post({ query: `{ organization(id: "o1") { ${fields} } }` });
  assert.is(status, 400);
  assert.ok(
    json.errors?.some((e) => /cost/i.test(e.message)),
    JSON.stringify(json.errors),
  );
});

test("refuses more aliases than maxAliases", async ({ gw }) => {
  await rejected(gw, "{ a: whoami { rid } b: whoami { rid } c: whoami { rid } }", /alias/i);
});

test("refuses more directives than maxDirectives", async ({ gw }) => {
  await rejected(
    gw,
    "{ whoami @include(if: true) @include(if: true) @include(if: true) @include(if: true) { rid } }",
    /directive/i,
  );
});

test("refuses a document with more tokens than maxTokens, before validating it", async ({ gw }) => {
  const fields = Array.from({ length: 130 }, () => "rid").join(" ");
  const { status, json } = await gw.post({ query: `{ whoami { ${fields} } }` });
  assert.ok(status === 400, `status ${status}`);
  assert.match(json.errors?.[0]?.message ?? "", /token/i);
});

test("refuses a document padded with comments by its length (comments are not tokens)", async ({ gw }) => {
  const padded = `{ whoami { rid } }\n#${"x".repeat(2000)}`;
  const { status, json } = await gw.post({ query: padded });
  assert.is(status, 400);
  assert.is(json.errors?.[0]?.extensions?.code, "GRAPHQL_VALIDATION_FAILED");
  assert.match(json.errors?.[0]?.message ?? "", /longer than 1000 characters/);
  const viaGet = await fetch(`${gw.url}/graphql?query=${encodeURIComponent(padded)}`, {
    headers: { "apollo-require-preflight": "1" },
    signal: AbortSignal.timeout(5000),
  });
  assert.is(viaGet.status, 400);
});

test("hides field suggestions and introspection in production, shows them in development", async ({ gw, dev }) => {
  const typo = await gw.post({ query: "{ whoam { rid } }" });
  assert.not.match(typo.json.errors?.[0]?.message ?? "", /Did you mean/);
  const devTypo = await dev.post({ query: "{ whoam { rid } }" });
  assert.match(devTypo.json.errors?.[0]?.message ?? "", /Did you mean/);
  const introspection = await gw.post({ query: "{ __schema { queryType { name } } }" });
  assert.is(introspection.status, 400);
  const devIntrospection = await dev.post({ query: "{ __schema { queryType { name } } }" });
  assert.is(devIntrospection.status, 200);
});

test("shows the Apollo Sandbox landing page in development only", async ({ gw, dev }) => {
  const page = (t: TestGateway) =>
    fetch(`${t.url}/graphql`, { headers: { accept: "text/html" }, signal: AbortSignal.timeout(5000) });
  const devPage = await page(dev);
  assert.is(devPage.status, 200);
  assert.match(await devPage.text(), /sandbox/i);
  const prodPage = await page(gw);
  assert.not.match(await prodPage.text(), /sandbox/i);
});

test("never sends a stack trace in production", async ({ gw }) => {
  const { json } = await gw.post({ query: "{ nope }" });
  const text = JSON.stringify(json);
  assert.not.match(text, /stacktrace|at .*\.js:\d+/);
});

test("refuses batched requests", async ({ gw }) => {
  const { status } = await gw.post([{ query: "{ whoami { rid } }" }, { query: "{ whoami { rid } }" }]);
  assert.is(status, 400);
});

test("refuses a body larger than the cap with 413", async ({ gw }) => {
  const { status, json } = await gw.post({ query: `{ whoami { rid } } # ${"x".repeat(5000)}` });
  assert.is(status, 413);
  assert.is(json.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
});

test("CSRF prevention refuses simple requests a browser could send cross-site", async ({ gw }) => {
  const get = await fetch(`${gw.url}/graphql?query=${encodeURIComponent("{ whoami { rid } }")}`, {
    signal: AbortSignal.timeout(5000),
  });
  assert.is(get.status, 400);
  assert.match(await get.text(), /CSRF|preflight/i);
  const form = await fetch(`${gw.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({ query: "{ whoami { rid } }" }),
    signal: AbortSignal.timeout(5000),
  });
  assert.is(form.status, 400);
  const preflighted = await fetch(`${gw.url}/graphql?query=${encodeURIComponent("{ whoami { rid } }")}`, {
    headers: { "apollo-require-preflight": "true" },
    signal: AbortSignal.timeout(5000),
  });
  assert.is(preflighted.status, 200);
});

test.run();
