import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { signCommandEntry, verifyCommandEntry } from "../src/command-auth.js";
import { createCommandConsumer } from "../src/command-consumer.js";
import { PermanentError } from "../src/command-entry.js";
import { parseConsumers, pruneIdleConsumers } from "../src/consumer-pruning.js";
import { discardDeadLetter, listDeadLetters, retryDeadLetter } from "../src/dead-letter.js";
import { createRedisDedupe } from "../src/idempotency.js";
import { createMetrics } from "../src/metrics.js";
import type { OrmHandle } from "../src/orm.js";
import { parseReadReply, StreamKind, streamKey } from "../src/streams.js";
import { Effect } from "./fixtures/effect.entity.js";
import { MYSQL_URL, REDIS_URL, testOrm, testRedis, waitFor } from "./helpers.js";

interface Context {
  orm: OrmHandle;
  redis: Awaited<ReturnType<typeof testRedis>>;
}
const Consumer = suite<Context>("stream consumer", {} as Context);
let domainSeq = 0;

Consumer.before(async (context) => {
  context.orm = await testOrm("consumer", [Effect]);
  context.redis = await testRedis("consumer");
});
Consumer.after(async ({ orm, redis }) => {
  await orm.dispose();
  await redis.dispose();
});

/** A fresh domain per test, so streams and groups never carry over. */
function nextDomain(): string {
  return `d${++domainSeq}`;
}

async function addCommand(context: Context, domain: string, commandId: string, payload = "{}") {
  const stream = streamKey(StreamKind.command, domain, context.redis.namespace);
  return context.redis.client.xadd(stream, "*", "id", commandId, "type", "Test", "payload", payload, "at", "1");
}

async function deadLetters(context: Context, domain: string): Promise<Array<Record<string, string>>> {
  const entries = await context.redis.client.xrange(
    streamKey(StreamKind.deadLetter, domain, context.redis.namespace),
    "-",
    "+",
  );
  return entries.map(([, fields]) => {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i] ?? ""] = fields[i + 1] ?? "";
    return record;
  });
}

async function pendingCount(context: Context, domain: string, group: string): Promise<number> {
  const summary = (await context.redis.client.xpending(
    streamKey(StreamKind.command, domain, context.redis.namespace),
    group,
  )) as unknown[];
  return Number(summary[0]);
}

Consumer("entries of a consumer killed mid-handler are claimed and applied once by another", async (context) => {
  const { orm, redis } = context;
  const domain = nextDomain();
  const group = "crash-test";
  const total = 10;
  for (let i = 0; i < total; i++) await addCommand(context, domain, `${domain}-cmd-${i}`);

  const node = fileURLToPath(new URL("../../../node_modules/.bin/node", import.meta.url));
  const fixture = fileURLToPath(new URL("./fixtures/slow-consumer.fixture.ts", import.meta.url));
  const child: ChildProcess = spawn(node, ["--import", "tsx", fixture], {
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      MYSQL_URL,
      REDIS_URL,
      KIT_TEST_DB: orm.orm.config.get("dbName"),
      KIT_TEST_DOMAIN: domain,
      KIT_TEST_NAMESPACE: redis.namespace,
      KIT_TEST_GROUP: group,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const started: string[] = [];
    child.stdout?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.startsWith("started ")) started.push(line.slice(8));
    });
    await waitFor("the doomed consumer to hold 4 entries", () => started.length >= 4, 15_000);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    let survivorRuns = 0;
    const survivor = createCommandConsumer({
      redis: redis.client,
      domain,
      namespace: redis.namespace,
      group,
      consumer: "survivor",
      blockMs: 50,
      claimIdleMs: 300,
      claimIntervalMs: 100,
      orm,
      handle: async (command, { once }) => {
        survivorRuns++;
        await once(async (em) => {
          em.create(Effect, { commandId: command.commandId, appliedBy: "survivor" });
        });
      },
    });
    await survivor.start();
    await waitFor(
      "every entry acked",
      async () => (await pendingCount(context, domain, group)) === 0 && survivorRuns >= total - 4,
    );
    await waitFor("the group drained", () => survivor.stats.handled === survivorRuns);
    await survivor.dispose();

    assert.ok(survivor.stats.claimed >= 4, `claimed ${survivor.stats.claimed} entries from the dead consumer`);
    const effects = await orm.fork().find(Effect, { commandId: { $like: `${domain}-%` } });
    const perCommand = new Map<string, number>();
    for (const effect of effects) perCommand.set(effect.commandId, (perCommand.get(effect.commandId) ?? 0) + 1);
    assert.is(perCommand.size, total, "every command applied");
    assert.ok(
      [...perCommand.values()].every((n) => n === 1),
      "no command applied twice",
    );
    const byDoomed = effects.filter((e) => e.appliedBy === "doomed").map((e) => e.commandId);
    assert.ok(byDoomed.length >= 1, "the commands it committed before dying stayed applied, not redone");
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

Consumer("an entry that keeps failing lands in the dead-letter stream after N deliveries", async (context) => {
  const domain = nextDomain();
  await addCommand(context, domain, "always-fails");
  const metrics = createMetrics("kit-test", { defaultMetrics: false });
  let calls = 0;
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    claimIdleMs: 50,
    claimIntervalMs: 20,
    maxDeliveries: 3,
    metrics,
    handle: async () => {
      calls++;
      throw new Error("ledger is offline");
    },
  });
  await consumer.start();
  await waitFor("a dead letter", async () => (await deadLetters(context, domain)).length === 1);
  await consumer.dispose();
  const [letter] = await deadLetters(context, domain);
  assert.is(calls, 3);
  assert.is(letter?.commandId, "always-fails");
  assert.is(letter?.reason, "ledger is offline");
  assert.is(letter?.attempts, "3");
  assert.is(letter?.consumer, "c1");
  assert.is(letter?.type, "Test", "the original fields travel along, so an admin can retry");
  assert.is(await pendingCount(context, domain, "g"), 0, "acked once dead-lettered");
  const outcomes = Object.fromEntries(
    (await metrics.streamEntries.get()).values.map((v) => [String(v.labels.outcome), v.value]),
  );
  assert.equal(outcomes, { failed: 3, claimed: 2, dead_lettered: 1 });
});

