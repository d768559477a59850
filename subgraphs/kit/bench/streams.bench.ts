/**
 * Throughput and latency of the reliable-command path on the local MariaDB and Redis:
 * enqueue (one transaction per command), relay, consume with applyOnce, and enqueue→handled latency
 * with a kicked relay. `npm run bench -w @clearbook/kit` prints a markdown table;
 * `-- --record` also writes it to docs/benchmarks.md.
 */
import { createCommandConsumer } from "../src/command-consumer.js";
import { applyOnce } from "../src/idempotency.js";
import { createOrm, dropTestDatabase, syncSchemaForTests } from "../src/orm.js";
import { enqueueCommand } from "../src/outbox.js";
import { createOutboxRelay } from "../src/outbox-relay.js";
import { createRedis } from "../src/redis.js";
import { Effect } from "../test/fixtures/effect.entity.js";

const N = Number(process.env.BENCH_COMMANDS ?? 2000);
const mysqlUrl = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const dbName = `clearbook_test_kit_bench_${process.pid}`;
const namespace = `test:kit:bench:${process.pid}:`;
const orm = await createOrm({ mysqlUrl, dbName, entities: [Effect] });
await syncSchemaForTests(orm.orm);
const redis = await createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", "kit-bench");
const rows: Array<[string, string]> = [];
const rate = (count: number, ms: number) => `${Math.round((count / ms) * 1000)}/s`;

try {
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    await orm.fork().transactional(async (em) => {
      em.create(Effect, { commandId: `b-${i}`, appliedBy: "mutation" });
      await enqueueCommand(em, { domain: "bench", type: "Bench", commandId: `b-${i}`, payload: { i: String(i) } });
    });
  }
  rows.push([
    `enqueue (business row + outbox row, one transaction each, sequential), ${N} commands`,
    rate(N, performance.now() - t),
  ]);

  const relay = createOutboxRelay({ orm, redis: redis.client, namespace, batchSize: 100 });
  t = performance.now();
  while ((await relay.relayOnce()) > 0) {}
  rows.push([`relay (batches of 100, XADD pipeline + mark), ${N} commands`, rate(N, performance.now() - t)]);

  for (const concurrency of [1, 8]) {
    const group = `bench-${concurrency}`;
    const consumer = createCommandConsumer({
      redis: redis.client,
      domain: "bench",
      namespace,
      group,
      consumer: "c1",
      concurrency,
      blockMs: 100,
      handle: async (command) => {
        await applyOnce(orm, group, command.commandId, async (em) => {
          em.create(Effect, { commandId: command.commandId, appliedBy: group });
        });
      },
    });
    t = performance.now();
    await consumer.start();
    while (consumer.stats.handled < N) await new Promise((resolve) => setTimeout(resolve, 5));
    rows.push([
      `consume with applyOnce (effect + mark in one transaction), concurrency ${concurrency}`,
      rate(N, performance.now() - t),
    ]);
    await consumer.dispose();
  }

  // Latency: enqueue, commit, kick; measured until the handler ran.
  const started = new Map<string, number>();
  const latencies: number[] = [];
  relay.start();
  const consumer = createCommandConsumer({
    redis: redis.client,
    domain: "latency",
    namespace,
    group: "lat",
    consumer: "c1",
    blockMs: 1000,
    handle: async (command) => {
      latencies.push(performance.now() - (started.get(command.commandId) ?? 0));
    },
  });
  await consumer.start();
  const M = 200;
  for (let i = 0; i < M; i++) {
    const id = `l-${i}`;
    started.set(id, performance.now());
    await orm
      .fork()
      .transactional((em) => enqueueCommand(em, { domain: "latency", type: "Bench", commandId: id, payload: {} }));
    relay.kick();
    while (latencies.length <= i) await new Promise((resolve) => setImmediate(resolve));
  }
  await consumer.dispose();
  await relay.dispose();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => `${(latencies[Math.min(M - 1, Math.floor((p / 100) * M))] ?? 0).toFixed(1)} ms`;
  rows.push([`enqueue → handled with a kicked relay (sequential, ${M} commands): p50`, pct(50)]);
  rows.push(["… p99", pct(99)]);
} finally {
  const keys = await redis.client.keys(`${namespace}*`);
  if (keys.length) await redis.client.del(...keys);
  await redis.dispose();
  await dropTestDatabase(orm.orm, dbName);
  await orm.dispose();
}

const table = ["| step | result |", "|---|---|", ...rows.map(([step, result]) => `| ${step} | ${result} |`)].join("\n");
process.stdout.write(`${table}\n`);
if (process.argv.includes("--record")) {
  // @ts-expect-error a plain .mjs helper without types
  const { recordBenchmark } = await import("../../../ops/bench/record.mjs");
  await recordBenchmark("kit", table, "npm run bench -w @clearbook/kit");
}
