import { createHash } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { EvidenceEntity } from "../src/db/evidence.entity.js";
import { UploadRejected } from "../src/evidence/evidence-store.js";
import { createS3EvidenceStore } from "../src/evidence/s3-evidence-store.js";
import { type Harness, organizationWithMember, startHarness } from "./app-harness.js";
import { type S3Fixture, startS3Fixture } from "./fixtures/s3-server.js";

interface Ctx {
  s3: S3Fixture;
  h: Harness;
  users: Record<"admin" | "council" | "member", string>;
  orgId: string;
}

interface Upload {
  uploadUrl: string;
  expiresAt: string;
  evidence: { id: string; url: string };
}

const BUCKET = "clearbook-evidence-test";
const test = suite<Ctx>("evidence in S3 behind presigned URLs");

const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const checksum = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64");

/** Declares a text file as the member; the declaration is what S3 will hold the upload to. */
async function declare(ctx: Ctx, bytes: Buffer, fileName = "receipt.txt"): Promise<Upload> {
  const res = await ctx.h.gql(
    `mutation($i: EvidenceUploadInput!) { createEvidenceUpload(input: $i) { uploadUrl expiresAt evidence { id url } } }`,
    { i: { fileName, contentType: "text/plain", size: bytes.length, sha256: sha256Hex(bytes) } },
    { sub: ctx.users.member },
  );
  assert.not.ok(res.errors, JSON.stringify(res.errors));
  return res.data.createEvidenceUpload as Upload;
}

/** PUTs like a client following the contract: declared type and the base64 SHA-256 as headers. */
const put = (url: string, bytes: Buffer, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "PUT",
    headers: { "content-type": "text/plain", "x-amz-checksum-sha256": checksum(bytes), ...headers },
    body: bytes,
    signal: AbortSignal.timeout(5000),
  });

/** Attaches the evidence to a deposit; returns the GraphQL answer. */
const deposit = (ctx: Ctx, evidenceIds: string[], key: string) =>
  ctx.h.gql(
    `mutation($i: DepositInput!) { submitDeposit(input: $i) { id evidence { sha256 url } } }`,
    {
      i: {
        orgId: ctx.orgId,
        eventName: "Bake sale",
        year: 2026,
        semester: 1,
        amount: "2500",
        evidenceIds,
        idempotencyKey: key,
      },
    },
    { sub: ctx.users.member },
  );

test.before(async (ctx) => {
  // The S3 server keeps the ledger's (manual) clock, so a test can let links expire.
  let clock = () => Date.now();
  ctx.s3 = await startS3Fixture({ now: () => clock() });
  ctx.s3.createBucket(BUCKET);
  ctx.h = await startHarness("evidence_s3", {
    evidenceS3: {
      bucket: BUCKET,
      region: ctx.s3.region,
      endpoint: ctx.s3.url,
      forcePathStyle: true,
      credentials: ctx.s3.credentials,
    },
  });
  clock = () => ctx.h.clock.now();
  ctx.users = {} as Ctx["users"];
  for (const name of ["admin", "council", "member"] as const) {
    const res = await ctx.h.gql(`mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }`, {
      input: { email: `${name}@example.org`, password: "a long password", displayName: name },
    });
    ctx.users[name] = (res.data.signUp as { user: { id: string } }).user.id;
  }
  ctx.orgId = await organizationWithMember(ctx.h, ctx.users);
});

test.after(async (ctx) => {
  await ctx.h?.dispose();
  await ctx.s3?.close();
});

