import { suite } from "uvu";
import * as assert from "uvu/assert";
import { verifyCommandEntry } from "../src/command-auth.js";
import { createCommandConsumer } from "../src/command-consumer.js";
import { applyOnce } from "../src/idempotency.js";
import { createMetrics } from "../src/metrics.js";
import type { OrmHandle } from "../src/orm.js";
import { OutboxCommand } from "../src/outbox.entity.js";
import { enqueueCommand, purgeRelayedCommands } from "../src/outbox.js";
import { createOutboxRelay } from "../src/outbox-relay.js";
import { parseEntryList, StreamKind, streamKey } from "../src/streams.js";
import { Effect } from "./fixtures/effect.entity.js";
import { testOrm, testRedis, waitFor } from "./helpers.js";

interface Context {
  orm: OrmHandle;
  redis: Awaited<ReturnType<typeof testRedis>>;
}
const Relay = suite<Context>("outbox relay", {} as Context);
const domain = "ledger";

Relay.before(async (context) => {
  context.orm = await testOrm("relay", [Effect]);
  context.redis = await testRedis("relay");
});
Relay.after(async ({ orm, redis }) => {
  await orm.dispose();
  await redis.dispose();
});
Relay.before.each(async ({ orm, redis }) => {
  await orm.fork().nativeDelete(OutboxCommand, {});
  await orm.fork().nativeDelete(Effect, {});
  await redis.client.del(streamKey(StreamKind.command, domain, redis.namespace));
});

Relay("records a command with its business row, or neither", async ({ orm }) => {
  await orm.fork().transactional(async (em) => {
    em.create(Effect, { commandId: "c-ok", appliedBy: "mutation" });
    await enqueueCommand(em, { domain, type: "Deposit", commandId: "c-ok", payload: { amount: "100" } });
  });
  await orm
    .fork()
    .transactional(async (em) => {
      em.create(Effect, { commandId: "c-bad", appliedBy: "mutation" });
      await enqueueCommand(em, { domain, type: "Deposit", commandId: "c-bad", payload: {} });
      await em.flush();
      throw new Error("validation failed after the insert");
    })
    .catch(() => {});
  const em = orm.fork();
  assert.equal(
    (await em.find(OutboxCommand, {})).map((c) => c.commandId),
    ["c-ok"],
  );
  assert.equal(
    (await em.find(Effect, {})).map((e) => e.commandId),
    ["c-ok"],
  );
});

Relay("a retried mutation with the same command id records nothing new", async ({ orm }) => {
  const first = await orm
    .fork()
    .transactional((em) => enqueueCommand(em, { domain, type: "Deposit", commandId: "c-1", payload: { n: 1 } }));
  const again = await orm
    .fork()
    .transactional((em) => enqueueCommand(em, { domain, type: "Deposit", commandId: "c-1", payload: { n: 1 } }));
  assert.is(first.duplicate, false);
  assert.is(again.duplicate, true);
  assert.is(await orm.fork().count(OutboxCommand, {}), 1);
});

Relay("delivers each command once in effect when the relay dies mid-batch and restarts", async ({ orm, redis }) => {
  const total = 25;
  for (let i = 0; i < total; i++) {
    await orm
      .fork()
      .transactional((em) =>
        enqueueCommand(em, { domain, type: "Deposit", commandId: `cmd-${i}`, payload: { amount: String(i) } }),
      );
  }
  let batches = 0;
  const dying = createOutboxRelay({
    orm,
    redis: redis.client,
    namespace: redis.namespace,
    batchSize: 10,
    afterAppend: () => {
      // The second batch reaches Redis, then the process "dies" before marking its rows.
      if (++batches === 2) throw new Error("killed mid-batch");
    },
  });
  assert.is(await dying.relayOnce(), 10);
  await dying.relayOnce().catch(() => {});
  await dying.dispose();
  const stream = streamKey(StreamKind.command, domain, redis.namespace);
  assert.is(await redis.client.xlen(stream), 20);
  assert.is(await orm.fork().count(OutboxCommand, { relayedAt: null }), 15);

  const metrics = createMetrics("kit-test", { defaultMetrics: false });
  const restarted = createOutboxRelay({ orm, redis: redis.client, namespace: redis.namespace, batchSize: 10, metrics });
  while ((await restarted.relayOnce()) > 0) {}
  await restarted.dispose();
  assert.is(await redis.client.xlen(stream), total + 10, "the dead batch went out twice");
  assert.is(await orm.fork().count(OutboxCommand, { relayedAt: null }), 0);
  const relayed = await metrics.outboxRelayed.get();
  assert.is(relayed.values[0]?.value, 15, "only committed batches are counted");

  const consumer = createCommandConsumer({
    redis: redis.client,
    domain,
    namespace: redis.namespace,
    group: "relay-test",
    consumer: "c1",
    blockMs: 50,
    handle: async (command) => {
      await applyOnce(orm, "relay-test", command.commandId, async (em) => {
        em.create(Effect, { commandId: command.commandId, appliedBy: "c1" });
      });
    },
  });
  await consumer.start();
  await waitFor("every entry acked", async () => consumer.stats.handled === total + 10);
  await consumer.dispose();
  const effects = await orm.fork().find(Effect, {});
  assert.is(effects.length, total, "each command applied once");
  assert.is(new Set(effects.map((e) => e.commandId)).size, total);
});