Consumer("a permanent error goes to the dead-letter stream at once", async (context) => {
  const domain = nextDomain();
  await addCommand(context, domain, "refused");
  let calls = 0;
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    handle: async () => {
      calls++;
      throw new PermanentError("balance would go negative");
    },
  });
  await consumer.start();
  await waitFor("a dead letter", async () => (await deadLetters(context, domain)).length === 1);
  await consumer.dispose();
  const [letter] = await deadLetters(context, domain);
  assert.is(calls, 1);
  assert.is(letter?.attempts, "1");
  assert.is(letter?.reason, "balance would go negative");
});

Consumer("onDeadLetter hears of each dead letter first; while it fails the entry stays pending", async (context) => {
  const domain = nextDomain();
  await addCommand(context, domain, "refused-with-hook", '{"amount":"5"}');
  const heard: Array<{ commandId: string | undefined; payload: unknown; reason: string }> = [];
  let hookFailures = 1;
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    claimIdleMs: 50,
    claimIntervalMs: 20,
    maxDeliveries: 5,
    handle: async () => {
      throw new PermanentError("refused");
    },
    onDeadLetter: async (letter) => {
      heard.push({ commandId: letter.commandId, payload: letter.message?.payload, reason: letter.reason });
      if (hookFailures-- > 0) throw new Error("the outcome stream is down");
    },
  });
  await consumer.start();
  await waitFor("a dead letter", async () => (await deadLetters(context, domain)).length === 1);
  await consumer.dispose();
  assert.is(heard.length, 2, "called again after its first failure left the entry pending");
  assert.equal(heard[1], { commandId: "refused-with-hook", payload: { amount: "5" }, reason: "refused" });
  assert.is(await pendingCount(context, domain, "g"), 0);
});

Consumer("an unreadable entry is dead-lettered without reaching the handler", async (context) => {
  const domain = nextDomain();
  await addCommand(context, domain, "garbled", "{not json");
  let calls = 0;
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    handle: async () => {
      calls++;
    },
  });
  await consumer.start();
  await waitFor("a dead letter", async () => (await deadLetters(context, domain)).length === 1);
  await consumer.dispose();
  assert.is(calls, 0);
  assert.match((await deadLetters(context, domain))[0]?.reason ?? "", /not JSON/);
});

Consumer("skips a command id it has already handled (Redis dedupe)", async (context) => {
  const domain = nextDomain();
  await addCommand(context, domain, "twice");
  await addCommand(context, domain, "twice");
  const seen: string[] = [];
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    concurrency: 1,
    dedupe: createRedisDedupe(context.redis.client, `${context.redis.namespace}dedupe:${domain}`, 60),
    handle: async (command) => {
      seen.push(command.commandId);
    },
  });
  await consumer.start();
  await waitFor("both entries settled", () => consumer.stats.handled + consumer.stats.duplicates === 2);
  await consumer.dispose();
  assert.equal(seen, ["twice"]);
  assert.is(consumer.stats.duplicates, 1);
});

