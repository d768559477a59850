import { createHash } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { commit, type Harness, organizationWithMember, startHarness } from "./app-harness.js";
import { chainEntry, depositApproved, depositSubmitted } from "./chain-events.js";

interface Ctx {
  h: Harness;
  users: Record<"admin" | "council" | "member" | "outsider", string>;
  orgId: string;
  /** A deposit by the member and a membership request by the outsider, for the matrix. */
  entryId: string;
  requestId: string;
}

const test = suite<Ctx>("ledger subgraph over HTTP");

const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id displayName } } }`;

test.before(async (ctx) => {
  ctx.h = await startHarness("api");
  ctx.users = {} as Ctx["users"];
  for (const name of ["admin", "council", "member", "outsider"] as const) {
    const res = await ctx.h.gql(SIGN_UP, {
      input: { email: `${name}@example.org`, password: "a long password", displayName: name },
    });
    ctx.users[name] = (res.data.signUp as { user: { id: string } }).user.id;
  }
  ctx.orgId = await organizationWithMember(ctx.h, ctx.users);
});

test.after(async (ctx) => {
  await ctx.h.dispose();
});

test("refuses requests without the gateway's signed viewer header", async (ctx) => {
  const res = await fetch(`${ctx.h.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ organizations { id } }" }),
  });
  assert.is(res.status, 401);
});

test("serves the public key set the gateway verifies access tokens with", async (ctx) => {
  const res = await fetch(`${ctx.h.url}/.well-known/jwks.json`);
  const jwks = (await res.json()) as { keys: { kty: string; crv: string; alg: string; d?: string }[] };
  assert.is(jwks.keys.length, 1);
  assert.is(jwks.keys[0]?.alg, "ES256");
  assert.is(jwks.keys[0]?.d, undefined, "no private part");
});

test("me shows memberships with roles; anonymous me is null", async (ctx) => {
  const q = `{ me { id displayName memberships { organization { id name } roles } } }`;
  const anon = await ctx.h.gql(q);
  assert.is(anon.data.me, null);
  const council = await ctx.h.gql(q, {}, { sub: ctx.users.council });
  assert.equal(council.data.me, {
    id: ctx.users.council,
    displayName: "council",
    memberships: [{ organization: { id: ctx.orgId, name: "Student Council" }, roles: ["MEMBER", "COUNCIL"] }],
  });
});

const MUTATIONS: { name: string; doc: (c: Ctx) => [string, Record<string, unknown>] }[] = [
  {
    name: "requestMembership",
    doc: (c) => [`mutation($o: ID!) { requestMembership(orgId: $o) { id } }`, { o: c.orgId }],
  },
  {
    name: "approveMembership",
    doc: (c) => [`mutation($r: ID!) { approveMembership(requestId: $r) { id } }`, { r: c.requestId }],
  },
  {
    name: "approveDeposit",
    doc: (c) => [`mutation($e: ID!) { approveDeposit(entryId: $e) { id } }`, { e: c.entryId }],
  },
  {
    name: "rejectDeposit",
    doc: (c) => [`mutation($e: ID!) { rejectDeposit(entryId: $e, reason: "no receipt") { id } }`, { e: c.entryId }],
  },
  { name: "logOut", doc: () => [`mutation { logOut(allDevices: true) }`, {}] },
  {
    name: "createOrganization",
    doc: (c) => [
      `mutation($f: ID!) { createOrganization(name: "Other org", founderId: $f) { id } }`,
      { f: c.users.member },
    ],
  },
  {
    name: "grantCouncilRole",
    doc: (c) => [
      `mutation($o: ID!, $u: ID!) { grantCouncilRole(orgId: $o, userId: $u) { roles } }`,
      { o: c.orgId, u: c.users.member },
    ],
  },
  {
    name: "submitDeposit",
    doc: (c) => [
      `mutation($i: DepositInput!) { submitDeposit(input: $i) { id status } }`,
      {
        i: {
          orgId: c.orgId,
          eventName: "Dues",
          year: 2026,
          semester: 1,
          amount: "100",
          evidenceIds: [],
          idempotencyKey: `k-${Math.random()}`,
        },
      },
    ],
  },
  {
    name: "proposeSpending",
    doc: (c) => [
      `mutation($i: SpendingInput!) { proposeSpending(input: $i) { id status } }`,
      {
        i: {
          orgId: c.orgId,
          eventName: "Posters",
          year: 2026,
          semester: 1,
          amount: "1",
          payeeAddress: "print-shop",
          evidenceIds: [],
          idempotencyKey: `k-${Math.random()}`,
        },
      },
    ],
  },
  {
    name: "createEvidenceUpload",
    doc: () => [
      `mutation($i: EvidenceUploadInput!) { createEvidenceUpload(input: $i) { uploadUrl } }`,
      { i: { fileName: "r.pdf", contentType: "application/pdf", size: 10, sha256: "a".repeat(64) } },
    ],
  },
];

