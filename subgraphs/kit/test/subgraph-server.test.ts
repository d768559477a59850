import { Redis } from "ioredis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { buildFederatedSchema, printSubgraphSdl } from "../src/federated-schema.js";
import { createLogger } from "../src/logger.js";
import { createMetrics } from "../src/metrics.js";
import type { OrmHandle } from "../src/orm.js";
import { databaseCheck, redisCheck } from "../src/readiness.js";
import { createSubgraphServer, type SubgraphServer } from "../src/subgraph-server.js";
import { signViewer, VIEWER_HEADER } from "../src/viewer.js";
import { requireUser } from "../src/viewer-context.js";
import { BallotResolver, ballots, type TestContext } from "./fixtures/ballot.resolver.js";
import { testOrm, testRedis } from "./helpers.js";

const secret = "kit-test-internal-secret-0123456789abcdef";
const logger = createLogger({ name: "kit-test", level: "silent" });

interface Context {
  server: SubgraphServer;
  url: string;
  orm: OrmHandle;
  redis: Awaited<ReturnType<typeof testRedis>>;
  schema: Awaited<ReturnType<typeof buildFederatedSchema>>;
}
const Server = suite<Context>("subgraph server", {} as Context);

Server.before(async (context) => {
  context.orm = await testOrm("server");
  context.redis = await testRedis("server");
  context.schema = await buildFederatedSchema(
    { resolvers: [BallotResolver] },
    { Ballot: { __resolveReference: (reference) => ballots.get(String(reference.id)) } },
  );
  context.server = createSubgraphServer<TestContext>({
    schema: context.schema,
    port: 0,
    host: "127.0.0.1",
    internalSecret: secret,
    logger,
    metrics: createMetrics("kit-test", { defaultMetrics: false }),
    readiness: [databaseCheck(context.orm), redisCheck(context.redis.client)],
    context: (viewer, _req, info) => ({ viewer, requestId: info.requestId }),
  });
  context.url = await context.server.listen();
});
Server.after(async ({ server, orm, redis }) => {
  await server.dispose();
  await orm.dispose();
  await redis.dispose();
});

function viewerHeader(sub: string | null, roles: Array<"ADMIN"> = [], key = secret): string {
  return signViewer({ sub, roles, partner: null, rid: "rid-1" }, key);
}

async function post(url: string, query: string, header?: string, operationName?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(header ? { [VIEWER_HEADER]: header } : {}) },
    body: JSON.stringify({ query, operationName }),
  });
  return { status: response.status, body: JSON.parse(await response.text()) };
}

Server("serves type-graphql resolvers with a signed viewer header (decorators work under tsx)", async ({ url }) => {
  const { status, body } = await post(
    url,
    'query Whoami { whoami ballot(id: "b1") { id title approve } }',
    viewerHeader("u1"),
    "Whoami",
  );
  assert.is(status, 200);
  assert.equal(body, { data: { whoami: "u1", ballot: { id: "b1", title: "Buy chairs", approve: 3 } } });
});

Server("resolves entity references for the gateway (@key + __resolveReference)", async ({ url, schema }) => {
  const { body } = await post(
    url,
    '{ _entities(representations: [{ __typename: "Ballot", id: "b1" }]) { ... on Ballot { title } } }',
    viewerHeader(null),
  );
  assert.equal(body.data, { _entities: [{ title: "Buy chairs" }] });
  assert.match(printSubgraphSdl(schema), /type Ballot\s+@key\(fields: "id"\)/);
});

const refused: Array<[string, () => string | undefined]> = [
  ["a missing", () => undefined],
  ["a forged", () => viewerHeader("u1", ["ADMIN"], "not-the-secret-not-the-secret-00000")],
  [
    "an expired",
    () => signViewer({ sub: "u1", roles: [], partner: null, rid: "" }, secret, { nowMs: Date.now() - 3_600_000 }),
  ],
];
for (const [name, header] of refused) {
  Server(`refuses ${name} viewer header with 401 UNAUTHENTICATED`, async ({ url }) => {
    const { status, body } = await post(url, "{ whoami }", header());
    assert.is(status, 401);
    assert.is(body.errors[0].extensions.code, "UNAUTHENTICATED");
    assert.is(body.data, undefined);
  });
}

Server("maps requireAdmin to FORBIDDEN for a member", async ({ url }) => {
  const { body } = await post(url, "mutation { closeEverything }", viewerHeader("u1"));
  assert.is(body.errors[0].extensions.code, "FORBIDDEN");
  const admin = await post(url, "mutation { closeEverything }", viewerHeader("u2", ["ADMIN"]));
  assert.equal(admin.body, { data: { closeEverything: true } });
});

Server("hides uncoded errors and SQL text outside development", async ({ url }) => {
  const { body } = await post(url, "{ broken }", viewerHeader("u1"));
  assert.is(body.errors[0].extensions.code, "INTERNAL_SERVER_ERROR");
  assert.is(body.errors[0].message, "Something went wrong on our side.");
  assert.not.ok(JSON.stringify(body).includes("member_secret"));
  assert.is(body.errors[0].extensions.stacktrace, undefined);
});

Server("carries the gateway's request id into the context", async ({ url }) => {
  const { body } = await post(url, "{ requestId }", viewerHeader("u1"));
  assert.is(body.data.requestId, "rid-1");
});

Server("answers /health and /ready without a viewer header", async ({ url }) => {
  const health = await fetch(`${url}/health`);
  assert.is(health.status, 200);
  const ready = await fetch(`${url}/ready`);
  assert.is(ready.status, 200);
  assert.equal(await ready.json(), { ready: true, checks: { mysql: "ok", redis: "ok" } });
});

