// npm run bench:gateway -w @clearbook/gateway
// Closed-loop load (autocannon, 50 connections, warm-up then BENCH_SECONDS, default 60) against
// every gateway on this machine, one at a time, over the same Node subgraphs:
//   (a) the contract's OrganizationLedger (persisted, partner key) through our gateway vs bare @apollo/gateway;
//   (b) the federation benchmark's TestQuery, identical requests and unique requests, also through
//       @graphql-hive/gateway (defaults, and with graphql-jit + inbound deduplication);
//   (c) a small authenticated mutation (the contract's castVote shape, 1,000 members' ES256 tokens,
//       a different ballot per request so nothing is shared): the gateway's cost per vote.
// BENCH_ONLY=c-vote-ours,… runs only those rows (and records nothing); BENCH_CPU_PROF=<dir> runs each
// gateway under `node --cpu-prof` and leaves one .cpuprofile per process in <dir>; BENCH_NODE_FLAGS
// adds node flags to the gateway's processes (e.g. "--max-semi-space-size=64"); BENCH_RATE=<req/s>
// holds the load at a fixed rate instead of as fast as the gateway answers.
// Reports requests/s, p95/p99, errors, CPU and RSS of the gateway's process tree, and writes
// docs/benchmarks.md through ops/bench/record.mjs.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { parse } from "graphql";
import { Redis } from "ioredis";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createPool } from "mysql2/promise";
import { composeSupergraph } from "../src/compose.js";
import { createPartnerKeyStore } from "../src/partner-keys.js";
import { parseManifest } from "../src/persisted-manifest.js";
import { clearbookSdl, federationSdl, testQuery } from "./bench-subgraphs.js";
import { cpuSeconds, rssBytes, treePids } from "./proc-stats.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const CONNECTIONS = 50;
const WORKERS = Number(process.env.BENCH_WORKERS ?? cpus().length);
const PORT = 15380;
const only = process.env.BENCH_ONLY?.split(",");
const cpuProfileDir = process.env.BENCH_CPU_PROF;
const MEMBERS = 1000;
// A fixed request rate (autocannon's overallRate): CPU per request falls as the rate rises (more work
// per wake-up), so comparisons of CPU ms/req are only fair at the same rate.
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const here = fileURLToPath(new URL(".", import.meta.url));
const database = "clearbook_bench_gateway";

type Kind = "ours" | "ours-nodedupe" | "bare" | "hive" | "hive-tuned";
interface Scenario {
  id: string;
  workload: string;
  kind: Kind;
  supergraph: "clearbook" | "federation";
  unique: boolean;
  body: (n: number) => string;
  headers: Record<string, string>;
  /** Headers that differ per request (the castVote load's access tokens). */
  requestHeaders?: (n: number) => Record<string, string>;
}

interface Row {
  scenario: Scenario;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  cpu: number;
  rssMiB: number;
}