// Who may run each mutation: "ok" or the expected code, for anonymous, member, council, admin (not a member).
const MATRIX: Record<string, [string, string, string, string]> = {
  requestMembership: ["UNAUTHENTICATED", "CONFLICT", "CONFLICT", "ok"],
  approveMembership: ["UNAUTHENTICATED", "ok", "ok", "FORBIDDEN"],
  approveDeposit: ["UNAUTHENTICATED", "FORBIDDEN", "ok", "FORBIDDEN"],
  rejectDeposit: ["UNAUTHENTICATED", "FORBIDDEN", "ok", "FORBIDDEN"],
  logOut: ["UNAUTHENTICATED", "ok", "ok", "ok"],
  createOrganization: ["UNAUTHENTICATED", "FORBIDDEN", "FORBIDDEN", "ok"],
  grantCouncilRole: ["UNAUTHENTICATED", "FORBIDDEN", "ok", "FORBIDDEN"],
  submitDeposit: ["UNAUTHENTICATED", "ok", "ok", "FORBIDDEN"],
  proposeSpending: ["UNAUTHENTICATED", "FORBIDDEN", "ok", "FORBIDDEN"],
  createEvidenceUpload: ["UNAUTHENTICATED", "ok", "ok", "ok"],
};

test("authorization matrix: each mutation × anonymous, member, council, admin", async (ctx) => {
  ctx.h.chain.balances.set(ctx.orgId, 1000n);
  const deposit = await ctx.h.gql(
    `mutation($i: DepositInput!) { submitDeposit(input: $i) { id } }`,
    {
      i: {
        orgId: ctx.orgId,
        eventName: "Matrix",
        year: 2026,
        semester: 1,
        amount: "5",
        evidenceIds: [],
        idempotencyKey: "matrix",
      },
    },
    { sub: ctx.users.member },
  );
  ctx.entryId = (deposit.data.submitDeposit as { id: string }).id;
  const request = await ctx.h.gql(
    `mutation($o: ID!) { requestMembership(orgId: $o) { id } }`,
    { o: ctx.orgId },
    {
      sub: ctx.users.outsider,
    },
  );
  ctx.requestId = (request.data.requestMembership as { id: string }).id;
  for (const { name, doc } of MUTATIONS) {
    const viewers = [
      { sub: null },
      { sub: ctx.users.member },
      { sub: ctx.users.council },
      { sub: ctx.users.admin, roles: ["ADMIN" as const] },
    ];
    for (const [i, viewer] of viewers.entries()) {
      const [query, variables] = doc(ctx);
      const res = await ctx.h.gql(query, variables, viewer);
      const got = res.errors ? res.errors[0]?.extensions?.code : "ok";
      assert.is(
        got,
        MATRIX[name]?.[i],
        `${name} as ${["anonymous", "member", "council", "admin"][i]}: ${JSON.stringify(res.errors)}`,
      );
    }
  }
});

