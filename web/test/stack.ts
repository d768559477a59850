// The whole stack as `npm start` runs it (ops/start.mjs: devpeer, signer, ledger, voting, gateway and
// the demo seed), on free ports, with its own databases, Redis prefix and data directory, so it runs
// beside a developer's stack and other tests. `stop` ends it and removes what it made.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { createConnection } from "mysql2/promise";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface Stack {
  /** The gateway's origin, serving the app, the API and the WebSocket. */
  url: string;
  logPath: string;
  /** The gateway's database (partner keys live there). */
  gatewayDatabase: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the stack and resolves once the seed has finished (the demo logins exist).
 * @throws Error with the tail of the stack's log when it fails or takes longer than `timeoutMs`.
 */
export async function startStack(timeoutMs = 240_000): Promise<Stack> {
  const id = randomBytes(3).toString("hex");
  const dir = await mkdtemp(join(tmpdir(), "clearbook-web-e2e-"));
  const [devpeer, ledger, voting, gateway] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const ns = `test:web:${id}:`;
  const databases = {
    LEDGER_DB_NAME: `clearbook_test_web_ledger_${id}`,
    VOTING_DB_NAME: `clearbook_test_web_voting_${id}`,
    SIGNER_DB: `clearbook_test_web_signer_${id}`,
    GATEWAY_DATABASE: `clearbook_test_web_gateway_${id}`,
  };
  const url = `http://localhost:${gateway}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...databases,
    NODE_OPTIONS: "",
    FORCE_COLOR: "0",
    LOG_LEVEL: "warn",
    MYSQL_URL,
    REDIS_URL,
    CLEARBOOK_DATA_DIR: dir,
    DEVPEER_PORT: String(devpeer),
    LEDGER_PORT: String(ledger),
    VOTING_PORT: String(voting),
    GATEWAY_PORT: String(gateway),
    GATEWAY_HOST: "127.0.0.1",
    LEDGER_URL: `http://127.0.0.1:${ledger}/graphql`,
    VOTING_URL: `http://127.0.0.1:${voting}/graphql`,
    LEDGER_JWKS_URL: `http://127.0.0.1:${ledger}/.well-known/jwks.json`,
    LEDGER_PUBLIC_URL: url,
    GATEWAY_URL: `http://127.0.0.1:${gateway}/graphql`,
    LEDGER_STREAM_PREFIX: ns,
    VOTING_STREAM_PREFIX: ns,
    SIGNER_STREAM_PREFIX: ns,
    REALTIME_STREAM_PREFIX: ns,
    SIGNER_METRICS_PORT: String(await freePort()),
    VOTING_FINALIZER_INTERVAL_MS: "200",
    // Thirty voters and a watching page share one IP; the limits are not under test here.
    GATEWAY_RATE_IP: "1000000",
    GATEWAY_RATE_USER: "1000000",
    LEDGER_LOGIN_MAX_FAILURES_PER_IP: "1000",
    GATEWAY_BROWSERS_PERSISTED_ONLY: "true",
  };
  const logPath = join(dir, "stack.log");
  const log = createWriteStream(logPath);
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, "ops/start.mjs"), "--no-build"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    const admin = await createConnection({ uri: MYSQL_URL });
    for (const name of Object.values(databases)) await admin.query(`drop database if exists \`${name}\``);
    await admin.end();
    const redis = new Redis(REDIS_URL);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${ns}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
    redis.disconnect();
    if (!process.env.CLEARBOOK_E2E_KEEP_LOGS) await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  // The orchestrator's own lines are bold whatever FORCE_COLOR says: `[start]<reset> up in …`.
  while (!/\[start\]\S* up in /.test(output)) {
    const failed = child.exitCode !== null || /\[start\] failed|seed: failed/.test(output);
    if (failed || Date.now() > deadline) {
      const tail = (await readFile(logPath, "utf8").catch(() => output)).split("\n").slice(-40).join("\n");
      await stop();
      throw new Error(`the stack did not come up${failed ? "" : ` within ${timeoutMs / 1000}s`}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, logPath, gatewayDatabase: databases.GATEWAY_DATABASE, stop };
}
