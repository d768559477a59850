import { MikroORM } from "@mikro-orm/mariadb";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ChainCheckpoint, createSqlCheckpointer } from "../src/index.js";

const dbName = "clearbook_test_client_checkpoint";
const checkpoints = suite<{ orm: MikroORM }>("chain checkpoint in MySQL");

checkpoints.before(async (context) => {
  context.orm = await MikroORM.init({
    clientUrl: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306",
    dbName,
    entities: [ChainCheckpoint],
    allowGlobalContext: false,
    ensureDatabase: { create: true },
  });
  await context.orm.schema.drop();
  await context.orm.schema.create();
});

checkpoints.after(async ({ orm }) => {
  await orm.schema.dropDatabase(dbName);
  await orm.close();
});

checkpoints("starts empty, so the stream begins at the requested block", async ({ orm }) => {
  const checkpointer = await createSqlCheckpointer(orm.em, "fresh");
  assert.is(checkpointer.getBlockNumber(), undefined);
  assert.is(checkpointer.getTransactionId(), undefined);
});

checkpoints("resumes after the last event a previous process finished", async ({ orm }) => {
  const first = await createSqlCheckpointer(orm.em, "indexer");
  await first.checkpointChaincodeEvent({
    blockNumber: 7n,
    transactionId: "a".repeat(64),
    chaincodeName: "clearbook",
    eventName: "VotingVoteCast",
    payload: new Uint8Array(),
  });
  const restarted = await createSqlCheckpointer(orm.em, "indexer");
  assert.is(restarted.getBlockNumber(), 7n);
  assert.is(restarted.getTransactionId(), "a".repeat(64));
});

checkpoints("points at the next block once a whole block is done", async ({ orm }) => {
  const checkpointer = await createSqlCheckpointer(orm.em, "explorer");
  await checkpointer.checkpointBlock(41n);
  const restarted = await createSqlCheckpointer(orm.em, "explorer");
  assert.is(restarted.getBlockNumber(), 42n);
  assert.is(restarted.getTransactionId(), undefined);
});

checkpoints("commits with the read model's transaction, and not without it", async ({ orm }) => {
  const checkpointer = await createSqlCheckpointer(orm.em, "atomic");
  await checkpointer.checkpointBlock(1n);
  try {
    await orm.em.fork().transactional(async (em) => {
      await checkpointer.checkpointTransaction(5n, "b".repeat(64), em);
      throw new Error("read model update failed");
    });
  } catch {
    // the rollback is the point
  }
  await checkpointer.reload();
  assert.is(checkpointer.getBlockNumber(), 2n);
  await orm.em.fork().transactional((em) => checkpointer.checkpointTransaction(5n, "b".repeat(64), em));
  assert.is((await createSqlCheckpointer(orm.em, "atomic")).getTransactionId(), "b".repeat(64));
});

checkpoints("keeps separate positions per consumer name", async ({ orm }) => {
  const a = await createSqlCheckpointer(orm.em, "ledger-indexer");
  const b = await createSqlCheckpointer(orm.em, "voting-indexer");
  await a.checkpointBlock(10n);
  await b.checkpointBlock(20n);
  assert.is((await createSqlCheckpointer(orm.em, "ledger-indexer")).getBlockNumber(), 11n);
  assert.is((await createSqlCheckpointer(orm.em, "voting-indexer")).getBlockNumber(), 21n);
});

checkpoints.run();