test("a presigned PUT of the declared bytes lands in S3, and the evidence counts once the ledger confirmed it", async (ctx) => {
  const bytes = Buffer.from("receipt: 25.00 EUR bake sale flour");
  const upload = await declare(ctx, bytes, "..%2F..%2Fetc passwd?x=1#.txt");
  const url = new URL(upload.uploadUrl);
  assert.is(url.origin, ctx.s3.url, "the client uploads straight to S3");
  assert.is(url.pathname, `/${BUCKET}/evidence/${upload.evidence.id}`, "the key comes from the id alone");
  assert.is(url.searchParams.get("X-Amz-Expires"), "60");
  assert.equal(
    url.searchParams.get("X-Amz-SignedHeaders")?.split(";"),
    ["content-length", "content-type", "host", "x-amz-checksum-sha256"],
    "size, type and checksum are signed headers, not ignorable query parameters",
  );
  assert.is(upload.evidence.url, "", "no download link before the upload");

  const res = await put(upload.uploadUrl, bytes);
  assert.is(res.status, 200, await res.text());
  assert.is(ctx.s3.object(BUCKET, `evidence/${upload.evidence.id}`)?.checksumSha256, checksum(bytes));
  const before = await ctx.h.db.fork().findOneOrFail(EvidenceEntity, { id: upload.evidence.id });
  assert.is(before.uploadedAt, null, "S3 told the ledger nothing yet");

  const created = await deposit(ctx, [upload.evidence.id], "s3-flour");
  assert.not.ok(created.errors, JSON.stringify(created.errors));
  const entry = created.data.submitDeposit as { evidence: { sha256: string; url: string }[] };
  assert.is(entry.evidence[0]?.sha256, sha256Hex(bytes));
  assert.equal(ctx.h.chain.last().args.at(-1), JSON.stringify([sha256Hex(bytes)]), "the hash goes on chain");
  const after = await ctx.h.db.fork().findOneOrFail(EvidenceEntity, { id: upload.evidence.id });
  assert.ok(after.uploadedAt, "confirmed by HeadObject before it was attached");
  const heads = ctx.s3.log.filter((r) => r.method === "HEAD" && r.path.endsWith(upload.evidence.id));
  assert.equal(
    heads.map((r) => r.status),
    [200],
  );

  // The download link is a presigned GET of the same object.
  const download = await fetch(entry.evidence[0]?.url ?? "", { signal: AbortSignal.timeout(5000) });
  assert.is(download.status, 200);
  assert.is(download.headers.get("content-disposition"), "attachment");
  assert.is(download.headers.get("content-type"), "text/plain");
  assert.equal(Buffer.from(await download.arrayBuffer()), bytes);
});

test("S3 refuses other bytes, another size, another type or a missing checksum, and such evidence never counts", async (ctx) => {
  const bytes = Buffer.from("receipt: 12.50 EUR printer paper");
  const upload = await declare(ctx, bytes);
  const sameLength = Buffer.from("receipt: 99.99 EUR printer paper");
  assert.is(sameLength.length, bytes.length);
  const cases: [string, Response, number][] = [
    // The client claims the declared checksum but sends other bytes: S3 computes and compares.
    ["other bytes", await put(upload.uploadUrl, sameLength, { "x-amz-checksum-sha256": checksum(bytes) }), 400],
    ["their own checksum", await put(upload.uploadUrl, sameLength), 403],
    [
      "a longer body",
      await put(upload.uploadUrl, Buffer.concat([bytes, Buffer.from("!")]), {
        "x-amz-checksum-sha256": checksum(bytes),
      }),
      403,
    ],
    ["another type", await put(upload.uploadUrl, bytes, { "content-type": "text/html" }), 403],
    [
      "no checksum header",
      await fetch(upload.uploadUrl, { method: "PUT", headers: { "content-type": "text/plain" }, body: bytes }),
      403,
    ],
  ];
  for (const [name, res, status] of cases) assert.is(res.status, status, name);
  assert.match((await cases[0]?.[1].text()) ?? "", "BadDigest");
  assert.is(ctx.s3.object(BUCKET, `evidence/${upload.evidence.id}`), undefined, "nothing was stored");

  const refused = await deposit(ctx, [upload.evidence.id], "s3-refused");
  assert.is(refused.errors?.[0]?.extensions?.code, "BAD_USER_INPUT");
  assert.match(refused.errors?.[0]?.message ?? "", "nothing was uploaded");
  const row = await ctx.h.db.fork().findOneOrFail(EvidenceEntity, { id: upload.evidence.id });
  assert.is(row.uploadedAt, null);
});

