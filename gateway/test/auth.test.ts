import { revokeSessions, signViewer, VIEWER_HEADER } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { useAuth } from "../src/plugins/use-auth.js";
import { type FixtureSubgraphs, INTERNAL_SECRET, startFixtureSubgraphs } from "./fixtures/subgraphs.js";
import { plain, startTestGateway, type TestGateway, testConfig, testIssuer } from "./helpers.js";

const test = suite<{ subgraphs: FixtureSubgraphs; gw: TestGateway; issuer: Awaited<ReturnType<typeof testIssuer>> }>(
  "authentication",
);

test.before(async (ctx) => {
  ctx.subgraphs = await startFixtureSubgraphs();
  ctx.issuer = await testIssuer();
  ctx.gw = await startTestGateway(testConfig(), { supergraphSdl: ctx.subgraphs.supergraph(), jwks: ctx.issuer.jwks });
});
test.after(async (ctx) => {
  await ctx.gw.dispose();
  await ctx.subgraphs.dispose();
});

const whoami = { query: "{ whoami { sub roles partnerId rid } }" };

test("forwards an anonymous viewer when no credentials are sent", async ({ gw }) => {
  const { status, json } = await gw.post(whoami, { "x-request-id": "req-1" });
  assert.is(status, 200);
  assert.equal(plain(json.data), { whoami: { sub: null, roles: [], partnerId: null, rid: "req-1" } });
});

test("forwards the user and platform roles of a valid access token", async ({ gw, issuer }) => {
  const token = await issuer.sign({ sub: "u-42", roles: ["ADMIN", "NOT_A_ROLE"] });
  const { json } = await gw.post(whoami, { authorization: `Bearer ${token}` });
  const seen = plain(json.data?.whoami) as { sub: string; roles: string[]; partnerId: null };
  assert.is(seen.sub, "u-42");
  assert.equal(seen.roles, ["ADMIN"]);
  assert.is(seen.partnerId, null);
});

test("refuses an expired token with 401 UNAUTHENTICATED", async ({ gw, issuer }) => {
  const token = await issuer.sign({ sub: "u-1" }, { expiresIn: Math.floor(Date.now() / 1000) - 10 });
  const { status, json } = await gw.post(whoami, { authorization: `Bearer ${token}` });
  assert.is(status, 401);
  assert.is(json.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  assert.match(json.errors?.[0]?.message ?? "", /expired/);
});

/** Polls `request` until it answers 401 or the deadline passes (the log-out travels by pub/sub). */
async function untilRefused(request: () => Promise<{ status: number }>): Promise<number> {
  const deadline = Date.now() + 5_000;
  let status = (await request()).status;
  while (status !== 401 && Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    status = (await request()).status;
  }
  return status;
}

test("a logged-out device's access token stops working at once, other devices keep theirs", async ({ gw, issuer }) => {
  const phone = `Bearer ${await issuer.sign({ sub: "u-out", sid: "family-phone" })}`;
  const laptop = `Bearer ${await issuer.sign({ sub: "u-out", sid: "family-laptop" })}`;
  assert.is((await gw.post(whoami, { authorization: phone })).status, 200, "verified and cached");
  const prefix = gw.config.sessionRevocationPrefix ?? "";
  await revokeSessions(gw.redis, prefix, { kind: "sid", id: "family-phone", atMs: Date.now() + 1000 }, 60);
  assert.is(await untilRefused(() => gw.post(whoami, { authorization: phone })), 401);
  const { json } = await gw.post(whoami, { authorization: phone });
  assert.match(json.errors?.[0]?.message ?? "", /session has ended/);
  assert.is((await gw.post(whoami, { authorization: laptop })).status, 200);
  // Logging out everywhere ends the laptop's too.
  await revokeSessions(gw.redis, prefix, { kind: "sub", id: "u-out", atMs: Date.now() + 1000 }, 60);
  assert.is(await untilRefused(() => gw.post(whoami, { authorization: laptop })), 401);
});

test("refuses a token signed with another key", async ({ gw }) => {
  const other = await testIssuer();
  const token = await other.sign({ sub: "u-1", roles: ["ADMIN"] });
  const { status, json } = await gw.post(whoami, { authorization: `Bearer ${token}` });
  assert.is(status, 401);
  assert.is(json.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
});

test("refuses a malformed Authorization header and an unknown API key", async ({ gw }) => {
  assert.is((await gw.post(whoami, { authorization: "Basic abc" })).status, 401);
  assert.is((await gw.post(whoami, { "x-api-key": "cbk_nope" })).status, 401);
});

test("never forwards a viewer header forged by the client", async ({ gw }) => {
  const forged = signViewer({ sub: "admin", roles: ["ADMIN"], partner: null, rid: "x" }, INTERNAL_SECRET);
  const { json } = await gw.post(whoami, { [VIEWER_HEADER]: forged });
  const seen = plain(json.data?.whoami) as { sub: string | null; roles: string[] };
  assert.is(seen.sub, null);
  assert.equal(seen.roles, []);
});

test("subgraphs refuse requests that do not come through the gateway", async ({ subgraphs }) => {
  const direct = (headers: Record<string, string>) =>
    fetch(subgraphs.urls.ledger, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(whoami),
      signal: AbortSignal.timeout(5000),
    });
  const refusedBefore = subgraphs.logs.ledger.refused;
  assert.is((await direct({})).status, 401);
  const wrongSecret = signViewer({ sub: "admin", roles: ["ADMIN"], partner: null, rid: "x" }, "not-the-secret");
  assert.is((await direct({ [VIEWER_HEADER]: wrongSecret })).status, 401);
  assert.is(subgraphs.logs.ledger.refused, refusedBefore + 2);
});

test("signs each subgraph fetch for that subgraph and its body, so a captured header replays nowhere else", async ({
  gw,
  subgraphs,
}) => {
  const before = subgraphs.logs.ledger.viewers.length;
  assert.is((await gw.post(whoami)).status, 200);
  const viewer = subgraphs.logs.ledger.viewers[before];
  assert.ok(viewer, "the ledger saw the request");
  assert.is(viewer.aud, "ledger");
  assert.ok(viewer.bh, "bound to the body");
  assert.ok(viewer.exp - viewer.iat <= 15, "lives seconds");
  // Replayed with another operation, or to the voting subgraph, the same header is refused.
  const refusedLedger = subgraphs.logs.ledger.refused;
  const refusedVoting = subgraphs.logs.voting.refused;
  const header = signViewer({ sub: "admin", roles: ["ADMIN"], partner: null, rid: "x" }, INTERNAL_SECRET, {
    binding: { audience: "ledger", body: JSON.stringify(whoami) },
  });
  const replay = (url: string, body: string) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [VIEWER_HEADER]: header },
      body,
      signal: AbortSignal.timeout(5000),
    });
  assert.is((await replay(subgraphs.urls.ledger, JSON.stringify(whoami))).status, 200, "the original request");
  assert.is((await replay(subgraphs.urls.ledger, JSON.stringify({ query: "{ __typename }" }))).status, 401);
  assert.is((await replay(subgraphs.urls.voting, JSON.stringify(whoami))).status, 401);
  assert.is(subgraphs.logs.ledger.refused, refusedLedger + 1);
  assert.is(subgraphs.logs.voting.refused, refusedVoting + 1);
});

