// npm run bench:fanout [-- levels=1000,5000,10000 events=10 --dry]
// N graphql-ws subscribers on one ballot tally, spread over a few client processes on this machine;
// one gateway process (the realtime layer over an ApolloGateway with two fixture subgraphs) and
// real Redis. Reports delivered fraction, event-to-client latency, gateway and client CPU per
// message and memory per connection, and records them in docs/benchmarks.md (not with BENCH_RECORD=0).
import { type ChildProcess, fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Redis } from "ioredis";
import type { Registry } from "prom-client";
import { compose, startFixtureGateway } from "../test/realtime/fixture-gateway.js";
import { emptyStore, startFixtureSubgraphs } from "../test/realtime/fixture-subgraphs.js";
import { appendEvent, deleteStreams, sleep } from "../test/realtime/helpers.js";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
/** `--dry`: print, do not record in docs/benchmarks.md. */
const dry = process.argv.includes("--dry");
const levels = (args[0] ?? "1000,5000,10000").split(",").map(Number);
const eventsPerLevel = Number(args[1] ?? 10);
const clientsPerProcess = 2_500;
const eventGapMs = 1_000;
const query = `subscription LiveTally { voteTallyChanged(ballotId: "b1") { ballotId approve reject } }`;

type Reply =
  | { kind: "ready" }
  | { kind: "connected"; count: number }
  | { kind: "count"; count: number; messages: number; cpuUs: number }
  | { kind: "report"; received: [number, number[]][] };

interface Worker {
  child: ChildProcess;
  next(kind: Reply["kind"]): Promise<Reply>;
}