test("an object changed in the bucket behind the ledger's back is not confirmed", async (ctx) => {
  const bytes = Buffer.from("receipt: 3.20 EUR tape");
  const upload = await declare(ctx, bytes);
  const key = `evidence/${upload.evidence.id}`;
  const swapped = Buffer.from("receipt: 9.99 EUR tape");
  const cases: [string, Parameters<S3Fixture["putDirect"]>[2], string][] = [
    ["other bytes", { body: swapped, contentType: "text/plain", checksumSha256: checksum(swapped) }, "SHA-256"],
    ["no checksum kept", { body: bytes, contentType: "text/plain" }, "SHA-256"],
    [
      "another size",
      { body: Buffer.from("x"), contentType: "text/plain", checksumSha256: checksum(Buffer.from("x")) },
      "bytes are stored",
    ],
    ["another type", { body: bytes, contentType: "text/html", checksumSha256: checksum(bytes) }, "text/html"],
  ];
  for (const [name, object, reason] of cases) {
    ctx.s3.putDirect(BUCKET, key, object);
    const res = await deposit(ctx, [upload.evidence.id], `s3-swapped-${name}`);
    assert.is(res.errors?.[0]?.extensions?.code, "BAD_USER_INPUT", name);
    assert.match(res.errors?.[0]?.message ?? "", reason, `${name}: ${res.errors?.[0]?.message}`);
  }
  const row = await ctx.h.db.fork().findOneOrFail(EvidenceEntity, { id: upload.evidence.id });
  assert.is(row.uploadedAt, null);
});

test("upload and download links expire", async (ctx) => {
  const bytes = Buffer.from("receipt: 7.00 EUR markers");
  const late = await declare(ctx, bytes);
  const early = await declare(ctx, bytes);
  assert.is((await put(early.uploadUrl, bytes)).status, 200);
  assert.not.ok((await deposit(ctx, [early.evidence.id], "s3-early")).errors);
  const downloadUrl = await ctx.h.app.services.evidence.downloadUrl(
    await ctx.h.db.fork().findOneOrFail(EvidenceEntity, { id: early.evidence.id }),
  );
  assert.is((await fetch(downloadUrl)).status, 200);

  ctx.h.clock.advance(61_000);
  const res = await put(late.uploadUrl, bytes);
  assert.is(res.status, 403);
  assert.match(await res.text(), "Request has expired");
  assert.is((await fetch(downloadUrl)).status, 403, "the download link too");
  assert.is(ctx.s3.object(BUCKET, `evidence/${late.evidence.id}`), undefined);
});

test("the ledger's own evidence routes are closed when S3 holds the files", async (ctx) => {
  const upload = await declare(ctx, Buffer.from("abc"));
  const res = await fetch(`${ctx.h.url}/evidence/${upload.evidence.id}?exp=9999999999&sig=x`, {
    method: "PUT",
    headers: { "content-type": "text/plain" },
    body: "abc",
  });
  assert.is(res.status, 404);
});

test("object keys are never made from anything but an evidence id", async (ctx) => {
  const store = createS3EvidenceStore({
    bucket: BUCKET,
    region: ctx.s3.region,
    endpoint: ctx.s3.url,
    forcePathStyle: true,
    credentials: ctx.s3.credentials,
    clock: ctx.h.clock,
  });
  try {
    for (const id of ["../evidence/x", "a".repeat(36), "0d6f1c1e-2b0a-4c47-9a3f-1e2d3c4b5a69/..", ""]) {
      const file = { id, contentType: "text/plain", size: 1, sha256: "0".repeat(64) };
      assert.instance(await store.uploadUrl(file, 1).catch((e: unknown) => e), UploadRejected, id);
      assert.instance(await store.confirm(file).catch((e: unknown) => e), UploadRejected, id);
    }
  } finally {
    store.dispose();
  }
});

test.run();
