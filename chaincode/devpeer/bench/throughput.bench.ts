// npm run bench -w @clearbook/devpeer: committed transactions per second and latency through an
// unmodified fabric-gateway client (in this process, standing in for the signer) against a devpeer in
// a child process. Each transaction is endorse → sign → submit → commit status, on its own key.
import { spawn } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { connect, hash } from "@hyperledger/fabric-gateway";
import { signData } from "../src/crypto.js";

const total = Number(process.env.BENCH_TX ?? 5000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 200);
const port = Number(process.env.BENCH_PORT ?? 15160);
const batchTimeoutMs = process.env.DEVPEER_BATCH_TIMEOUT_MS ?? "10";

const dir = await mkdtemp(join(tmpdir(), "clearbook-devpeer-bench-"));
const server = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/dp/prof"] : []),
    "--import",
    "tsx",
    "bench/bench-server.ts",
    dir,
    String(port),
    batchTimeoutMs,
  ],
  {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "inherit"],
  },
);
let serverOutput = "";
server.stdout?.on("data", (chunk) => {
  serverOutput += chunk;
});
const deadline = Date.now() + 60_000;
while (!serverOutput.includes("ready")) {
  if (Date.now() > deadline) throw new Error("devpeer did not start");
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const { readFile } = await import("node:fs/promises");
const profile = JSON.parse(await readFile(join(dir, "connection.json"), "utf8"));
const key = createPrivateKey(await readFile(profile.admin.keyPath));
const client = new grpc.Client(profile.endpoint, grpc.credentials.createInsecure());
// node:crypto signing (as the signer service would), low-S as Fabric requires.
const gateway = connect({
  client,
  identity: { mspId: profile.mspId, credentials: await readFile(profile.admin.certPath) },
  hash: hash.none,
  signer: async (message) => signData(key, message),
});
const contract = gateway.getNetwork("clearbook").getContract("clearbook");

interface Sample {
  endorse: number;
  submit: number;
  commit: number;
  total: number;
}

async function one(key: string): Promise<Sample> {
  const t0 = performance.now();
  const endorsed = await contract.newProposal("counter:Increment", { arguments: [key] }).endorse();
  const t1 = performance.now();
  const submitted = await endorsed.submit();
  const t2 = performance.now();
  const status = await submitted.getStatus();
  const t3 = performance.now();
  if (!status.successful) throw new Error(`transaction ${status.transactionId} failed with code ${status.code}`);
  return { endorse: t1 - t0, submit: t2 - t1, commit: t3 - t2, total: t3 - t0 };
}

/** The devpeer process's CPU time so far, in µs (it prints it on SIGUSR2). */
async function serverCpu(): Promise<number> {
  const before = serverOutput.length;
  server.kill("SIGUSR2");
  const until = Date.now() + 10_000;
  for (;;) {
    const line = serverOutput.slice(before).match(/cpu (\d+)\n/);
    if (line) return Number(line[1]);
    if (Date.now() > until) throw new Error("devpeer did not report its CPU time");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

interface Run {
  samples: Sample[];
  seconds: number;
  serverCpuUs: number;
  clientCpuUs: number;
}

async function run(count: number, parallel: number, prefix: string): Promise<Run> {
  const samples: Sample[] = [];
  const serverBefore = await serverCpu();
  const clientBefore = process.cpuUsage();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) samples.push(await one(`${prefix}:${next++}`));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  return {
    samples,
    seconds,
    serverCpuUs: (await serverCpu()) - serverBefore,
    clientCpuUs: client.user + client.system,
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const ms = (value: number) => value.toFixed(1);

function row(label: string, { samples, seconds, serverCpuUs, clientCpuUs }: Run): string {
  const pick = (field: keyof Sample) => samples.map((sample) => sample[field]);
  const perTx = (us: number) => (us / samples.length / 1000).toFixed(2);
  return `| ${label} | ${samples.length} | ${(samples.length / seconds).toFixed(0)} | ${ms(percentile(pick("total"), 50))} | ${ms(percentile(pick("total"), 99))} | ${ms(percentile(pick("endorse"), 50))} / ${ms(percentile(pick("endorse"), 99))} | ${ms(percentile(pick("commit"), 50))} / ${ms(percentile(pick("commit"), 99))} | ${perTx(serverCpuUs)} | ${perTx(clientCpuUs)} |`;
}

try {
  await run(200, 50, "warmup");
  const sequential = await run(Math.min(300, total), 1, "seq");
  const loaded = await run(total, concurrency, "load");
  const lines = [
    `devpeer throughput, batch timeout ${batchTimeoutMs} ms, ${cpus().length} CPUs, Node ${process.version}`,
    "",
    `load average at start ${loadavg()[0]?.toFixed(1)} (other work on the machine slows the wall-clock figures, not the CPU ones)`,
    "",
    "| run | tx | committed tx/s | p50 ms | p99 ms | endorse p50/p99 ms | submit→status p50/p99 ms | devpeer CPU ms/tx | client CPU ms/tx |",
    "|---|---|---|---|---|---|---|---|---|",
    row("sequential (1 in flight)", sequential),
    row(`${concurrency} in flight`, loaded),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
} finally {
  gateway.close();
  client.close();
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
  process.stdout.write(`${serverOutput.split("\n").find((line) => line.startsWith("height")) ?? ""}\n`);
  await rm(dir, { recursive: true, force: true });
}
