/**
 * `npm run bench:chain`: committed transactions per second and commit latency through
 * command stream → signer → devpeer, sequential and with many commands in flight, plus the devpeer
 * alone (client → devpeer, no signer) and CPU seconds per process, so the figures say where time goes.
 * Everything runs in a scratch data dir, database `clearbook_test_signer_bench` and keys `bench:signer:*`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ChainClient,
  createChainClient,
  identityOf,
  loadConnectionProfile,
  privateKeySigner,
  type SigningIdentity,
} from "@clearbook/client";
import { type FabricNetwork, findFabric, startNetworkRetrying, waitUntilServing } from "@clearbook/fabric";
import {
  type CommandSigningKey,
  createOrm,
  createRedis,
  migrate,
  parseReadReply,
  signCommandEntry,
} from "@clearbook/kit";
import {
  createDevCaEnroller,
  createEnrollmentService,
  createKeyVault,
  createLocalKeyWrapper,
  signerEntities,
} from "../src/index.js";
import {
  cpuSeconds,
  mergeStages,
  type PhaseResult,
  percentile,
  pidOf,
  renderTables,
  type Stages,
  waitForLine,
} from "./bench-support.js";

/** `-- --fabric`: against a local real Fabric network (ops/fabric) instead of the devpeer. */
const FABRIC = process.argv.includes("--fabric");
/** The real network's batch timeout and size (`BENCH_FABRIC_BATCH_MS`, `BENCH_FABRIC_BATCH_SIZE`). */
const FABRIC_BATCH_MS = Number(process.env.BENCH_FABRIC_BATCH_MS ?? 250);
const FABRIC_BATCH_SIZE = Number(process.env.BENCH_FABRIC_BATCH_SIZE ?? 500);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? (FABRIC ? 60 : 300));
const TOTAL = Number(process.env.BENCH_TOTAL ?? 6000);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 200);
const SIGNERS = Number(process.env.BENCH_SIGNERS ?? 1);
/** The signer path with IN_FLIGHT is run this many times; the table shows the median run (VM noise). */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const USERS = 50;
/** `BENCH_ISOLATE=<name>` gives a run its own port, database and keys, so two runs can share the machine. */
const ISOLATE = (process.env.BENCH_ISOLATE ?? "").replace(/\W+/g, "_");
const PORT = ISOLATE
  ? 15251 + (Number.parseInt(createHash("sha256").update(ISOLATE).digest("hex").slice(0, 4), 16) % 500)
  : 15250;
const PREFIX = ISOLATE ? `bench:signer-${ISOLATE}:` : "bench:signer:";
const DB = ISOLATE ? `clearbook_test_signer_bench_${ISOLATE}` : "clearbook_test_signer_bench";
const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** `BENCH_PROFILE=<dir>` writes a V8 CPU profile of the devpeer and each signer there. */
const profileArgs = process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const { startNodeFlags } = (await import(here("../../../ops/node-flags.mjs"))) as {
  startNodeFlags(dir: string): string[];
};
/**
 * V8 flags of the devpeer and signer processes: the ones their package.json `start` scripts pass (a
 * young generation of 32 MB semi-spaces instead of V8's 64 MB default on this machine, decision 0160).
 * `BENCH_NODE_FLAGS` replaces them (`BENCH_NODE_FLAGS=` runs with V8's defaults).
 */
const nodeFlagsOf = (dir: string) =>
  process.env.BENCH_NODE_FLAGS === undefined
    ? startNodeFlags(here(dir))
    : process.env.BENCH_NODE_FLAGS.split(" ").filter(Boolean);
