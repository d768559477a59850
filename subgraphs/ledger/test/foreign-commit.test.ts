import { suite } from "uvu";
import * as assert from "uvu/assert";
import { TxStatus } from "../src/chain/transactions.js";
import { ChainTransactionEntity } from "../src/db/chain-transaction.entity.js";
import { recordForeignCommit } from "../src/indexer/projection.js";
import { createTestDatabase, newClock } from "./helpers.js";

// The indexer learns of commits it did not submit; the evt:chain consumer may have inserted the same
// transaction's row a moment earlier (a race the indexer's look-up cannot see). Both must land.
const test = suite<{ db: Awaited<ReturnType<typeof createTestDatabase>> }>("commits of others' transactions");

test.before(async (ctx) => {
  ctx.db = await createTestDatabase("foreign");
});

test.after(async (ctx) => {
  await ctx.db.dispose();
});

test("a commit nobody recorded yet is inserted as COMMITTED", async (ctx) => {
  const txId = "a".repeat(64);
  await ctx.db.orm.em.fork().transactional((em) => recordForeignCommit(em, txId, 3, "org:CreateOrg", newClock()));
  const row = await ctx.db.orm.em.fork().findOneOrFail(ChainTransactionEntity, { txId });
  assert.is(row.status, TxStatus.COMMITTED);
  assert.is(row.function, "org:CreateOrg");
  assert.is(row.blockNumber, 3);
  assert.ok(row.committedAt);
});

test("a row the evt:chain consumer inserts while the indexer's transaction runs keeps its function and creator and gets the outcome", async (ctx) => {
  const txId = "b".repeat(64);
  await ctx.db.orm.em.fork().transactional(async (em) => {
    // The indexer looked and found nothing: its snapshot is taken before the consumer's insert commits.
    assert.is(await em.findOne(ChainTransactionEntity, { txId }), null);
    const consumer = ctx.db.orm.em.fork();
    consumer.create(ChainTransactionEntity, {
      txId,
      function: "voting:CastVote",
      creatorId: "user-1",
      status: TxStatus.PENDING,
      validationCode: null,
      blockNumber: null,
      createdAt: new Date(),
      committedAt: null,
    });
    await consumer.flush();
    await recordForeignCommit(em, txId, 7, "CastVote", newClock());
  });
  const row = await ctx.db.orm.em.fork().findOneOrFail(ChainTransactionEntity, { txId });
  assert.is(row.status, TxStatus.COMMITTED);
  assert.is(row.validationCode, "VALID");
  assert.is(row.blockNumber, 7);
  assert.ok(row.committedAt);
  assert.is(row.function, "voting:CastVote");
  assert.is(row.creatorId, "user-1");
});

test.run();
