import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import mysql from "mysql2/promise";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const reset = fileURLToPath(new URL("../reset.mjs", import.meta.url));
const reindex = fileURLToPath(new URL("../reindex.mjs", import.meta.url));
const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A port nothing listens on (bound, then released). */
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const run = (script, env, ...args) =>
  spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });

const Reset = suite("ops/reset.mjs and ops/reindex.mjs");

Reset("wipes the local chain, the service databases and the project's Redis keys together", async () => {
  const suffix = randomBytes(3).toString("hex");
  const dataDir = mkdtempSync(join(tmpdir(), "clearbook-reset-"));
  mkdirSync(join(dataDir, "devpeer"));
  writeFileSync(join(dataDir, "devpeer", "blocks"), "old chain");
  const dbs = [`clearbook_test_reset_a_${suffix}`, `clearbook_test_reset_b_${suffix}`];
  const prefix = `test:reset:${suffix}:`;
  const conn = await mysql.createConnection({ uri: MYSQL_URL });
  const redis = new Redis(REDIS_URL);
  try {
    for (const db of dbs) {
      await conn.query(`create database \`${db}\``);
      await conn.query(`create table \`${db}\`.read_model (id int primary key)`);
    }
    await redis.set(`${prefix}cmd:ledger`, "1");
    await redis.set(`${prefix}evt:voting`, "1");
    await redis.set(`${prefix}unrelated`, "1");
    const result = run(reset, {
      CLEARBOOK_DATA_DIR: dataDir,
      CLEARBOOK_RESET_DATABASES: dbs.join(","),
      CLEARBOOK_REDIS_PREFIX: prefix,
      DEVPEER_PORT: String(await freePort()),
    });
    assert.is(result.status, 0, result.stderr);
    assert.match(result.stdout, /wiped the local chain/);
    assert.not.ok(existsSync(join(dataDir, "devpeer")));
    for (const db of dbs) {
      const [tables] = await conn.query(`show tables from \`${db}\``);
      assert.equal(tables, [], `${db} is empty`);
    }
    assert.is(await redis.exists(`${prefix}cmd:ledger`, `${prefix}evt:voting`), 0);
    assert.is(await redis.exists(`${prefix}unrelated`), 1, "keys outside the project's patterns stay");
  } finally {
    for (const db of dbs) await conn.query(`drop database if exists \`${db}\``);
    await conn.end();
    await redis.del(`${prefix}unrelated`, `${prefix}cmd:ledger`, `${prefix}evt:voting`);
    redis.disconnect();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Reset("refuses, touching nothing, while a devpeer answers", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "clearbook-reset-"));
  mkdirSync(join(dataDir, "devpeer"));
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const result = run(reset, {
      CLEARBOOK_DATA_DIR: dataDir,
      CLEARBOOK_RESET_DATABASES: "clearbook_test_reset_never",
      DEVPEER_PORT: String(server.address().port),
    });
    assert.is(result.status, 1);
    assert.match(result.stderr, /stop `npm start`/);
    assert.ok(existsSync(join(dataDir, "devpeer")));
  } finally {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Reset("reindex names the services it knows when given another", () => {
  const result = run(reindex, {}, "wallet");
  assert.is(result.status, 2);
  assert.match(result.stdout, /unknown service wallet; one of ledger, voting, signer/);
});

Reset.run();
