// Drives a real `npm start` from outside, as a user, a CI runner or a process supervisor would:
// start it in isolation (its own data folder, `clearbook_test_*` databases, its own Redis key prefix),
// wait until it is up, talk GraphQL to its gateway, send it a signal, and check that nothing it
// started is left running. Used by `npm run smoke` (.ci/run) and by ops/test/start-signals.test.mjs.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

const ESC = String.fromCharCode(27);
const plain = (line) => line.replaceAll(new RegExp(`${ESC}\\[[0-9;]*m`, "g"), "");

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
export function answers(port, ms = 400) {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** A port nobody listens on now (the kernel's pick). */
export function freePort() {
  return new Promise((resolve, reject) => {
    import("node:net").then(({ createServer }) => {
      const server = createServer();
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
    });
  });
}

/** Every live process under `pid` (children, grandchildren…), from /proc; empty where there is no /proc. */
export function descendants(pid) {
  if (!existsSync("/proc/self/stat")) return [];
  const parentOf = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid … — comm may hold spaces and parentheses: split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found = [];
  let frontier = [pid];
  while (frontier.length) {
    const next = [];
    for (const [child, parent] of parentOf) if (frontier.includes(parent)) next.push(child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

export function alive(pid) {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped) holds no ports and runs nothing.
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

/**
 * The isolated settings of one stack: ports, a data folder, databases and a Redis key prefix of its
 * own, so it runs beside a developer's stack and leaves nothing behind.
 * `redisUrl` points the stack at another Redis (a private server a fault test may flush or stop).
 * @param {{ defaultPorts?: boolean, name?: string, redisUrl?: string }} options
 */
export async function isolatedStack(options = {}) {
  const name = options.name ?? "stack";
  const ports = options.defaultPorts
    ? {
        devpeer: Number(process.env.DEVPEER_PORT || 7051),
        ledger: Number(process.env.LEDGER_PORT || 4001),
        voting: Number(process.env.VOTING_PORT || 4002),
        gateway: Number(process.env.GATEWAY_PORT || 4000),
        signerMetrics: Number(process.env.SIGNER_METRICS_PORT || 9469),
      }
    : {
        devpeer: await freePort(),
        ledger: await freePort(),
        voting: await freePort(),
        gateway: await freePort(),
        signerMetrics: await freePort(),
      };
  const dataDir = mkdtempSync(join(tmpdir(), `clearbook-${name}-`));
  const tag = `${name}_${process.pid}_${randomBytes(3).toString("hex")}`;
  const databases = {
    LEDGER_DB_NAME: `clearbook_test_${tag}_ledger`,
    VOTING_DB_NAME: `clearbook_test_${tag}_voting`,
    SIGNER_DB: `clearbook_test_${tag}_signer`,
    GATEWAY_DATABASE: `clearbook_test_${tag}_gateway`,
  };
  // Its streams, consumer groups and dead letters under a prefix of its own: two stacks on one Redis
  // (two clones' test runs, a developer's stack) never take each other's commands.
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `test:${tag}:`;
  const mysqlUrl = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
  const env = {
    ...process.env,
    CLEARBOOK_DATA_DIR: dataDir,
    ...databases,
    REDIS_URL: redisUrl,
    LEDGER_STREAM_PREFIX: prefix,
    VOTING_STREAM_PREFIX: prefix,
    SIGNER_STREAM_PREFIX: prefix,
    REALTIME_STREAM_PREFIX: prefix,
    MYSQL_URL: mysqlUrl,
    DEVPEER_PORT: String(ports.devpeer),
    LEDGER_PORT: String(ports.ledger),
    VOTING_PORT: String(ports.voting),
    GATEWAY_PORT: String(ports.gateway),
    SIGNER_METRICS_PORT: String(ports.signerMetrics),
    FORCE_COLOR: "0",
  };
  // Settings of the caller's own stack must not leak into this one.
  for (const key of ["LEDGER_URL", "VOTING_URL", "LEDGER_JWKS_URL", "LEDGER_PUBLIC_URL", "GATEWAY_URL"])
    delete env[key];
  for (const key of ["FABRIC_CONNECTION_PROFILE", "NODE_ENV", "NODE_OPTIONS"]) delete env[key];
  return {
    name,
    ports,
    env,
    /** The prefix of its Redis keys (`<prefix>cmd:voting`, `<prefix>evt:chain`, …). */
    prefix,
    dataDir,
    graphqlUrl: `http://127.0.0.1:${ports.gateway}/graphql`,
    /** Drops the databases, deletes its Redis keys and removes the data folder. */
    async cleanUp() {
      const { default: mysql } = await import("mysql2/promise");
      const url = new URL(mysqlUrl);
      const conn = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username || "root"),
        password: decodeURIComponent(url.password || ""),
      });
      try {
        for (const db of Object.values(databases)) await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      } finally {
        await conn.end();
      }
      const { Redis } = await import("ioredis");
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
      try {
        await redis.connect();
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
          cursor = next;
          if (keys.length) await redis.del(...keys);
        } while (cursor !== "0");
      } finally {
        redis.disconnect();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `npm start [args]` in `stack`'s settings. Its output goes to `<dataDir>/start.log` and, when
 * `echo` is set, to stdout.
 */
export function startStack(stack, { args = [], echo = false } = {}) {
  const log = createWriteStream(join(stack.dataDir, "start.log"), { flags: "a" });
  const child = spawn("npm", ["start", ...(args.length ? ["--", ...args] : [])], {
    cwd: root,
    env: stack.env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, as under a process supervisor: signals reach only npm.
    detached: true,
  });
  const lines = [];
  let pending = "";
  const onData = (chunk) => {
    log.write(chunk);
    pending += chunk.toString("utf8");
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) {
      const clean = plain(line);
      lines.push(clean);
      if (lines.length > 2000) lines.shift();
      if (echo) process.stdout.write(`  │ ${clean}\n`);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    tail: (n = 60) => lines.slice(-n).join("\n"),
    /** Resolves when the stack printed `up in …`; rejects if it exits first or the time runs out. */
    async up(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (lines.some((line) => /\[start\] up in /.test(line))) return;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`npm start exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was up`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`npm start was not up within ${timeoutMs / 1000}s`);
    },
  };
}

/**
 * Sends `signal` to npm (as `docker stop`, systemd or a CI runner do), waits for it to exit, and
 * checks that every process it had started is gone and that no port of the stack answers.
 * @returns a list of problems (empty when all is well).
 */
export async function stopAndCheck(stack, run, signal, timeoutMs = 60_000) {
  const before = descendants(run.child.pid);
  if (signal === "SIGKILL-orchestrator") {
    // The orchestrator dies without a chance to clean up: its children must notice by themselves.
    const orchestrator = before.find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("ops/start.mjs");
      } catch {
        return false;
      }
    });
    if (!orchestrator) return ["could not find the ops/start.mjs process"];
    process.kill(orchestrator, "SIGKILL");
  } else {
    process.kill(run.child.pid, signal);
  }
  const problems = [];
  const exited = await Promise.race([run.exited, new Promise((r) => setTimeout(() => r(null), timeoutMs).unref())]);
  if (!exited) problems.push(`npm start did not exit within ${timeoutMs / 1000}s of ${signal}`);
  // Children stop in their own time once the orchestrator is gone (the lifeline); give them that time.
  const deadline = Date.now() + timeoutMs;
  let left = before.filter(alive);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    left = before.filter(alive);
  }
  for (const pid of left) {
    let command = String(pid);
    try {
      command = `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim()}`;
    } catch {}
    problems.push(`still running after ${signal}: ${command}`);
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
  for (const [what, port] of Object.entries(stack.ports)) {
    if (await answers(port)) problems.push(`port ${port} (${what}) still answers after ${signal}`);
  }
  return problems;
}

/** One GraphQL request over HTTP; throws on transport errors, returns `{ data, errors }`. */
export async function graphql(url, query, variables = {}, token) {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      // The gateway's CSRF prevention wants a non-simple request from browsers; say who we are.
      "apollo-require-preflight": "true",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(20_000),
  });
  const body = await res.json();
  return body;
}