Server("reports not ready when a dependency is down", async () => {
  const deadRedis = new Redis(15002, "127.0.0.1", {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  deadRedis.on("error", () => {});
  const server = createSubgraphServer<TestContext>({
    schema: await buildFederatedSchema({ resolvers: [BallotResolver] }),
    port: 0,
    host: "127.0.0.1",
    internalSecret: secret,
    logger,
    readiness: [redisCheck(deadRedis)],
    readinessTimeoutMs: 500,
    context: (viewer, _req, info) => ({ viewer, requestId: info.requestId }),
  });
  const url = await server.listen();
  try {
    const ready = await fetch(`${url}/ready`);
    assert.is(ready.status, 503);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, string> };
    assert.is(body.ready, false);
    assert.is.not(body.checks.redis, "ok");
    assert.match(String(body.checks.redis), /^(?:[A-Z][A-Z0-9_]+|timeout|failed)$/, "a failure class, no message");
    assert.not.match(JSON.stringify(body), /15002|127\.0\.0\.1/, "no host or port in a public probe");
    assert.is((await fetch(`${url}/health`)).status, 200, "the process itself is up");
  } finally {
    await server.dispose();
    deadRedis.disconnect();
  }
});

Server(
  "with an audience, refuses a viewer header replayed to another subgraph, with another body, or unbound",
  async () => {
    const server = createSubgraphServer<TestContext>({
      schema: await buildFederatedSchema({ resolvers: [BallotResolver] }),
      port: 0,
      host: "127.0.0.1",
      internalSecret: secret,
      audience: "ledger",
      logger,
      context: (viewer, _req, info) => ({ viewer, requestId: info.requestId }),
    });
    const url = await server.listen();
    const send = async (header: string, body: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", [VIEWER_HEADER]: header },
        body,
      });
      return { status: response.status, body: JSON.parse(await response.text()) };
    };
    const viewer = { sub: "u1", roles: [], partner: null, rid: "rid-1" };
    const seen = JSON.stringify({ query: "{ whoami }" });
    const other = JSON.stringify({ query: '{ ballot(id: "b1") { title } }' });
    try {
      const bound = signViewer(viewer, secret, { binding: { audience: "ledger", body: seen } });
      assert.equal((await send(bound, seen)).body, { data: { whoami: "u1" } });
      const refusals = [
        await send(bound, other),
        await send(signViewer(viewer, secret, { binding: { audience: "voting", body: seen } }), seen),
        await send(signViewer(viewer, secret), seen),
      ];
      for (const refused of refusals) {
        assert.is(refused.status, 401);
        assert.is(refused.body.errors[0].extensions.code, "UNAUTHENTICATED");
        assert.is(refused.body.data, undefined);
      }
    } finally {
      await server.dispose();
    }
  },
);

Server("signs viewer headers that live seconds, not a minute", () => {
  const header = signViewer({ sub: "u1", roles: [], partner: null, rid: "" }, secret, { nowMs: 1_000_000 });
  const claims = JSON.parse(Buffer.from(header.split(".")[0] ?? "", "base64url").toString("utf8"));
  assert.ok(claims.exp - claims.iat <= 15, `lifetime ${claims.exp - claims.iat}s`);
});

Server("a context that refuses the viewer answers with its coded error and status", async () => {
  const server = createSubgraphServer<TestContext>({
    schema: await buildFederatedSchema({ resolvers: [BallotResolver] }),
    port: 0,
    host: "127.0.0.1",
    internalSecret: secret,
    logger,
    context: (viewer, _req, info) => ({ viewer: requireUser(viewer), requestId: info.requestId }),
  });
  const url = await server.listen();
  try {
    const { status, body } = await post(url, "{ whoami }", viewerHeader(null));
    assert.is(status, 401);
    assert.is(body.errors[0].extensions.code, "UNAUTHENTICATED");
    assert.is(body.errors[0].message, "Sign in to do this.");
    assert.is(body.errors[0].extensions.http, undefined, "the status stays out of the body");
  } finally {
    await server.dispose();
  }
});

Server("shutdown finishes in-flight requests, then refuses new connections", async () => {
  const server = createSubgraphServer<TestContext>({
    schema: await buildFederatedSchema({ resolvers: [BallotResolver] }),
    port: 0,
    host: "127.0.0.1",
    internalSecret: secret,
    logger,
    context: (viewer, _req, info) => ({ viewer, requestId: info.requestId }),
  });
  const url = await server.listen();
  const inFlight = post(url, "{ slow(ms: 300) }", viewerHeader("u1"));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const disposed = server.dispose();
  const { status, body } = await inFlight;
  await disposed;
  assert.is(status, 200);
  assert.equal(body, { data: { slow: "done" } });
  await fetch(`${url}/health`).then(
    () => assert.unreachable("the server still accepts connections"),
    (error: unknown) => assert.instance(error, TypeError),
  );
});

Server("exports request counts, latency and errors by code on /metrics", async ({ url }) => {
  await post(url, "query Whoami { whoami }", viewerHeader("u1"), "Whoami");
  const text = await (await fetch(`${url}/metrics`)).text();
  const has = (metric: string, ...labels: string[]) =>
    text
      .split("\n")
      .some(
        (line) => line.startsWith(`${metric}{`) && labels.every((label) => line.includes(label)) && / \d+$/.test(line),
      );
  assert.ok(has("graphql_requests_total", 'operation="Whoami"', 'status="ok"', 'service="kit-test"'));
  assert.ok(has("graphql_request_duration_seconds_count", 'operation="Whoami"'));
  assert.ok(has("graphql_errors_total", 'operation="(refused)"', 'code="UNAUTHENTICATED"'));
  assert.ok(has("graphql_errors_total", 'code="FORBIDDEN"'));
});

Server.run();