function startChild(args: string[], nodeFlags: string[] = []): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    cwd: join(here, ".."),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in 60 s`)), 60_000);
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split("\n").find((l) => l.startsWith("READY"));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    });
    child.on("exit", (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(url: string, scenario: Scenario, seconds: number, expectBody?: string) {
  let n = 0;
  let mismatches = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    method: "POST",
    connections: CONNECTIONS,
    duration: seconds,
    ...(RATE ? { overallRate: RATE } : {}),
    headers: { "content-type": "application/json", ...scenario.headers },
    requests: [
      {
        setupRequest: (request) => {
          const i = n++;
          request.body = scenario.body(i);
          if (scenario.unique) request.headers = { ...request.headers, "x-bench-nonce": String(i) };
          if (scenario.requestHeaders) request.headers = { ...request.headers, ...scenario.requestHeaders(i) };
          return request;
        },
        onResponse: (status, body) => {
          if (expectBody !== undefined && status === 200 && body !== expectBody) mismatches++;
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    rps: result.requests.total / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts + result.non2xx + mismatches,
  };
}

async function post(url: string, scenario: Scenario): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...scenario.headers, ...scenario.requestHeaders?.(0) },
    body: scenario.body(0),
    signal: AbortSignal.timeout(30_000),
  });
  return response.text();
}

async function run(scenario: Scenario, supergraphFile: string, referenceData: Map<string, string>): Promise<Row> {
  const { child } = await startChild(
    [join(here, "bench-gateway-process.ts"), scenario.kind, supergraphFile, String(PORT), String(WORKERS)],
    [
      ...(cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfileDir}`] : []),
      ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
    ],
  );
  try {
    const url = `http://127.0.0.1:${PORT}/graphql`;
    const first = await post(url, scenario);
    const parsed = JSON.parse(first) as { data?: unknown; errors?: unknown };
    if (parsed.errors || !parsed.data) throw new Error(`${scenario.id}: ${first.slice(0, 500)}`);
    const data = JSON.stringify(parsed.data);
    const reference = referenceData.get(scenario.workload);
    if (reference === undefined) referenceData.set(scenario.workload, data);
    else if (reference !== data) throw new Error(`${scenario.id}: its data differs from the reference gateway's`);
    // Every response must be byte-identical to the first (it counts as an error otherwise).
    await load(url, scenario, WARMUP, first);
    const pids = treePids(child.pid ?? 0);
    const cpuBefore = cpuSeconds(pids);
    let rss = 0;
    const sampler = setInterval(() => {
      rss = Math.max(rss, rssBytes(treePids(child.pid ?? 0)));
    }, 1000);
    const result = await load(url, scenario, SECONDS, first);
    clearInterval(sampler);
    const cpu = (cpuSeconds(treePids(child.pid ?? 0)) - cpuBefore) / SECONDS;
    return { scenario, ...result, cpu, rssMiB: rss / 2 ** 20 };
  } finally {
    await stopChild(child);
  }
}