test("authenticate() returns the viewer and expiry for the realtime layer, and jose's errors", async ({
  gw,
  issuer,
}) => {
  const token = await issuer.sign({ sub: "u-7", roles: [] }, { expiresIn: "5m" });
  const result = await gw.gateway.authenticate(token);
  assert.is(result.viewer.sub, "u-7");
  assert.ok(result.expiresAt > Date.now() + 4 * 60_000);
  const expired = await issuer.sign({ sub: "u-7" }, { expiresIn: Math.floor(Date.now() / 1000) - 5 });
  try {
    await gw.gateway.authenticate(expired);
    assert.unreachable("expired token accepted");
  } catch (error) {
    assert.is((error as { code?: string }).code, "ERR_JWT_EXPIRED");
  }
});

test("reuses a verified token only until it expires, and never for requests with an API key", async ({ issuer }) => {
  let clock = Date.now();
  const auth = useAuth({ jwks: issuer.jwks, partnerKeys: null, now: () => clock });
  const token = await issuer.sign({ sub: "u-9", roles: ["ADMIN"] }, { expiresIn: "2m" });
  const headers = (entries: Record<string, string>) => new Map(Object.entries(entries));
  const bearer = headers({ authorization: `Bearer ${token}` });
  assert.is(auth.knownPrincipal(bearer), undefined, "not verified yet");
  const principal = await auth.principalFromHeaders(bearer);
  assert.equal(auth.knownPrincipal(bearer), principal);
  assert.equal(principal, { sub: "u-9", roles: ["ADMIN"], partner: null });
  assert.is(auth.knownPrincipal(headers({ authorization: `Bearer ${token}`, "x-api-key": "cbk_x" })), undefined);
  assert.is(auth.knownPrincipal(headers({ authorization: "Bearer another" })), undefined);
  assert.equal(auth.knownPrincipal(headers({})), { sub: null, roles: [], partner: null });
  clock += 3 * 60_000;
  assert.is(auth.knownPrincipal(bearer), undefined, "expired");
  try {
    await auth.principalFromHeaders(bearer);
    assert.unreachable("expired token accepted");
  } catch (error) {
    assert.is((error as { code?: string }).code, "UNAUTHENTICATED");
  }
});

test.run();
