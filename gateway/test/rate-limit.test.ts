import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type FixtureSubgraphs, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { startTestGateway, type TestGateway, testConfig, testIssuer } from "./helpers.js";

const test = suite<{ subgraphs: FixtureSubgraphs; issuer: Awaited<ReturnType<typeof testIssuer>> }>("rate limits");

test.before(async (ctx) => {
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.issuer = await testIssuer();
});
test.after(async (ctx) => {
  await ctx.subgraphs.dispose();
});

const query = { query: "{ whoami { rid } }" };

async function withGateway(
  ctx: { subgraphs: FixtureSubgraphs; issuer: Awaited<ReturnType<typeof testIssuer>> },
  rateLimit: { perIp: number; perUser: number; perPartner: number },
  body: (gw: TestGateway) => Promise<void>,
  proxy: { trustProxy?: boolean; trustedProxyHops?: number } = {},
) {
  const gw = await startTestGateway(testConfig({ rateLimit: { windowSeconds: 30, ...rateLimit }, ...proxy }), {
    supergraphSdl: ctx.subgraphs.supergraph(),
    jwks: ctx.issuer.jwks,
  });
  try {
    await body(gw);
  } finally {
    await gw.dispose();
  }
}

test("answers RATE_LIMITED with 429, Retry-After and retryAfterSeconds once an IP spends its window", async (ctx) => {
  await withGateway(ctx, { perIp: 3, perUser: 0, perPartner: 0 }, async (gw) => {
    for (let i = 0; i < 3; i++) assert.is((await gw.post(query)).status, 200);
    const { status, headers, json } = await gw.post(query);
    assert.is(status, 429);
    const retryAfter = Number(headers.get("retry-after"));
    assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After ${retryAfter}`);
    assert.is(json.errors?.[0]?.extensions?.code, "RATE_LIMITED");
    assert.is(json.errors?.[0]?.extensions?.retryAfterSeconds, retryAfter);
    const keys = await gw.redis.keys(`${gw.config.redisPrefix}rl:ip*`);
    assert.is(keys.length, 1, "the counter lives in Redis, shared by replicas");
  });
});

test("behind trusted proxies, counts the address the last trusted hop saw, not the client's own claim", async (ctx) => {
  await withGateway(
    ctx,
    { perIp: 3, perUser: 0, perPartner: 0 },
    async (gw) => {
      // Two proxies: the outer one appends the client's real address, the inner one the outer's.
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const forged = { "x-forwarded-for": `10.9.${i}.1, 203.0.113.7, 10.0.0.2` };
        statuses.push((await gw.post(query, forged)).status);
      }
      assert.equal(statuses, [200, 200, 200, 429, 429], "rotating the client-written entries does not reset the count");
      const other = await gw.post(query, { "x-forwarded-for": "203.0.113.8, 10.0.0.2" });
      assert.is(other.status, 200, "another client behind the same proxies has its own count");
      const keys = await gw.redis.keys(`${gw.config.redisPrefix}rl:ip*`);
      assert.is(keys.length, 2);
    },
    { trustProxy: true, trustedProxyHops: 2 },
  );
});

test("counts the CSV export and evidence transfers against the IP's limit", async (ctx) => {
  await withGateway(ctx, { perIp: 2, perUser: 0, perPartner: 0 }, async (gw) => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${gw.url}/export/00000000-0000-4000-8000-000000000000.csv`, {
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    assert.is(statuses[2], 429, `statuses ${statuses.join(", ")}`);
    assert.ok(statuses.slice(0, 2).every((s) => s !== 429));
  });
});

test("limits an IP before verifying its credentials, so a flood of bad tokens is limited too", async (ctx) => {
  await withGateway(ctx, { perIp: 2, perUser: 0, perPartner: 0 }, async (gw) => {
    const bad = { authorization: "Bearer not-a-token" };
    assert.is((await gw.post(query, bad)).status, 401);
    assert.is((await gw.post(query, bad)).status, 401);
    assert.is((await gw.post(query, bad)).status, 429);
  });
});

test("limits each signed-in user separately from the others", async (ctx) => {
  await withGateway(ctx, { perIp: 0, perUser: 2, perPartner: 0 }, async (gw) => {
    const alice = { authorization: `Bearer ${await ctx.issuer.sign({ sub: "alice" })}` };
    const bob = { authorization: `Bearer ${await ctx.issuer.sign({ sub: "bob" })}` };
    assert.is((await gw.post(query, alice)).status, 200);
    assert.is((await gw.post(query, alice)).status, 200);
    assert.is((await gw.post(query, alice)).status, 429);
    assert.is((await gw.post(query, bob)).status, 200);
    assert.is((await gw.post(query)).status, 200, "anonymous requests are limited per IP only");
  });
});

test.run();