const dir = await mkdtemp(join(tmpdir(), "clearbook-bench-gateway-"));
const subgraphs = await startChild([join(here, "bench-subgraphs.ts"), "15390"]);
try {
  const urls = JSON.parse(subgraphs.line.slice("READY ".length)) as Record<string, string>;
  const compose = (sdl: Record<string, string>) =>
    composeSupergraph(Object.entries(sdl).map(([name, s]) => ({ name, url: urls[name] ?? "", sdl: s })));
  const files = { clearbook: join(dir, "clearbook.graphql"), federation: join(dir, "federation.graphql") };
  await writeFile(files.clearbook, compose(clearbookSdl));
  await writeFile(files.federation, compose(federationSdl));

  const store = createPartnerKeyStore({ mysqlUrl: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306", database });
  await store.migrate();
  const { apiKey } = await store.create("bench-partner", ["ledger:read"]);
  await store.dispose();

  const manifest = parseManifest(
    JSON.parse(readFileSync(new URL("../persisted/manifest.json", import.meta.url), "utf8")),
  );
  const ledgerOp = manifest.operations.find((o) => o.name === "OrganizationLedger");
  if (!ledgerOp) throw new Error("OrganizationLedger is not in the manifest");
  parse(ledgerOp.body);
  const ledgerVars = { orgId: "org-1", year: 2026, semester: 1 };
  const ledgerById = JSON.stringify({
    operationName: "OrganizationLedger",
    variables: ledgerVars,
    extensions: { persistedQuery: { version: 1, sha256Hash: ledgerOp.id } },
  });
  const ledgerFull = JSON.stringify({
    query: ledgerOp.body,
    operationName: "OrganizationLedger",
    variables: ledgerVars,
  });
  const identical = JSON.stringify({ query: testQuery, operationName: "TestQuery" });
  // Members' access tokens, verified by the gateway against the public key passed to it.
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  process.env.BENCH_JWK = JSON.stringify(await exportJWK(publicKey));
  const tokens = await Promise.all(
    Array.from({ length: MEMBERS }, (_, i) =>
      new SignJWT({ roles: [] })
        .setProtectedHeader({ alg: "ES256", kid: "bench" })
        .setSubject(`member-${i}`)
        .setIssuer("clearbook")
        .setAudience("clearbook")
        .setIssuedAt()
        .setExpirationTime("2h")
        .sign(privateKey),
    ),
  );
  const castVote = "mutation($b: ID!, $c: VoteChoice!) { castVote(ballotId: $b, choice: $c) { choice tx { txId } } }";
  const vote = (n: number) => JSON.stringify({ query: castVote, variables: { b: `ballot-${n}`, c: "APPROVE" } });
  const member = (n: number) => ({ authorization: `Bearer ${tokens[n % MEMBERS]}` });
  const unique = (n: number) =>
    JSON.stringify({ query: testQuery, operationName: "TestQuery", variables: { nonce: n } });

  const scenarios: Scenario[] = [
    {
      id: "a-bare",
      workload: "a",
      kind: "bare",
      supergraph: "clearbook",
      unique: false,
      body: () => ledgerFull,
      headers: {},
    },
    {
      id: "a-ours",
      workload: "a",
      kind: "ours",
      supergraph: "clearbook",
      unique: false,
      body: () => ledgerById,
      headers: { "x-api-key": apiKey },
    },
    {
      id: "a-ours-nodedupe",
      workload: "a",
      kind: "ours-nodedupe",
      supergraph: "clearbook",
      unique: false,
      body: () => ledgerById,
      headers: { "x-api-key": apiKey },
    },
    {
      id: "b-identical-bare",
      workload: "b",
      kind: "bare",
      supergraph: "federation",
      unique: false,
      body: () => identical,
      headers: {},
    },
    {
      id: "b-identical-ours",
      workload: "b",
      kind: "ours",
      supergraph: "federation",
      unique: false,
      body: () => identical,
      headers: {},
    },
    {
      id: "b-identical-hive",
      workload: "b",
      kind: "hive",
      supergraph: "federation",
      unique: false,
      body: () => identical,
      headers: {},
    },
    {
      id: "b-identical-hive-tuned",
      workload: "b",
      kind: "hive-tuned",
      supergraph: "federation",
      unique: false,
      body: () => identical,
      headers: {},
    },
    {
      id: "b-unique-bare",
      workload: "b",
      kind: "bare",
      supergraph: "federation",
      unique: true,
      body: unique,
      headers: {},
    },
    {
      id: "b-unique-ours",
      workload: "b",
      kind: "ours",
      supergraph: "federation",
      unique: true,
      body: unique,
      headers: {},
    },
    {
      id: "b-unique-hive",
      workload: "b",
      kind: "hive",
      supergraph: "federation",
      unique: true,
      body: unique,
      headers: {},
    },
    {
      id: "b-unique-hive-tuned",
      workload: "b",
      kind: "hive-tuned",
      supergraph: "federation",
      unique: true,
      body: unique,
      headers: {},
    },
    {
      id: "c-vote-bare",
      workload: "c",
      kind: "bare",
      supergraph: "clearbook",
      unique: true,
      body: vote,
      headers: {},
    },
    {
      id: "c-vote-ours",
      workload: "c",
      kind: "ours",
      supergraph: "clearbook",
      unique: true,
      body: vote,
      headers: {},
      requestHeaders: member,
    },
  ].filter((s) => !only || only.includes(s.id)) as Scenario[];

  const rows: Row[] = [];
  const reference = new Map<string, string>();
  const loadBefore = loadavg()[0] ?? 0;
  for (const scenario of scenarios) {
    process.stdout.write(`${scenario.id}: warm-up ${WARMUP} s, then ${SECONDS} s… `);
    const row = await run(scenario, files[scenario.supergraph], reference);
    rows.push(row);
    const cpuMs = row.rps > 0 ? (row.cpu * 1000) / row.rps : 0;
    process.stdout.write(
      `${row.rps.toFixed(0)} req/s, p99 ${row.p99.toFixed(0)} ms, ${row.errors} errors, ${cpuMs.toFixed(3)} CPU ms/req, load ${(loadavg()[0] ?? 0).toFixed(1)}\n`,
    );
  }

  const fmt = (r: Row) =>
    `| ${r.scenario.id} | ${r.rps.toFixed(1)} | ${r.p50.toFixed(0)} | ${r.p95.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.errors} | ${(r.cpu * 100).toFixed(0)}% | ${cpuPerRequest(r).toFixed(2)} | ${r.rssMiB.toFixed(0)} |`;
  // Throughput depends on how much of the shared machine a gateway gets; CPU per request does not.
  const cpuPerRequest = (r: Row) => (r.rps > 0 ? (r.cpu * 1000) / r.rps : 0);
  const efficiency = (a?: Row, b?: Row) =>
    a && b && cpuPerRequest(a) > 0 ? `${(cpuPerRequest(b) / cpuPerRequest(a)).toFixed(2)}×` : "n/a";
  const by = (id: string) => rows.find((r) => r.scenario.id === id);
  const best = (...ids: string[]) =>
    ids.map(by).reduce<Row | undefined>((top, r) => (r && (!top || r.rps > top.rps) ? r : top), undefined);
  const ratio = (a?: Row, b?: Row) => (a && b && b.rps > 0 ? `${(a.rps / b.rps).toFixed(2)}×` : "n/a");
  const markdown = [
    `Closed loop: autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${SECONDS} s per row; gateways one at a time with ${WORKERS} worker(s) each (node:cluster), all on this machine with the Node subgraphs and the load generator. CPU is the gateway process tree's (100% = one core); RSS the peak sum over its processes. Every response is compared byte for byte with the first (a mismatch counts as an error).`,
    "",
    "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | CPU | CPU ms/req | RSS MiB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(fmt),
    "",
    `Throughput ratios: (a) ours/bare ${ratio(by("a-ours"), by("a-bare"))}, ours without deduplication/bare ${ratio(by("a-ours-nodedupe"), by("a-bare"))} (plugin cost); (b) identical ours/bare ${ratio(by("b-identical-ours"), by("b-identical-bare"))}; (b) unique ours/bare ${ratio(by("b-unique-ours"), by("b-unique-bare"))}; (c) castVote ours/bare ${ratio(by("c-vote-ours"), by("c-vote-bare"))}.`,
    `CPU-per-request ratios (bare ÷ ours, higher is better for ours): (a) ${efficiency(by("a-ours"), by("a-bare"))}, without deduplication ${efficiency(by("a-ours-nodedupe"), by("a-bare"))}; (b) identical ${efficiency(by("b-identical-ours"), by("b-identical-bare"))}; (b) unique ${efficiency(by("b-unique-ours"), by("b-unique-bare"))}; (c) castVote ${efficiency(by("c-vote-ours"), by("c-vote-bare"))}.`,
    "",
    `Machine load average (1 min) at the start: ${loadBefore.toFixed(1)}, at the end: ${(loadavg()[0] ?? 0).toFixed(1)} (other work on the machine competes with the run when it is above the core count, ${cpus().length}).`,
    "",
    "Where the time goes: profiles in gateway/README.md.",
    "",
    `Against \`@graphql-hive/gateway\`'s best (defaults or The Guild's settings, graphql-jit + inbound deduplication): (b) identical ours/Hive ${ratio(by("b-identical-ours"), best("b-identical-hive", "b-identical-hive-tuned"))}; (b) unique ours/Hive ${ratio(by("b-unique-ours"), best("b-unique-hive", "b-unique-hive-tuned"))}.`,
  ].join("\n");
  if (!only) {
    const { recordBenchmark } = (await import(new URL("../../ops/bench/record.mjs", import.meta.url).href)) as {
      recordBenchmark: (name: string, body: string) => Promise<string>;
    };
    await recordBenchmark("gateway", markdown);
  }
  process.stdout.write(`\n${markdown}\n`);
} finally {
  await stopChild(subgraphs.child);
  await rm(dir, { recursive: true, force: true });
  // Leave nothing behind: the bench's partner key database and its Redis keys (APQ, rate limits).
  const admin = createPool({ uri: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306", connectionLimit: 1 });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const keys = await redis.keys("bench:gateway:*");
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