Relay("two relay replicas never append the same row", async ({ orm, redis }) => {
  const total = 120;
  for (let i = 0; i < total; i++) {
    await orm
      .fork()
      .transactional((em) => enqueueCommand(em, { domain, type: "Vote", commandId: `r-${i}`, payload: {} }));
  }
  const replicas = [1, 2].map(() =>
    createOutboxRelay({ orm, redis: redis.client, namespace: redis.namespace, batchSize: 7 }),
  );
  const moved = await Promise.all(
    replicas.map(async (relay) => {
      let count = 0;
      for (let n = await relay.relayOnce(); n > 0; n = await relay.relayOnce()) count += n;
      return count;
    }),
  );
  await Promise.all(replicas.map((relay) => relay.dispose()));
  assert.is((moved[0] ?? 0) + (moved[1] ?? 0), total);
  assert.ok((moved[0] ?? 0) > 0 && (moved[1] ?? 0) > 0, `both replicas worked: ${moved.join(" + ")}`);
  const entries = await redis.client.xrange(streamKey(StreamKind.command, domain, redis.namespace), "-", "+");
  assert.is(entries.length, total);
  assert.is(new Set(entries.map(([, fields]) => fields[1])).size, total);
});

Relay("relays right after a kick instead of waiting for the next poll", async ({ orm, redis }) => {
  const relay = createOutboxRelay({ orm, redis: redis.client, namespace: redis.namespace, pollIntervalMs: 60_000 });
  relay.start();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the loop is now asleep
  await orm
    .fork()
    .transactional((em) => enqueueCommand(em, { domain, type: "Vote", commandId: "kicked", payload: {} }));
  const started = Date.now();
  relay.kick();
  const stream = streamKey(StreamKind.command, domain, redis.namespace);
  await waitFor("the kicked command in the stream", async () => (await redis.client.xlen(stream)) === 1, 2000);
  assert.ok(Date.now() - started < 1000);
  await relay.dispose();
  const [entry] = await redis.client.xrange(stream, "-", "+");
  const fields = entry?.[1] ?? [];
  assert.equal(fields.slice(0, 4), ["id", "kicked", "type", "Vote"]);
  assert.is(fields[5], "{}");
});

Relay("purges relayed rows past retention, never unrelayed ones", async ({ orm }) => {
  const day = 24 * 3600 * 1000;
  const now = Date.UTC(2026, 10, 22);
  await orm.fork().transactional(async (em) => {
    em.create(OutboxCommand, {
      domain,
      type: "Old",
      commandId: "old-relayed",
      payload: "{}",
      createdAt: new Date(now - 9 * day),
      relayedAt: new Date(now - 9 * day),
    });
    em.create(OutboxCommand, {
      domain,
      type: "Old",
      commandId: "old-unrelayed",
      payload: "{}",
      createdAt: new Date(now - 9 * day),
    });
    em.create(OutboxCommand, {
      domain,
      type: "New",
      commandId: "new-relayed",
      payload: "{}",
      createdAt: new Date(now - day),
      relayedAt: new Date(now - day),
    });
  });
  assert.is(await purgeRelayedCommands(orm.fork(), new Date(now - 7 * day)), 1);
  const left = (await orm.fork().find(OutboxCommand, {}, { orderBy: { id: "asc" } })).map((c) => c.commandId);
  assert.equal(left, ["old-unrelayed", "new-relayed"]);
});

Relay("signs each entry with the producing service's key, over its stream and fields", async ({ orm, redis }) => {
  await orm
    .fork()
    .transactional((em) =>
      enqueueCommand(em, { domain, type: "ledger:ApproveDeposit", commandId: "c-signed", payload: { txId: "t" } }),
    );
  const key = Buffer.from("r".repeat(40));
  const relay = createOutboxRelay({
    orm,
    redis: redis.client,
    namespace: redis.namespace,
    signing: { service: "ledger", key },
  });
  assert.is(await relay.relayOnce(), 1);
  await relay.dispose();
  const [entry] = parseEntryList(
    await redis.client.xrange(streamKey(StreamKind.command, domain, redis.namespace), "-", "+"),
  );
  const fields = entry?.fields ?? {};
  assert.is(fields.svc, "ledger");
  assert.is(verifyCommandEntry(new Map([["ledger", key]]), domain, fields), "ledger");
  assert.throws(() => verifyCommandEntry(new Map([["ledger", Buffer.from("x".repeat(40))]]), domain, fields));
});

Relay.run();