function startWorker(): Promise<Worker> {
  const child = fork(fileURLToPath(new URL("./fanout-client.ts", import.meta.url)), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting: { kind: string; resolve: (reply: Reply) => void }[] = [];
  child.on("message", (reply: Reply) => {
    const index = waiting.findIndex((w) => w.kind === reply.kind);
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(reply);
  });
  const next = (kind: Reply["kind"]) =>
    new Promise<Reply>((resolve, reject) => {
      waiting.push({ kind, resolve });
      setTimeout(() => reject(new Error(`worker did not answer ${kind} in 120 s`)), 120_000).unref();
    });
  const ready = next("ready");
  return ready.then(() => ({ child, next }));
}

/** Over all client processes: tally pushes received since the last report, messages read and CPU time (cumulative). */
async function clientTotals(workers: Worker[]): Promise<{ count: number; messages: number; cpuUs: number }> {
  const totals = { count: 0, messages: 0, cpuUs: 0 };
  for (const worker of workers) {
    const reply = worker.next("count");
    worker.child.send({ kind: "count" });
    const { count, messages, cpuUs } = (await reply) as Extract<Reply, { kind: "count" }>;
    totals.count += count;
    totals.messages += messages;
    totals.cpuUs += cpuUs;
  }
  return totals;
}

/** Sum and count of the gateway's event-lag histogram: event append → last frame written, per group. */
async function lagTotals(registry: Registry): Promise<{ sum: number; count: number }> {
  const metric = await registry.getSingleMetric("clearbook_realtime_event_lag_seconds")?.get();
  // Histogram values carry their series name (`…_sum`, `…_count`, `…_bucket`).
  const values = (metric?.values ?? []) as { value: number; metricName?: string }[];
  const value = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
  return { sum: value("_sum"), count: value("_count") };
}

// Memory per connection is measured after a full collection; expose gc even without --expose-gc.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN);

async function main() {
  const store = emptyStore();
  store.entries.set("e1", { id: "e1", eventName: "Bench", amount: "1" });
  store.ballots.set("b1", { id: "b1", entryId: "e1", status: "OPEN", approve: 0, reject: 0, memo: "" });
  const subgraphs = await startFixtureSubgraphs(store);
  const prefix = `test:gateway-realtime:bench:${randomUUID().slice(0, 8)}:`;
  const redis = new Redis({ host: "127.0.0.1", port: 6379 });
  const gateway = await startFixtureGateway({
    supergraphSdl: compose(subgraphs.subgraphs),
    // Every client runs on this machine, so the per-IP connection limit is off for the benchmark.
    options: { streamPrefix: prefix, maxConnectionsPerIp: 0 },
  });
  const workers: Worker[] = [];
  const rows: string[] = [];
  let connected = 0;
  let seq = 0;
  gc();
  const baseline = process.memoryUsage();
  try {
    for (const level of levels) {
      // Top up to `level` subscribers, filling each worker to `clientsPerProcess`.
      while (connected < level) {
        let worker = workers.at(-1);
        const room = worker ? clientsPerProcess * workers.length - connected : 0;
        if (!worker || room === 0) {
          worker = await startWorker();
          workers.push(worker);
        }
        const count = Math.min(level - connected, clientsPerProcess * workers.length - connected);
        const done = worker.next("connected");
        worker.child.send({ kind: "connect", url: gateway.url, count, query });
        await done;
        connected += count;
      }
      await sleep(1_000);
      gc();
      const memory = process.memoryUsage();
      const at = new Map<number, number>();
      const clientsBefore = await clientTotals(workers);
      const cpuBefore = process.cpuUsage();
      const lagBefore = await lagTotals(gateway.metrics);
      for (let i = 0; i < eventsPerLevel; i++) {
        seq += 1;
        const ballot = store.ballots.get("b1");
        if (ballot) ballot.approve = seq;
        at.set(seq, Date.now());
        await appendEvent(redis, prefix, "voting", "VoteTallyChanged", { ballotId: "b1", orgId: "o1" });
        await sleep(eventGapMs);
      }
      // Wait for the stragglers (up to 10 s), so a slow last push counts as late, not as lost.
      const expected = level * eventsPerLevel;
      let clientsAfter = clientsBefore;
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(250)) {
        clientsAfter = await clientTotals(workers);
        if (clientsAfter.count >= expected) break;
      }
      const cpu = process.cpuUsage(cpuBefore);
      const lagAfter = await lagTotals(gateway.metrics);
      const serverMs = ((lagAfter.sum - lagBefore.sum) / Math.max(1, lagAfter.count - lagBefore.count)) * 1000;
      const latencies: number[] = [];
      for (const worker of workers) {
        const reply = worker.next("report");
        worker.child.send({ kind: "report" });
        const report = (await reply) as Extract<Reply, { kind: "report" }>;
        for (const [eventSeq, times] of report.received) {
          const sent = at.get(eventSeq);
          if (sent !== undefined) for (const t of times) latencies.push(t - sent);
        }
      }
      latencies.sort((a, b) => a - b);
      const row = {
        clients: level,
        delivered: latencies.length / expected,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1) ?? Number.NaN,
        serverMs: serverMs.toFixed(0),
        load: loadavg()[0]?.toFixed(1),
        cpuPerMessageUs: ((cpu.user + cpu.system) / Math.max(1, latencies.length)).toFixed(1),
        clientCpuPerMessageUs: (
          (clientsAfter.cpuUs - clientsBefore.cpuUs) /
          Math.max(1, clientsAfter.messages - clientsBefore.messages)
        ).toFixed(1),
        heapPerConnKiB: ((memory.heapUsed - baseline.heapUsed) / level / 1024).toFixed(1),
        rssPerConnKiB: ((memory.rss - baseline.rss) / level / 1024).toFixed(1),
      };
      console.log(JSON.stringify(row));
      rows.push(
        `| ${row.clients} | ${(row.delivered * 100).toFixed(2)} % | ${row.p50} | ${row.p99} | ${row.max} | ${row.serverMs} | ${row.cpuPerMessageUs} | ${row.clientCpuPerMessageUs} | ${row.heapPerConnKiB} | ${row.rssPerConnKiB} | ${row.load} |`,
      );
    }
  } finally {
    for (const worker of workers) worker.child.send({ kind: "exit" });
    await gateway.dispose();
    await subgraphs.stop();
    await deleteStreams(redis, prefix);
    redis.disconnect();
  }
  const body = [
    `${eventsPerLevel} VoteTallyChanged events, ${eventGapMs} ms apart, to N subscribers of one \`voteTallyChanged(ballotId)\` subscription`,
    `(one group: one refetch through the ApolloGateway and one serialization per event). One gateway process;`,
    `clients are graphql-transport-ws sockets (a minimal WebSocket client over TCP, random subscription ids) in ${Math.ceil(Math.max(...levels) / clientsPerProcess)} processes on the same machine.`,
    `Latency: event \`at\` (XADD) → the client's message event. Gateway fan-out: event \`at\` → the last socket write for the event`,
    `(mean; the rest of the latency is the clients' own processing on the shared cores). CPU: the gateway process (also hosting`,
    `the two fixture subgraphs) per delivered message; client CPU: all client processes per message received. Load avg: the machine's 1-minute load when the level finished (2 cores, shared).`,
    "",
    "| clients | delivered | p50 ms | p99 ms | max ms | gateway fan-out ms | gateway CPU µs/msg | client CPU µs/msg | heap KiB/conn | RSS KiB/conn | load avg |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
  if (dry) return console.log(body);
  const recorder = fileURLToPath(new URL("../../ops/bench/record.mjs", import.meta.url));
  const { recordBenchmark, recordedWhere } = (await import(recorder)) as {
    recordBenchmark: (name: string, body: string) => Promise<string | undefined>;
    recordedWhere: (file: string | undefined) => string;
  };
  console.log(recordedWhere(await recordBenchmark("fanout", body)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
