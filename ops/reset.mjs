#!/usr/bin/env node
// `npm run reset`: a clean local start. Wipes the local chain (.data/devpeer), drops and recreates the
// service databases, and deletes the project's Redis keys (never FLUSHALL: the server may be shared).
// It starts nothing and so stops nothing: it refuses while the devpeer answers (stop `npm start` first).
import { rmSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The service databases (as ops/local/services.mjs creates them), each overridable by its service's variable. */
export function serviceDatabases(env = process.env) {
  // Tests name their own (never the shared development databases).
  if (env.CLEARBOOK_RESET_DATABASES) return env.CLEARBOOK_RESET_DATABASES.split(",").filter(Boolean);
  return [
    env.LEDGER_DB_NAME || "clearbook_ledger",
    env.VOTING_DB_NAME || "clearbook_voting",
    "clearbook_wallet",
    "clearbook_marketplace",
    "clearbook_withdrawal",
    env.SIGNER_DB || "clearbook_signer",
    "clearbook_gateway",
  ];
}

/** Key patterns of the project in Redis: streams, dead letters, the gateway's caches, login throttles. */
export function redisPatterns(env = process.env) {
  const prefix = env.CLEARBOOK_REDIS_PREFIX ?? "";
  return ["cmd:*", "evt:*", "dlq:*", "gw:*", "ledger:login:*"].map((pattern) => `${prefix}${pattern}`);
}

function answers(port, host = "127.0.0.1", ms = 400) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Wipes the chain, the databases and the Redis keys together. @throws while a devpeer answers on
 * DEVPEER_PORT (its data would be wiped under it).
 */
export async function resetLocal(say, env = process.env) {
  const devpeerPort = Number(env.DEVPEER_PORT ?? 7051);
  if (await answers(devpeerPort))
    throw new Error(`a devpeer answers on port ${devpeerPort}: stop \`npm start\` (Ctrl-C) first; reset stops nothing`);
  const dataDir = env.CLEARBOOK_DATA_DIR ?? join(root, ".data");
  rmSync(join(dataDir, "devpeer"), { recursive: true, force: true });
  say(`wiped the local chain (${join(dataDir, "devpeer")})`);

  const { default: mysql } = await import("mysql2/promise");
  const url = new URL(env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306");
  const conn = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || "root"),
    password: decodeURIComponent(url.password || ""),
  });
  try {
    for (const db of serviceDatabases(env)) {
      await conn.query(`drop database if exists \`${db}\``);
      await conn.query(`create database \`${db}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
    }
  } finally {
    await conn.end();
  }
  say(`recreated the databases ${serviceDatabases(env).join(", ")} (empty; migrations run at start)`);

  const { Redis } = await import("ioredis");
  const redis = new Redis(env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let deleted = 0;
  try {
    for (const pattern of redisPatterns(env)) {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
        cursor = next;
        if (keys.length) deleted += await redis.del(...keys);
      } while (cursor !== "0");
    }
  } finally {
    redis.disconnect();
  }
  say(`deleted ${deleted} Redis keys (${redisPatterns(env).join(", ")})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const say = (line) => process.stdout.write(`[reset] ${line}\n`);
  try {
    await resetLocal(say);
    say("done: `npm start` begins a new chain");
  } catch (error) {
    process.stderr.write(`[reset] refused: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
