/**
 * `npm run bench -w @clearbook/voting` (the lead's `npm run bench:votes`): 1,000 members vote on one
 * ballot through the gateway as fast as they can while 1,000 graphql-ws subscribers watch its tally.
 *
 * The stack runs as in `npm start`, one process per component (devpeer, signer, voting, gateway), on
 * its own ports, databases, data directory and Redis key prefix; this process plays the clients and
 * stands in for the ledger's token issuer (an ES256 JWKS). Setup goes through the signer like any
 * service's commands. Reports votes committed per second, vote-to-push latency at the subscribers
 * and the final tally against the votes sent, and records them in docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createOrm, createRedis, migrate } from "@clearbook/kit";
import { createVotingOrm } from "../src/db/database.js";
import { MemberIdentity } from "../src/db/member-identity.entity.js";
import { Vote } from "../src/db/vote.entity.js";
import { createGraphqlPoster, type Subscriber, subscribe } from "./clients.js";
import { createSignerCommands, setUpOrganization } from "./signer-commands.js";
import {
  cpuSeconds,
  eventually,
  pidOf,
  repoRoot,
  sleep,
  startProcess,
  startTokenIssuer,
  waitForFile,
  waitForPort,
} from "./stack.js";
import { type Push, votesReport } from "./votes-report.js";

const VOTERS = Number(process.env.BENCH_VOTERS ?? 1000);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PORTS = { devpeer: 15790, voting: 15791, jwks: 15792, gateway: 15793, noLedger: 15799 };

const say = (line: string) => process.stdout.write(`[bench:votes] ${line}\n`);

const services = spawnSync(process.execPath, [join(repoRoot, "ops/local/services.mjs")], { stdio: "inherit" });
if (services.status !== 0) throw new Error("MySQL/Redis are not available");

const suffix = randomBytes(3).toString("hex");
const ns = `bench:votes:${suffix}:`;
const dataDir = await mkdtemp(join(tmpdir(), "clearbook-bench-votes-"));
const votingDbName = `clearbook_test_voting_bench_${suffix}`;
const signerDbName = `clearbook_test_voting_bench_signer_${suffix}`;
const cleanups: (() => Promise<unknown>)[] = [];

const redis = await createRedis(REDIS_URL, "bench-votes");
cleanups.push(async () => {
  const keys = await redis.client.keys(`${ns}*`);
  for (let i = 0; i < keys.length; i += 500) await redis.client.del(...keys.slice(i, i + 500));
  await redis.dispose();
});
const votingDb = await createVotingOrm({ mysqlUrl: MYSQL_URL, dbName: votingDbName });
await votingDb.orm.schema.ensureDatabase();
await migrate(votingDb.orm);
cleanups.push(async () => {
  await votingDb.orm.schema.dropDatabase(votingDbName);
  await votingDb.dispose();
});
const signerDb = await createOrm({ mysqlUrl: MYSQL_URL, dbName: signerDbName, entities: [] });
await signerDb.orm.schema.ensureDatabase();
cleanups.push(async () => {
  await signerDb.orm.schema.dropDatabase(signerDbName);
  await signerDb.dispose();
});
// BENCH_KEEP=1 keeps the data directory with each process's log.
if (process.env.BENCH_KEEP !== "1") cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

const common = { CLEARBOOK_DATA_DIR: dataDir, MYSQL_URL, REDIS_URL, NODE_ENV: "development" };
// Each service's command key for this run (decision 0360): the bench's own commands stand in for the ledger's.
const commandKeys = { ledger: randomBytes(24).toString("hex"), voting: randomBytes(24).toString("hex") };
const signerEnv = {
  ...common,
  SIGNER_DB: signerDbName,
  SIGNER_STREAM_PREFIX: ns,
  SIGNER_COMMAND_KEYS: Object.entries(commandKeys)
    .map(([service, key]) => `${service}=${key}`)
    .join(","),
};
const issuer = await startTokenIssuer(PORTS.jwks);
cleanups.push(() => issuer.dispose());
const processes = [
  startProcess("devpeer", "chaincode/devpeer", { ...common, DEVPEER_PORT: String(PORTS.devpeer) }, dataDir),
];
const stopAll = async () => {
  for (const p of [...processes].reverse()) await p.stop();
};
const clients: Subscriber[] = [];
const poster = createGraphqlPoster(`http://127.0.0.1:${PORTS.gateway}/graphql`, CONCURRENCY);

try {
  say(`stack in ${dataDir} (logs there); Redis prefix ${ns}`);
  await waitForPort(PORTS.devpeer, processes[0]!);
  await waitForFile(join(dataDir, "devpeer", "connection.json"));
  const signer = startProcess("signer", "chaincode/signer", signerEnv, dataDir);
  processes.push(signer);
  const voting = startProcess(
    "voting",
    "subgraphs/voting",
    {
      ...common,
      VOTING_PORT: String(PORTS.voting),
      VOTING_DB_NAME: votingDbName,
      VOTING_STREAM_PREFIX: ns,
      CLEARBOOK_COMMAND_KEY: commandKeys.voting,
      LOG_LEVEL: process.env.BENCH_VOTING_LOG_LEVEL ?? "warn",
      // e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the voting service under the burst.
      ...(process.env.BENCH_VOTING_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_VOTING_NODE_OPTIONS } : {}),
    },
    dataDir,
  );
  processes.push(voting);
  await waitForPort(PORTS.voting, voting);
  const gateway = startProcess(
    "gateway",
    "gateway",
    {
      ...common,
      GATEWAY_PORT: String(PORTS.gateway),
      VOTING_URL: `http://127.0.0.1:${PORTS.voting}/graphql`,
      LEDGER_URL: `http://127.0.0.1:${PORTS.noLedger}/graphql`,
      LEDGER_JWKS_URL: issuer.jwksUrl,
      REALTIME_STREAM_PREFIX: ns,
      GATEWAY_RATE_IP: "100000000",
      GATEWAY_RATE_USER: "100000000",
      GATEWAY_WORKERS: process.env.BENCH_GATEWAY_WORKERS ?? "1",
      ...(process.env.BENCH_GATEWAY_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_GATEWAY_NODE_OPTIONS } : {}),
    },
    dataDir,
  );
  processes.push(gateway);
  await waitForPort(PORTS.gateway, gateway);

  // ---- the organization, through the signer like any service's commands ----
  const signerCommands = createSignerCommands(redis.client, ns, say, {
    ledgerKey: commandKeys.ledger,
    enrollAdmin: async (userId) => {
      const enrolled = spawnSync(process.execPath, ["--import", "tsx", "src/bin/enroll-admin.ts", userId], {
        cwd: join(repoRoot, "chaincode/signer"),
        env: { ...process.env, LOG_LEVEL: "warn", ...signerEnv },
        encoding: "utf8",
      });
      if (enrolled.status !== 0) throw new Error(`enroll-admin failed: ${enrolled.stderr}`);
    },
  });
  cleanups.unshift(() => signerCommands.dispose());
  const t0 = Date.now();
  const voters = Array.from({ length: VOTERS }, () => randomUUID());
  const { ballotId } = await setUpOrganization(signerCommands, `bench-admin-${suffix}`, voters);
  const gql = poster.post;
  await eventually(
    "the ballot through the gateway, with every member eligible",
    async () => {
      const result = await gql("query($id: ID!) { ballot(id: $id) { tally { eligible } } }", { id: ballotId });
      return (result.data?.ballot as { tally: { eligible: number } } | null)?.tally.eligible === VOTERS + 1;
    },
    60_000,
  );
  await eventually(
    "every member's certificate at the voting service",
    async () => (await votingDb.fork().count(MemberIdentity, {})) >= VOTERS,
    60_000,
  );
  say(`organization of ${VOTERS + 1} members and an open ballot in ${((Date.now() - t0) / 1000).toFixed(1)}s`);

  // ---- subscribers ----
  const pushes: Push[][] = [];
  let connected = 0;
  for (let s = 0; s < SUBSCRIBERS; s++) {
    const seen: (typeof pushes)[number] = [];
    pushes.push(seen);
    clients.push(
      subscribe(
        `ws://127.0.0.1:${PORTS.gateway}/graphql`,
        "subscription($id: ID!) { voteTallyChanged(ballotId: $id) { approve reject eligible updatedAt } }",
        { id: ballotId },
        {
          connected: () => connected++,
          data: (data) => {
            const tally = (data as { voteTallyChanged?: { approve: number; reject: number } } | null)?.voteTallyChanged;
            if (tally) seen.push({ t: performance.now(), total: tally.approve + tally.reject, ...tally });
          },
          error: (message) => say(`subscriber ${s} error: ${message}`),
        },
      ),
    );
  }
  await eventually(`${SUBSCRIBERS} subscribers connected`, async () => connected >= SUBSCRIBERS, 60_000);
  await sleep(1000);
  say(`${SUBSCRIBERS} subscribers connected`);

  // ---- votes ----
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  const refused: string[] = [];
  const sent = { APPROVE: 0, REJECT: 0 };
  const CAST = "mutation($b: ID!, $c: VoteChoice!) { castVote(ballotId: $b, choice: $c) { choice tx { txId } } }";
  const tokens = voters.map((v) => issuer.token(v));
  let next = 0;
  // A timeline of the pipeline's stages, to see which one lags.
  const timeline: string[] = [];
  let sampling = true;
  const sampler = (async () => {
    const t = performance.now();
    while (sampling) {
      const committed = await votingDb.fork().count(Vote, { ballotId, status: "COMMITTED" });
      const pushed = Math.max(0, ...pushes.map((p) => p.at(-1)?.total ?? 0));
      timeline.push(
        `| ${((performance.now() - t) / 1000).toFixed(0)} | ${sentAt.length} | ${signerCommands.committedVotes()} | ${committed} | ${pushed} |`,
      );
      await sleep(1000);
    }
  })();
  // CPU each component spends on the burst, to see where a vote's cost goes on this machine.
  const measured: [string, number | undefined][] = [
    ...processes.map((p): [string, number | undefined] => [p.name, p.child.pid]),
    ["MariaDB", pidOf("mariadbd") ?? pidOf("mysqld")],
    ["Redis", pidOf("redis-server")],
    ["bench clients (this process)", process.pid],
  ];
  const cpuBefore = measured.map(([, pid]) => cpuSeconds(pid));
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const startedWall = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < VOTERS; i = next++) {
        // Half approve, half reject: the outcome stays open until the end, so no early finalization.
        const choice = i % 2 === 0 ? "APPROVE" : "REJECT";
        const t = performance.now();
        const result = await gql(CAST, { b: ballotId, c: choice }, tokens[i]);
        if (result.errors?.length || !result.data?.castVote) refused.push(JSON.stringify(result.errors));
        else {
          sent[choice]++;
          sentAt.push(t);
          answeredAt.push(performance.now() - t);
        }
      }
    }),
  );
  const allSent = performance.now();
  say(`${sentAt.length} votes accepted in ${((allSent - started) / 1000).toFixed(2)}s (${refused.length} refused)`);
  if (refused.length) say(`first refusal: ${refused[0]}`);

  const committedAt = await eventually(
    "every vote committed",
    async () => {
      const committed = await votingDb.fork().count(Vote, { ballotId, status: "COMMITTED" });
      return committed >= sentAt.length ? performance.now() : undefined;
    },
    300_000,
  );
  const expected = sentAt.length;
  await eventually(
    "every subscriber to see the final tally",
    async () => pushes.every((p) => (p.at(-1)?.total ?? 0) >= expected),
    60_000,
  ).catch((error: unknown) => say(String(error)));

  sampling = false;
  await sampler;
  const cpuRows = measured.map(([name, pid], i) => {
    const used = cpuSeconds(pid) - (cpuBefore[i] ?? Number.NaN);
    return `| ${name} | ${Number.isNaN(used) ? "n/a" : `${((used * 1000) / expected).toFixed(1)} ms`} |`;
  });
  const loadAfter = loadavg()[0] ?? 0;

  // ---- figures ----
  const { body, exact } = votesReport({
    voters: VOTERS,
    subscribers: SUBSCRIBERS,
    concurrency: CONCURRENCY,
    gatewayWorkers: process.env.BENCH_GATEWAY_WORKERS ?? "1",
    sentAt,
    answeredAt,
    pushes,
    sent,
    refused: refused.length,
    startedMs: started,
    committedMs: committedAt,
    startedWall,
    timeline,
    cpuRows,
    load: [loadBefore, loadAfter],
  });
  process.stdout.write(`\n${body}\n\n`);
  const recorder = join(repoRoot, "ops/bench/record.mjs");
  const { recordBenchmark, recordedWhere } = (await import(recorder)) as {
    recordBenchmark: (name: string, body: string) => Promise<string | undefined>;
    recordedWhere: (file: string | undefined) => string;
  };
  say(recordedWhere(await recordBenchmark("votes", body)));
  if (exact !== SUBSCRIBERS || refused.length) process.exitCode = 1;
} finally {
  for (const client of clients) client.dispose();
  poster.dispose();
  await stopAll();
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => say(`cleanup: ${String(error)}`));
}