/**
 * What a newcomer does first, through the gateway: read the demo organization's books anonymously,
 * log in as a demo member, vote on the open ballot, and follow the vote until the chain committed it.
 * @returns a short description of what it saw; throws on anything unexpected.
 */
export async function newcomerVisit(url, say = () => {}) {
  const books = await graphql(
    url,
    "{ organizations { id name treasuryBalance ballots(status: OPEN) { id tally { approve reject eligible } } } }",
  );
  if (books.errors) throw new Error(`organizations query failed: ${JSON.stringify(books.errors)}`);
  const org = books.data.organizations.find((o) => o.ballots.length > 0);
  if (!org) throw new Error(`no organization with an open ballot: ${JSON.stringify(books.data)}`);
  if (!(BigInt(org.treasuryBalance) > 0n)) throw new Error(`the demo treasury is ${org.treasuryBalance}`);
  const ballot = org.ballots[0];
  say(`query: ${org.name}, treasury ${org.treasuryBalance}, ballot ${ballot.id} (${ballot.tally.approve} approve)`);

  const email = "member20@clearbook.dev";
  const login = await graphql(
    url,
    'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p, deviceName: "smoke") { accessToken } }',
    { e: email, p: "clearbook-demo" },
  );
  const token = login.data?.logIn?.accessToken;
  if (!token) throw new Error(`log-in as ${email} failed: ${JSON.stringify(login.errors)}`);
  say(`logged in as ${email}`);

  const vote = await graphql(
    url,
    "mutation($b: ID!) { castVote(ballotId: $b, choice: APPROVE) { choice pending } }",
    { b: ballot.id },
    token,
  );
  if (vote.errors) throw new Error(`castVote failed: ${JSON.stringify(vote.errors)}`);
  say(`mutation: castVote accepted (pending: ${vote.data.castVote.pending})`);

  const deadline = Date.now() + 60_000;
  for (;;) {
    const seen = await graphql(
      url,
      "query($b: ID!) { ballot(id: $b) { myVote myVotePending tally { approve } } }",
      { b: ballot.id },
      token,
    );
    if (seen.errors) throw new Error(`ballot query failed: ${JSON.stringify(seen.errors)}`);
    const b = seen.data.ballot;
    if (b.myVote === "APPROVE" && b.myVotePending === false) {
      if (b.tally.approve !== ballot.tally.approve + 1) {
        throw new Error(`the vote committed but the tally went ${ballot.tally.approve} → ${b.tally.approve}`);
      }
      say(`committed: the tally shows ${b.tally.approve} approve`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`the vote was not committed within 60 s: ${JSON.stringify(b)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET a URL; resolves the status code (0 when nothing answers). */
export async function statusOf(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}
