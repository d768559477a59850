import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type FixtureSubgraphs, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { plain, startTestGateway, type TestGateway, testConfig, testIssuer } from "./helpers.js";

const test = suite<{ subgraphs: FixtureSubgraphs; gw: TestGateway; issuer: Awaited<ReturnType<typeof testIssuer>> }>(
  "deduplication of identical in-flight work",
);

test.before(async (ctx) => {
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.issuer = await testIssuer();
  ctx.gw = await startTestGateway(testConfig(), { supergraphSdl: ctx.subgraphs.supergraph(), jwks: ctx.issuer.jwks });
  ctx.subgraphs.setDelay(100);
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await ctx.subgraphs.dispose();
});

const entryQuery = { query: '{ ledgerEntry(id: "e1") { id eventName ballot { id status } } }' };

test("runs identical concurrent queries of one scope once, and answers all of them", async ({ gw, subgraphs }) => {
  const ledgerBefore = subgraphs.logs.ledger.requests;
  const votingBefore = subgraphs.logs.voting.requests;
  const results = await Promise.all(Array.from({ length: 10 }, () => gw.post(entryQuery)));
  for (const { status, json } of results) {
    assert.is(status, 200);
    assert.equal(plain(json.data), {
      ledgerEntry: { id: "e1", eventName: "Welcome party", ballot: { id: "b-e1", status: "OPEN" } },
    });
  }
  assert.is(subgraphs.logs.ledger.requests - ledgerBefore, 1);
  assert.is(subgraphs.logs.voting.requests - votingBefore, 1);
});

test("never shares results across authorization scopes", async ({ gw, subgraphs, issuer }) => {
  const tokens = await Promise.all(["alice", "bob", "carol"].map((sub) => issuer.sign({ sub })));
  const before = subgraphs.logs.ledger.requests;
  const results = await Promise.all(
    tokens.flatMap((token) =>
      [1, 2].map(() => gw.post({ query: "{ whoami { sub } }" }, { authorization: `Bearer ${token}` })),
    ),
  );
  const subs = results.map((r) => (r.json.data?.whoami as { sub: string } | undefined)?.sub);
  assert.equal(subs, ["alice", "alice", "bob", "bob", "carol", "carol"]);
  assert.is(subgraphs.logs.ledger.requests - before, 3, "one execution per scope");
});

test("never merges mutations", async ({ gw, subgraphs }) => {
  const mutation = { query: 'mutation { requestMembership(orgId: "o1") { id status } }' };
  const before = subgraphs.logs.ledger.requests;
  const results = await Promise.all(Array.from({ length: 4 }, () => gw.post(mutation)));
  assert.ok(results.every((r) => r.status === 200));
  assert.is(subgraphs.logs.ledger.requests - before, 4);
});

test("deduplicates identical subgraph fetches of different inbound queries", async ({ gw, subgraphs }) => {
  const before = subgraphs.logs.ledger.requests;
  // Different documents (so no inbound sharing) whose ledger fetch is the same.
  const results = await Promise.all([
    gw.post({ query: "query A { whoami { rid } }" }),
    gw.post({ query: "query B { whoami { rid } }" }),
  ]);
  assert.ok(results.every((r) => r.status === 200));
  assert.is(subgraphs.logs.ledger.requests - before, 2, "operation names differ, so the fetches differ");
  const same = await Promise.all([
    gw.post({ query: '{ e: ledgerEntry(id: "e2") { id } }' }),
    gw.post({ query: '{ e: ledgerEntry(id: "e2") { id }  }' }),
  ]);
  assert.ok(same.every((r) => (r.json.data?.e as { id: string } | undefined)?.id === "e2"));
  assert.is(subgraphs.logs.ledger.requests - before, 3, "same subgraph query, one fetch");
});

test("reports shared work in /metrics", async ({ gw }) => {
  const text = await (await fetch(`${gw.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  assert.match(text, /gateway_deduplicated_total\{layer="inbound",service="gateway"\} \d+/);
  assert.match(text, /gateway_deduplicated_total\{layer="subgraph",service="gateway"\} \d+/);
});

test.run();
