import { randomBytes } from "node:crypto";
import { createSqlClient } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createSignedTxStore, type SignedTxRow, SignedTxStatus } from "../src/index.js";
import { createTestOrm } from "./helpers.js";

type Context = { orm: Awaited<ReturnType<typeof createTestOrm>> };
const test = suite<Context>("signed_tx store");

test.before(async (context) => {
  context.orm = await createTestOrm("store");
});

test.after(async ({ orm }) => {
  await orm.drop();
});

const row = (commandId: string, envelope: Uint8Array | null): SignedTxRow => ({
  commandId,
  userId: "user-1",
  txId: "a".repeat(64),
  originalTxId: "a".repeat(64),
  transaction: "token:OpenAccount",
  envelope,
  status: SignedTxStatus.SIGNED,
  block: null,
  validationCode: null,
  reason: null,
  attempts: 1,
});

test("returns every byte of a recorded envelope, in rows saved together and alone", async ({ orm }) => {
  const store = createSignedTxStore(createSqlClient(orm));
  // Every byte value, a view into a larger buffer (as fabric-gateway hands envelopes over), and a large one.
  const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  const framed = randomBytes(300);
  const view = new Uint8Array(framed.buffer, framed.byteOffset + 10, 200);
  const large = randomBytes(64 * 1024);
  await Promise.all([store.save(row("c-all", allBytes)), store.save(row("c-view", view))]);
  await store.save(row("c-large", large));
  const [all, viewed, big] = await Promise.all([store.find("c-all"), store.find("c-view"), store.find("c-large")]);
  assert.equal(Buffer.from(all?.envelope ?? []), Buffer.from(allBytes));
  assert.equal(Buffer.from(viewed?.envelope ?? []), Buffer.from(view));
  assert.equal(Buffer.from(big?.envelope ?? []), large);
});

test("drops the envelope when the final outcome replaces the row", async ({ orm }) => {
  const store = createSignedTxStore(createSqlClient(orm));
  await store.save(row("c-final", randomBytes(100)));
  await store.save({ ...row("c-final", null), status: SignedTxStatus.COMMITTED, block: 7n, validationCode: 0 });
  const final = await store.find("c-final");
  assert.is(final?.envelope, null);
  assert.is(final?.status, SignedTxStatus.COMMITTED);
  assert.is(final?.block, 7n);
});

test("prunes decided rows past their retention and keeps undecided and recent ones", async ({ orm }) => {
  const sql = createSqlClient(orm);
  const store = createSignedTxStore(sql);
  const decided = (commandId: string, status: SignedTxStatus): SignedTxRow => ({
    ...row(commandId, null),
    status,
    block: status === SignedTxStatus.FAILED ? null : 3n,
    validationCode: status === SignedTxStatus.COMMITTED ? 0 : 11,
  });
  await Promise.all([
    store.save(decided("p-old-committed", SignedTxStatus.COMMITTED)),
    store.save(decided("p-old-rejected", SignedTxStatus.REJECTED)),
    store.save(decided("p-old-failed", SignedTxStatus.FAILED)),
    store.save(row("p-old-signed", randomBytes(50))),
    store.save(decided("p-new-committed", SignedTxStatus.COMMITTED)),
  ]);
  await sql.run(
    "update signed_tx set updated_at = date_sub(updated_at, interval 10 day) where command_id like 'p-old-%'",
  );
  const cutoff = new Date(Date.now() - 7 * 86_400_000);
  assert.is(await store.prune(cutoff, 2), 3, "three decided rows, two per statement");
  assert.is(await store.find("p-old-committed"), undefined);
  assert.is(await store.find("p-old-rejected"), undefined);
  assert.is(await store.find("p-old-failed"), undefined);
  assert.is(
    (await store.find("p-old-signed"))?.status,
    SignedTxStatus.SIGNED,
    "an undecided command keeps its envelope",
  );
  assert.is((await store.find("p-new-committed"))?.status, SignedTxStatus.COMMITTED);
  assert.is(await store.prune(cutoff), 0);
});

test.run();