Consumer("shutdown waits for running handlers and leaves unfinished ones pending", async (context) => {
  const domain = nextDomain();
  await addCommand(context, domain, "quick");
  await addCommand(context, domain, "stuck");
  const consumer = createCommandConsumer({
    redis: context.redis.client,
    domain,
    namespace: context.redis.namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    shutdownTimeoutMs: 200,
    handle: async (command, { signal }) => {
      const ms = command.commandId === "quick" ? 50 : 5000;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => clearTimeout(timer));
      });
    },
  });
  await consumer.start();
  await waitFor("both entries delivered", async () => (await pendingCount(context, domain, "g")) === 2, 2000);
  const started = Date.now();
  await consumer.dispose();
  assert.ok(Date.now() - started < 1000, "bounded by shutdownTimeoutMs");
  assert.is(consumer.stats.handled, 1, "the quick one finished and was acked");
  assert.is(await pendingCount(context, domain, "g"), 1, "the stuck one is left for another consumer");
});

Consumer("an admin can retry a dead letter (same command id) or discard it", async (context) => {
  const domain = nextDomain();
  const { client, namespace } = context.redis;
  await addCommand(context, domain, "retry-me", '{"amount":"5"}');
  await addCommand(context, domain, "drop-me");
  let offline = true;
  const applied: string[] = [];
  const consumer = createCommandConsumer({
    redis: client,
    domain,
    namespace,
    group: "g",
    consumer: "c1",
    blockMs: 20,
    handle: async (command) => {
      if (offline) throw new PermanentError("payout provider refused");
      applied.push(`${command.commandId}:${JSON.stringify(command.payload)}`);
    },
  });
  await consumer.start();
  await waitFor("two dead letters", async () => (await listDeadLetters(client, domain, { namespace })).length === 2);
  const [retry, drop] = await listDeadLetters(client, domain, { namespace });
  assert.is(retry?.commandId, "retry-me");
  assert.is(retry?.reason, "payout provider refused");
  offline = false;
  assert.ok(await retryDeadLetter(client, domain, retry?.id ?? "", { namespace }));
  assert.ok(await discardDeadLetter(client, domain, drop?.id ?? "", { namespace }));
  await waitFor("the retried command applied", () => applied.length === 1);
  await consumer.dispose();
  assert.equal(applied, ['retry-me:{"amount":"5"}']);
  assert.equal(await listDeadLetters(client, domain, { namespace }), []);
  assert.is(await retryDeadLetter(client, domain, "1-1", { namespace }), null);
});

Consumer(
  "a retried dead letter keeps its producer's signature, so a verifying consumer still accepts it",
  async (context) => {
    const domain = nextDomain();
    const { client, namespace } = context.redis;
    const keys = new Map([["ledger", Buffer.from("q".repeat(32))]]);
    const fields = { id: "signed-retry", type: "Test", payload: "{}", at: "1" };
    await client.xadd(
      streamKey(StreamKind.command, domain, namespace),
      "*",
      ...Object.entries(fields).flat(),
      ...signCommandEntry({ service: "ledger", key: keys.get("ledger") ?? Buffer.alloc(0) }, domain, fields),
    );
    let offline = true;
    const applied: string[] = [];
    const consumer = createCommandConsumer({
      redis: client,
      domain,
      namespace,
      group: "g",
      consumer: "c1",
      blockMs: 20,
      verify: (entry) => verifyCommandEntry(keys, domain, entry),
      handle: async (command) => {
        if (offline) throw new PermanentError("not yet");
        applied.push(`${command.commandId}:${command.producer}`);
      },
    });
    await consumer.start();
    await waitFor("the dead letter", async () => (await listDeadLetters(client, domain, { namespace })).length === 1);
    const [letter] = await listDeadLetters(client, domain, { namespace });
    offline = false;
    assert.ok(await retryDeadLetter(client, domain, letter?.id ?? "", { namespace }));
    await waitFor("the retried command applied", () => applied.length === 1);
    await consumer.dispose();
    assert.equal(applied, ["signed-retry:ledger"]);
  },
);

Consumer("removes consumers that left the group with nothing pending", async (context) => {
  const domain = nextDomain();
  const { client, namespace } = context.redis;
  const stream = streamKey(StreamKind.command, domain, namespace);
  await client.xgroup("CREATE", stream, "g", "0", "MKSTREAM");
  await addCommand(context, domain, "a");
  await addCommand(context, domain, "b");
  // "gone-clean" read and acked its entry; "gone-holding" died holding one.
  const [clean] = parseReadReply(
    await client.xreadgroup("GROUP", "g", "gone-clean", "COUNT", 1, "STREAMS", stream, ">"),
  );
  await client.xack(stream, "g", clean?.id ?? "");
  await client.xreadgroup("GROUP", "g", "gone-holding", "COUNT", 1, "STREAMS", stream, ">");
  await new Promise((resolve) => setTimeout(resolve, 30));
  const removed = await pruneIdleConsumers(client, stream, "g", { idleMs: 20, except: "me" });
  assert.equal(removed, ["gone-clean"]);
  const left = parseConsumers(await client.xinfo("CONSUMERS", stream, "g")).map((c) => c.name);
  assert.equal(left, ["gone-holding"]);
});

Consumer.run();