const node = process.execPath;
/** The bench's commands stand in for the wallet service's, signed with this run's key (decision 0360). */
const walletKey: CommandSigningKey = { service: "wallet", key: Buffer.from(randomBytes(24).toString("hex"), "utf8") };

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "clearbook-bench-"));
  const children: ChildProcess[] = [];
  const redis = await createRedis(REDIS_URL, "bench-chain");
  const orm = await createOrm({
    mysqlUrl: MYSQL_URL,
    dbName: DB,
    entities: [...signerEntities],
    migrationsPath: here("../migrations"),
  });
  let chain: ChainClient | undefined;
  let network: FabricNetwork | undefined;
  try {
    await orm.orm.schema.dropDatabase(DB).catch(() => {});
    await orm.orm.schema.ensureDatabase();
    await migrate(orm.orm);
    const stale = await redis.client.keys(`${PREFIX}*`);
    if (stale.length > 0) await redis.client.del(...stale);

    let profilePath = join(dataDir, "devpeer", "connection.json");
    const peerProcesses: Record<string, () => Promise<number>> = {};
    if (FABRIC) {
      const found = findFabric();
      if ("missing" in found) throw new Error(`--fabric needs Fabric's binaries: ${found.missing.join("; ")}`);
      network = await startNetworkRetrying({
        dir: join(dataDir, "fabric"),
        fabric: found.found,
        batchTimeoutMs: FABRIC_BATCH_MS,
        maxMessageCount: FABRIC_BATCH_SIZE,
      });
      await waitUntilServing(network.profilePath);
      profilePath = network.profilePath;
      for (const p of network.processes) peerProcesses[p.name.replace(/0$/, "")] = () => cpuSeconds(p.pid);
    } else {
      const devpeer = spawn(
        node,
        [...nodeFlagsOf("../../devpeer"), ...profileArgs, "--import", "tsx", here("../../devpeer/src/main.ts")],
        {
          env: { ...process.env, CLEARBOOK_DATA_DIR: dataDir, DEVPEER_PORT: String(PORT), LOG_LEVEL: "info" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      children.push(devpeer);
      await waitForLine(devpeer, "devpeer serving", "devpeer");
      peerProcesses.devpeer = () => cpuSeconds(devpeer.pid);
    }
    const profile = await loadConnectionProfile(profilePath);
    const ca = profile.ca ?? { certPath: "", keyPath: "" };
    const admin = profile.admin ?? { certPath: "", keyPath: "" };
    const reader: SigningIdentity = {
      identity: identityOf(profile.mspId, await readFile(admin.certPath, "utf8")),
      sign: privateKeySigner(await readFile(admin.keyPath, "utf8")),
    };
    chain = createChainClient({ profile, reader });

    const masterKey = randomBytes(32);
    const vault = createKeyVault({ fork: orm.fork, wrapper: createLocalKeyWrapper(masterKey) });
    const enrollment = createEnrollmentService({
      vault,
      enroller: createDevCaEnroller({
        caCertPem: await readFile(ca.certPath, "utf8"),
        caKeyPem: await readFile(ca.keyPath, "utf8"),
      }),
      mspId: profile.mspId,
      publish: async () => {},
    });
    const users: Array<{ userId: string; certPem: string }> = [];
    for (let i = 0; i < USERS; i++) {
      const userId = `bench-user-${i}`;
      users.push({ userId, certPem: (await enrollment.enroll({ userId, role: "user" })).certPem });
    }
    const stageWindows: Array<{ at: number; stages: Stages; statements: number }> = [];
    const signers = await Promise.all(
      Array.from({ length: SIGNERS }, async (_, i) => {
        const child = spawn(node, [...nodeFlagsOf(".."), ...profileArgs, "--import", "tsx", here("../src/main.ts")], {
          env: {
            ...process.env,
            NODE_ENV: "test",
            LOG_LEVEL: "info",
            SIGNER_DB: DB,
            SIGNER_MASTER_KEY: masterKey.toString("base64"),
            FABRIC_CONNECTION_PROFILE: profilePath,
            CLEARBOOK_DATA_DIR: dataDir,
            SIGNER_STREAM_PREFIX: PREFIX,
            SIGNER_CONSUMER: `bench-${i}`,
            // On Fabric the signer sizes its own concurrency from the batch timeout (decision 0321).
            ...(FABRIC
              ? { FABRIC_BATCH_TIMEOUT_MS: String(FABRIC_BATCH_MS), SIGNER_REPLICAS: String(SIGNERS) }
              : { SIGNER_CONCURRENCY: String(Math.ceil(IN_FLIGHT / SIGNERS) + 16) }),
            SIGNER_STATS_INTERVAL_MS: "500",
            SIGNER_METRICS_PORT: "0",
            SIGNER_COMMAND_KEYS: `wallet=${Buffer.from(walletKey.key).toString("utf8")}`,
          },
          stdio: ["ignore", "pipe", "pipe"],
        });
        children.push(child);
        let pending = "";
        child.stdout?.on("data", (chunk: Buffer) => {
          const lines = (pending + chunk.toString()).split("\n");
          pending = lines.pop() ?? "";
          for (const line of lines) {
            if (!line.includes("signer stage timings")) continue;
            const parsed = JSON.parse(line) as {
              stages: Stages;
              eventLoopDelayMs?: { p99: number };
              sql?: { statements: number };
            };
            stageWindows.push({ at: Date.now(), stages: parsed.stages, statements: parsed.sql?.statements ?? 0 });
            if (process.env.BENCH_VERBOSE) console.log("signer", JSON.stringify(parsed.eventLoopDelayMs));
          }
        });
        await waitForLine(child, "signer started", `signer ${i}`);
        return child;
      }),
    );

    // Outcomes: one blocking reader resolves the waiter of each command id.
    const waiters = new Map<string, (outcome: { type: string; retried: boolean }) => void>();
    const listener = redis.client.duplicate();
    let listening = true;
    const listen = (async () => {
      let last = "$";
      while (listening) {
        const reply: unknown = await listener.xread("COUNT", 1000, "BLOCK", 200, "STREAMS", `${PREFIX}evt:chain`, last);
        for (const entry of parseReadReply(reply)) {
          last = entry.id;
          const data = JSON.parse(entry.fields?.data ?? "{}") as {
            commandId?: string;
            txId?: string;
            originalTxId?: string;
          };
          const done = data.commandId ? waiters.get(data.commandId) : undefined;
          if (done && data.commandId) {
            waiters.delete(data.commandId);
            done({ type: entry.fields?.type ?? "", retried: data.txId !== data.originalTxId });
          }
        }
      }
    })();

    const processes = {
      ...peerProcesses,
      signer: async () => (await Promise.all(signers.map((s) => cpuSeconds(s.pid)))).reduce((a, b) => a + b, 0),
      "bench driver": () => cpuSeconds(process.pid),
      mariadb: () => cpuSeconds(pidOf("mariadbd") ?? pidOf("mysqld")),
      redis: () => cpuSeconds(pidOf("redis-server")),
    };
    const cpuSnapshot = async () =>
      Object.fromEntries(await Promise.all(Object.entries(processes).map(async ([k, f]) => [k, await f()] as const)));

    let sequence = 0;
    async function runPhase(name: string, total: number, concurrency: number, direct: boolean): Promise<PhaseResult> {
      const latencies: number[] = [];
      let committed = 0;
      let rejected = 0;
      let retried = 0;
      let next = 0;
      const cpuBefore = await cpuSnapshot();
      const startedAt = Date.now();
      const started = performance.now();
      const worker = async () => {
        while (next < total) {
          const i = next++;
          const user = users[i % USERS] as { userId: string; certPem: string };
          const address = `bench-${name.replace(/\W+/g, "-")}-${sequence++}`;
          const t0 = performance.now();
          if (direct) {
            const identity = await vault.signingIdentity(user.userId);
            await chain?.submit(identity, "token:OpenAccount", [address]);
            committed++;
          } else {
            const { txId, proposalBytes } = (chain as ChainClient).prepareProposal({
              identity: identityOf(profile.mspId, user.certPem),
              transaction: "token:OpenAccount",
              args: [address],
            });
            const commandId = randomUUID();
            const outcome = new Promise<{ type: string; retried: boolean }>((resolve) =>
              waiters.set(commandId, resolve),
            );
            const payload = {
              userId: user.userId,
              txId,
              proposal: Buffer.from(proposalBytes).toString("base64"),
              transaction: "token:OpenAccount",
              args: [address],
            };
            const fields = {
              id: commandId,
              type: "OpenAccount",
              payload: JSON.stringify(payload),
              at: String(Date.now()),
            };
            await redis.client.xadd(
              `${PREFIX}cmd:wallet`,
              "*",
              ...Object.entries(fields).flat(),
              ...signCommandEntry(walletKey, "wallet", fields),
            );
            const result = await outcome;
            if (result.type === "TransactionCommitted") committed++;
            else rejected++;
            if (result.retried) retried++;
          }
          latencies.push(performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      const seconds = (performance.now() - started) / 1000;
      const cpuAfter = await cpuSnapshot();
      const endedAt = Date.now();
      // The signers log every 500 ms: wait for the window that holds the phase's last commands.
      if (!direct) await new Promise((resolve) => setTimeout(resolve, 700));
      const windows = stageWindows.filter((w) => w.at > startedAt && w.at <= endedAt + 700);
      const stages = mergeStages(windows.map((w) => w.stages));
      const statements = windows.reduce((sum, w) => sum + w.statements, 0);
      latencies.sort((a, b) => a - b);
      const cpu = Object.fromEntries(Object.keys(cpuAfter).map((k) => [k, (cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)]));
      const result = {
        name,
        stages,
        committed,
        rejected,
        retried,
        seconds,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        cpu,
        ...(direct ? {} : { statements }),
      };
      console.log(JSON.stringify(result));
      return result;
    }

    const target = FABRIC ? "Fabric" : "devpeer";
    await runPhase("warm-up", 200, 50, false);
    const sequential = await runPhase("signer, sequential", SEQUENTIAL, 1, false);
    // Single runs on a shared VM move by ±20 % with the host's speed (CPU per transaction with them), so
    // the headline phase runs RUNS times back to back; the table shows the median run, the line under it
    // every run.
    const runs: PhaseResult[] = [];
    for (let run = 0; run < RUNS; run++)
      runs.push(await runPhase(`signer, ${IN_FLIGHT} in flight`, TOTAL, IN_FLIGHT, false));
    const txPerSecond = (r: PhaseResult) => r.committed / r.seconds;
    const cpuPerTx = (r: PhaseResult) => (Object.values(r.cpu).reduce((a, b) => a + b, 0) / r.committed) * 1000;
    const median = [...runs].sort((a, b) => txPerSecond(a) - txPerSecond(b))[Math.floor((RUNS - 1) / 2)] as PhaseResult;
    const results = [
      sequential,
      median,
      await runPhase(`client → ${target} only, sequential`, SEQUENTIAL, 1, true),
      await runPhase(`client → ${target} only, ${IN_FLIGHT} in flight`, TOTAL, IN_FLIGHT, true),
    ];
    const runsLine =
      RUNS > 1
        ? `Signer, ${IN_FLIGHT} in flight, run ${RUNS} times back to back (the rows above show the median run): ` +
          `${runs.map((r) => txPerSecond(r).toFixed(0)).join(", ")} tx/s; p99 ${runs.map((r) => r.p99.toFixed(0)).join(", ")} ms; ` +
          `${runs.map((r) => cpuPerTx(r).toFixed(2)).join(", ")} CPU-ms per transaction.\n\n`
        : "";
    listening = false;
    await listen;
    listener.disconnect();

    const { table, stageTable } = renderTables(results, Object.keys(processes));
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(", ");
    const body = `${table}
${stageTable}

${runsLine}
Load average when the bench ended: ${load} (the machine is shared; wall-clock figures move with it,
CPU seconds per transaction much less).

Each transaction is \`token:OpenAccount\` for a new address (one read, one write, one event) by one of
${USERS} users. Signer path: the bench prepares the proposal with the user's certificate (as a service
does), appends the command to \`cmd:wallet\`, and the latency runs until the signer's
\`TransactionCommitted\` arrives on \`evt:chain\` (${SIGNERS} signer process${SIGNERS > 1 ? "es" : ""}, ${
      FABRIC
        ? `concurrency sized by the signer from the ${FABRIC_BATCH_MS} ms batch timeout; real Fabric 2.5.5 from ops/fabric, one Raft orderer and one peer with TLS, chaincode as a service, batch ${FABRIC_BATCH_SIZE} / ${FABRIC_BATCH_MS} ms`
        : `concurrency ${Math.ceil(IN_FLIGHT / SIGNERS) + 16}; devpeer batch 500 / 10 ms`
    }). "client → ${target} only" submits from
the bench process with \`ChainClient.submit\` (no Redis, MySQL or signer): ${FABRIC ? "the network's" : "the devpeer's"} own ceiling.
Rerun with \`BENCH_TOTAL\`, \`BENCH_IN_FLIGHT\`, \`BENCH_SIGNERS\`, \`BENCH_SEQUENTIAL\`, \`BENCH_RUNS\`${
      FABRIC ? ", `BENCH_FABRIC_BATCH_MS`, `BENCH_FABRIC_BATCH_SIZE`" : ""
    }.`;
    const { recordBenchmark, recordedWhere } = (await import(recorderPath)) as {
      recordBenchmark(name: string, body: string, title?: string): Promise<string | undefined>;
      recordedWhere(file: string | undefined): string;
    };
    console.log(
      recordedWhere(
        await recordBenchmark(
          FABRIC ? "chain-fabric" : "chain",
          body,
          `npm run bench:chain${FABRIC ? " -- --fabric" : ""}`,
        ),
      ),
    );
    console.log(body);
  } finally {
    chain?.dispose();
    for (const child of children.reverse()) {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once("exit", resolve)));
    }
    const keys = await redis.client.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.client.del(...keys);
    await redis.dispose();
    await orm.orm.schema.dropDatabase(DB).catch(() => {});
    await orm.dispose();
    await network?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const recorderPath = here("../../../ops/bench/record.mjs");
await main();