test("a submitter cannot approve their own deposit; a negative amount is BAD_USER_INPUT", async (ctx) => {
  const submit = `mutation($i: DepositInput!) { submitDeposit(input: $i) { id status tx { txId status } } }`;
  const input = {
    orgId: ctx.orgId,
    eventName: "Bake sale",
    year: 2026,
    semester: 2,
    amount: "2500",
    evidenceIds: [],
    idempotencyKey: "bake",
  };
  const bad = await ctx.h.gql(submit, { i: { ...input, amount: "-1" } }, { sub: ctx.users.council });
  assert.is(bad.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  const frac = await ctx.h.gql(submit, { i: { ...input, amount: "1.5" } }, { sub: ctx.users.council });
  assert.is(frac.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  const own = await ctx.h.gql(submit, { i: input }, { sub: ctx.users.council });
  const entry = own.data.submitDeposit as { id: string; status: string; tx: { status: string } };
  assert.is(entry.status, "PENDING");
  assert.is(entry.tx.status, "PENDING");
  const approve = `mutation($id: ID!) { approveDeposit(entryId: $id) { id status decidedBy { id } } }`;
  const refused = await ctx.h.gql(approve, { id: entry.id }, { sub: ctx.users.council });
  assert.is(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
});

test("spending above the treasury less open spending is INSUFFICIENT_FUNDS", async (ctx) => {
  ctx.h.chain.balances.set(ctx.orgId, 500n);
  const res = await ctx.h.gql(
    `mutation($i: SpendingInput!) { proposeSpending(input: $i) { id } }`,
    {
      i: {
        orgId: ctx.orgId,
        eventName: "Trip",
        year: 2026,
        semester: 2,
        amount: "5000",
        payeeAddress: "bus-co",
        evidenceIds: [],
        idempotencyKey: "trip",
      },
    },
    { sub: ctx.users.council },
  );
  assert.is(res.errors?.[0]?.extensions?.code, "INSUFFICIENT_FUNDS");
});

test("evidence: a storage failure answers 500 without its message or path", async (ctx) => {
  const body = Buffer.from("receipt: 3.00 EUR");
  const sha256 = createHash("sha256").update(body).digest("hex");
  const created = await ctx.h.gql(
    `mutation($i: EvidenceUploadInput!) { createEvidenceUpload(input: $i) { uploadUrl } }`,
    { i: { fileName: "r.txt", contentType: "text/plain", size: body.length, sha256 } },
    { sub: ctx.users.member },
  );
  const url = (created.data.createEvidenceUpload as { uploadUrl: string }).uploadUrl.replace(
    "http://gateway.test",
    ctx.h.url,
  );
  // A file where the evidence directory should be: the store cannot write, through no fault of the client.
  await rm(ctx.h.evidenceDir, { recursive: true, force: true });
  await writeFile(ctx.h.evidenceDir, "not a directory");
  try {
    const response = await fetch(url, { method: "PUT", headers: { "content-type": "text/plain" }, body });
    assert.is(response.status, 500);
    const text = await response.text();
    assert.not.match(text, /ledger-evidence-|EEXIST|ENOTDIR|\/tmp/);
  } finally {
    await rm(ctx.h.evidenceDir, { force: true });
  }
});

test("evidence: uploads once to a signed URL, checked against size and SHA-256; the hash goes on chain", async (ctx) => {
  const body = Buffer.from("receipt: 25.00 EUR bake sale flour");
  const sha256 = createHash("sha256").update(body).digest("hex");
  const created = await ctx.h.gql(
    `mutation($i: EvidenceUploadInput!) { createEvidenceUpload(input: $i) { uploadUrl expiresAt evidence { id sha256 url } } }`,
    { i: { fileName: "receipt.txt", contentType: "text/plain", size: body.length, sha256 } },
    { sub: ctx.users.member },
  );
  const upload = created.data.createEvidenceUpload as { uploadUrl: string; evidence: { id: string; url: string } };
  assert.is(upload.evidence.url, "", "no download link before the upload");
  const local = upload.uploadUrl.replace("http://gateway.test", ctx.h.url);
  const put = (url: string, bytes: Buffer, type = "text/plain") =>
    fetch(url, { method: "PUT", headers: { "content-type": type }, body: bytes });
  assert.is((await put(local.replace(/sig=[^&]+/, "sig=AAAA"), body)).status, 403, "forged signature");
  assert.is((await put(local, Buffer.from("something else entirely, same len"))).status, 400, "wrong hash");
  assert.is((await put(local, Buffer.concat([body, Buffer.alloc(2000)]))).status, 413, "larger than declared");
  assert.is((await put(local, body, "image/png")).status, 400, "wrong type");
  assert.is(
    (await put(`${ctx.h.url}/evidence/..%2F..%2Fetc%2Fpasswd?exp=1&sig=x`, body)).status,
    404,
    "no path tricks",
  );
  assert.is((await put(local, body)).status, 204);
  assert.is((await put(local, body)).status, 409, "only once");

  const deposit = await ctx.h.gql(
    `mutation($i: DepositInput!) { submitDeposit(input: $i) { id evidence { sha256 url } } }`,
    {
      i: {
        orgId: ctx.orgId,
        eventName: "Flour",
        year: 2026,
        semester: 2,
        amount: "2500",
        evidenceIds: [upload.evidence.id],
        idempotencyKey: "flour",
      },
    },
    { sub: ctx.users.member },
  );
  const entry = deposit.data.submitDeposit as { id: string; evidence: { sha256: string; url: string }[] };
  assert.is(entry.evidence[0]?.sha256, sha256);
  assert.equal(ctx.h.chain.last().args.at(-1), JSON.stringify([sha256]));
  const download = await fetch((entry.evidence[0]?.url ?? "").replace("http://gateway.test", ctx.h.url));
  assert.is(download.status, 200);
  assert.is(Buffer.from(await download.arrayBuffer()).toString(), body.toString());

  // The same receipt cannot back a second entry: not the same upload, not the same bytes uploaded again.
  const again = await ctx.h.gql(
    `mutation($i: EvidenceUploadInput!) { createEvidenceUpload(input: $i) { uploadUrl evidence { id } } }`,
    { i: { fileName: "receipt-copy.txt", contentType: "text/plain", size: body.length, sha256 } },
    { sub: ctx.users.member },
  );
  const copy = again.data.createEvidenceUpload as { uploadUrl: string; evidence: { id: string } };
  assert.is((await put(copy.uploadUrl.replace("http://gateway.test", ctx.h.url), body)).status, 204);
  for (const [evidenceId, key] of [
    [upload.evidence.id, "flour-again"],
    [copy.evidence.id, "flour-copy"],
  ] as const) {
    const reused = await ctx.h.gql(
      `mutation($i: DepositInput!) { submitDeposit(input: $i) { id } }`,
      {
        i: {
          orgId: ctx.orgId,
          eventName: "Flour",
          year: 2026,
          semester: 2,
          amount: "2500",
          evidenceIds: [evidenceId],
          idempotencyKey: key,
        },
      },
      { sub: ctx.users.member },
    );
    assert.is(reused.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", `${key}: ${JSON.stringify(reused)}`);
    assert.match(reused.errors?.[0]?.message ?? "", /already attached/);
  }

  ctx.h.clock.advance(61_000);
  const late = await ctx.h.gql(
    `mutation($i: EvidenceUploadInput!) { createEvidenceUpload(input: $i) { uploadUrl } }`,
    {
      i: {
        fileName: "late.txt",
        contentType: "text/plain",
        size: 3,
        sha256: createHash("sha256").update("abc").digest("hex"),
      },
    },
    { sub: ctx.users.member },
  );
  const lateUrl = (late.data.createEvidenceUpload as { uploadUrl: string }).uploadUrl.replace(
    "http://gateway.test",
    ctx.h.url,
  );
  ctx.h.clock.advance(61_000);
  assert.is((await put(lateUrl, Buffer.from("abc"))).status, 403, "expired");
});

test("public books: entries with filters and pagination, activity, and a CSV export", async (ctx) => {
  ctx.h.clock.advance(5_000);
  const submit = await ctx.h.gql(
    `mutation($i: DepositInput!) { submitDeposit(input: $i) { id } }`,
    {
      i: {
        orgId: ctx.orgId,
        eventName: 'Quiz "night", pub',
        year: 2026,
        semester: 1,
        amount: "4200",
        evidenceIds: [],
        idempotencyKey: "quiz",
      },
    },
    { sub: ctx.users.member },
  );
  const id = (submit.data.submitDeposit as { id: string }).id;
  const doc = chainEntry({
    entryId: id,
    orgId: ctx.orgId,
    submittedBy: ctx.users.member,
    amount: "4200",
    semester: 1,
    eventName: 'Quiz "night", pub',
  });
  await commit(ctx.h, depositSubmitted(ctx.h.chain.last().txId, doc));
  await ctx.h.gql(`mutation($id: ID!) { approveDeposit(entryId: $id) { id } }`, { id }, { sub: ctx.users.council });
  await commit(ctx.h, depositApproved(ctx.h.chain.last().txId, doc, ctx.users.council));

  const books = await ctx.h.gql(
    `query($o: ID!) { organization(id: $o) { treasuryBalance entries(filter: { year: 2026, semester: 1 }, first: 1) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id status amount submittedBy { id } decidedBy { id } tx { txId status } activity { action actor { id } } } } } } }`,
    { o: ctx.orgId },
  );
  const org = books.data.organization as {
    entries: { totalCount: number; edges: { node: { id: string; status: string; activity: { action: string }[] } }[] };
  };
  assert.is(org.entries.edges[0]?.node.id, id);
  assert.is(org.entries.edges[0]?.node.status, "APPROVED");
  assert.equal(
    org.entries.edges[0]?.node.activity.map((a) => a.action),
    ["SUBMITTED", "RECORDED", "APPROVAL_REQUESTED", "APPROVED"],
  );

  const csv = await (await fetch(`${ctx.h.url}/export/${ctx.orgId}.csv?year=2026&semester=1`)).text();
  const lines = csv.split("\r\n");
  assert.ok(lines[0]?.startsWith("entry_id,created_at,kind,status,event_name"));
  assert.ok(csv.includes(`"Quiz ""night"", pub"`), "RFC 4180 quoting");
  assert.ok(csv.includes(",4200,"), "integer amount");
});

test("loads type-graphql decorators under tsx (explicit type functions everywhere)", async (ctx) => {
  const res = await ctx.h.gql(`{ __typename organizations { id name } }`);
  assert.equal(res.data, { __typename: "Query", organizations: [{ id: ctx.orgId, name: "Student Council" }] });
});

test.run();
