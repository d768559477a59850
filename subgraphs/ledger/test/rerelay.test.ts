import { randomBytes } from "node:crypto";
import { createOutboxRelay, enqueueCommand, parseEntryList } from "@clearbook/kit";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { rerelayWithoutOutcome } from "../src/chain/rerelay.js";
import { TxStatus } from "../src/chain/transactions.js";
import { ChainTransactionEntity } from "../src/db/chain-transaction.entity.js";
import { createTestDatabase, createTestRedis, newClock } from "./helpers.js";

const test = suite("a relayed command without an outcome is relayed again (decision 0301)");

test("re-sends only the command whose transaction has no outcome, and not before the wait is over", async () => {
  const db = await createTestDatabase("rerelay");
  const redis = await createTestRedis("rerelay");
  const clock = newClock();
  const relay = createOutboxRelay({ orm: db, redis: redis.client, namespace: redis.prefix, clock });
  try {
    const pending = randomBytes(32).toString("hex");
    const committed = randomBytes(32).toString("hex");
    await db.fork().transactional(async (em) => {
      for (const [commandId, txId, status] of [
        ["lost", pending, TxStatus.PENDING],
        ["done", committed, TxStatus.COMMITTED],
      ] as const) {
        await enqueueCommand(
          em,
          { domain: "ledger", type: "ledger:ApproveDeposit", commandId, payload: { txId } },
          clock,
        );
        em.create(ChainTransactionEntity, {
          txId,
          function: "ledger:ApproveDeposit",
          creatorId: "u",
          status,
          validationCode: null,
          blockNumber: null,
          createdAt: new Date(clock.now()),
          committedAt: null,
        });
      }
    });
    assert.is(await relay.relayOnce(), 2);
    clock.advance(30_000);
    assert.is(await rerelayWithoutOutcome(db, clock, 60_000), 0, "not yet: the signer may still be at it");
    clock.advance(31_000);
    assert.is(await rerelayWithoutOutcome(db, clock, 60_000), 1);
    assert.is(await relay.relayOnce(), 1);
    assert.is(await rerelayWithoutOutcome(db, clock, 60_000), 0, "just relayed again: the wait starts over");
    const ids = parseEntryList(await redis.client.xrange(`${redis.prefix}cmd:ledger`, "-", "+")).map(
      (e) => e.fields?.id,
    );
    assert.equal(ids, ["lost", "done", "lost"], "the same command id again: the signer dedupes by it");
  } finally {
    await relay.dispose();
    await redis.dispose();
    await db.dispose();
  }
});

test.run();
