import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { composeServices } from "@apollo/composition";
import { createGateway, type Gateway, parseManifest } from "@clearbook/gateway";
import { createLogger } from "@clearbook/kit";
import { parse } from "graphql";
import { createRemoteJWKSet } from "jose";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Harness, SECRET, startHarness } from "./app-harness.js";
import { plain } from "./helpers.js";

interface Ctx {
  h: Harness;
  gateway: Gateway;
  url: string;
}

const test = suite<Ctx>("ledger behind the real gateway");

type Reply = { data: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };

async function post(ctx: Ctx, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Reply> {
  const res = await fetch(`${ctx.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  const json = plain((await res.json()) as { data?: Record<string, unknown> | null; errors?: Reply["errors"] });
  return { data: json.data ?? {}, ...(json.errors ? { errors: json.errors } : {}) };
}

test.before(async (ctx) => {
  ctx.h = await startHarness("gateway");
  const composed = composeServices([
    {
      name: "ledger",
      url: `${ctx.h.url}/graphql`,
      typeDefs: parse(readFileSync(new URL("../schema.graphql", import.meta.url), "utf8")),
    },
  ]);
  if (composed.errors || !composed.supergraphSdl)
    throw new Error(`composition failed: ${composed.errors?.map((e) => e.message).join("; ")}`);
  const manifest = parseManifest(
    JSON.parse(readFileSync(new URL("../../../gateway/persisted/manifest.json", import.meta.url), "utf8")),
  );
  ctx.gateway = await createGateway(
    {
      development: false,
      host: "127.0.0.1",
      port: 0,
      workers: 1,
      redisUrl: "redis://127.0.0.1:6379",
      redisPrefix: `${ctx.h.redis.prefix}gw:`,
      mysqlUrl: "mysql://root@127.0.0.1:3306",
      database: "clearbook_test_ledger_gateway_unused",
      internalSecret: SECRET,
      jwksUrl: `${ctx.h.url}/.well-known/jwks.json`,
      supergraphPath: "/nonexistent",
      introspect: false,
      subgraphUrls: {},
      apolloTelemetry: false,
      maxBodyBytes: 64 * 1024,
      limits: { maxDepth: 12, maxCost: 5000, maxAliases: 15, maxDirectives: 50, maxTokens: 2000 },
      rateLimit: { windowSeconds: 60, perIp: 10_000, perUser: 10_000, perPartner: 10_000 },
      trustProxy: false,
      dedupe: true,
      sessionRevocationPrefix: ctx.h.redis.prefix,
    },
    {
      logger: createLogger({ name: "gateway-test", level: "silent" }),
      manifest,
      supergraphSdl: composed.supergraphSdl,
      redis: ctx.h.redis.client,
      partnerKeys: null,
      // The gateway's production path: the ledger's published key set, fetched over HTTP.
      jwks: createRemoteJWKSet(new URL(`${ctx.h.url}/.well-known/jwks.json`)),
    },
  );
  await new Promise<void>((resolve) => ctx.gateway.httpServer.listen(0, "127.0.0.1", resolve));
  ctx.url = `http://127.0.0.1:${(ctx.gateway.httpServer.address() as AddressInfo).port}`;
});

test.after(async (ctx) => {
  await ctx.gateway?.dispose();
  await ctx.h?.dispose();
});

test("signs up, and the gateway accepts the ledger's access token through its JWKS", async (ctx) => {
  const signUp = await post(
    ctx,
    `mutation($i: SignUpInput!) { signUp(input: $i) { accessToken refreshToken user { id displayName } } }`,
    {
      i: { email: "gw@example.org", password: "a long password", displayName: "Gee Dub" },
    },
  );
  assert.is(signUp.errors, undefined, JSON.stringify(signUp.errors));
  const auth = signUp.data.signUp as { accessToken: string; refreshToken: string; user: { id: string } };
  const me = await post(ctx, `{ me { id displayName memberships { roles } } }`, {}, auth.accessToken);
  assert.equal(me.data.me, { id: auth.user.id, displayName: "Gee Dub", memberships: [] });
  const anonymous = await post(ctx, `{ me { id } }`);
  assert.equal(anonymous.data.me, null);
});

test("a forged token is refused at the gateway", async (ctx) => {
  const signUp = await post(
    ctx,
    `mutation { logIn(email: "gw@example.org", password: "a long password") { accessToken } }`,
  );
  const token = (signUp.data.logIn as { accessToken: string }).accessToken;
  const [header, payload] = token.split(".");
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()), roles: ["ADMIN"] })).toString("base64url")}.${token.split(".")[2]}`;
  const res = await post(ctx, `{ me { id } }`, {}, forged);
  assert.is(res.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
});

test("rotates the refresh token, and reuse of the old one ends the device's session", async (ctx) => {
  const login = await post(
    ctx,
    `mutation { logIn(email: "gw@example.org", password: "a long password", deviceName: "laptop") { refreshToken } }`,
  );
  const first = (login.data.logIn as { refreshToken: string }).refreshToken;
  const rotated = await post(
    ctx,
    `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`,
    { t: first },
  );
  const second = rotated.data.refreshSession as { accessToken: string; refreshToken: string };
  assert.ok(second.refreshToken);
  const reuse = await post(ctx, `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, {
    t: first,
  });
  assert.is(reuse.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  const after = await post(ctx, `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, {
    t: second.refreshToken,
  });
  assert.is(after.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
});

test("logs out every device (its access token ends at once); five wrong passwords make the next try wait", async (ctx) => {
  const login = await post(
    ctx,
    `mutation { logIn(email: "gw@example.org", password: "a long password") { accessToken refreshToken } }`,
  );
  const auth = login.data.logIn as { accessToken: string; refreshToken: string };
  const out = await post(ctx, `mutation { logOut(allDevices: true) }`, {}, auth.accessToken);
  assert.equal(out.data, { logOut: true });
  // The access token ends with the session, not 15 minutes later (the gateway hears of it by pub/sub).
  const deadline = Date.now() + 5_000;
  let after = await post(ctx, `{ me { id } }`, {}, auth.accessToken);
  while (after.errors?.[0]?.extensions?.code !== "UNAUTHENTICATED" && Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    after = await post(ctx, `{ me { id } }`, {}, auth.accessToken);
  }
  assert.is(after.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  const refresh = await post(ctx, `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`, {
    t: auth.refreshToken,
  });
  assert.is(refresh.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  for (let i = 0; i < 5; i++) {
    const wrong = await post(
      ctx,
      `mutation { logIn(email: "gw@example.org", password: "guess ${i}") { accessToken } }`,
    );
    assert.is(wrong.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  }
  const locked = await post(
    ctx,
    `mutation { logIn(email: "gw@example.org", password: "a long password") { accessToken } }`,
  );
  assert.is(locked.errors?.[0]?.extensions?.code, "RATE_LIMITED");
});

test.run();
