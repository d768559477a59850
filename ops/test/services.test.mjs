import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";

const script = fileURLToPath(new URL("../local/services.mjs", import.meta.url));
const run = (env, ...args) =>
  spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 90_000,
  });

const Services = suite("ops/local/services.mjs");

Services("uses the services that already answer and is quick about it", () => {
  const t0 = Date.now();
  const result = run({});
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /MySQL \S+ running, Redis \S+ running \(\d+ ms\)/);
  assert.ok(Date.now() - t0 < 5_000);
});

Services("starts private MariaDB and Redis from local binaries when nothing answers, then stops them", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "clearbook-services-"));
  const env = {
    MYSQL_URL: "mysql://root@127.0.0.1:15917",
    REDIS_URL: "redis://127.0.0.1:15918",
    CLEARBOOK_DATA_DIR: dataDir,
  };
  try {
    const first = run(env);
    assert.is(first.status, 0, first.stderr);
    assert.match(first.stdout, /MySQL 127\.0\.0\.1:15917 started, Redis 127\.0\.0\.1:15918 started/);
    const again = run(env);
    assert.is(again.status, 0, again.stderr);
    assert.match(again.stdout, /running, Redis 127\.0\.0\.1:15918 running/);
    // It only makes the servers available: each service creates its own database when it migrates,
    // so nothing here leaves empty clearbook_* databases behind.
    const databases = spawnSync(
      "mariadb",
      ["-h127.0.0.1", "-P15917", "-uroot", "-N", "-e", "SHOW DATABASES LIKE 'clearbook%'"],
      { encoding: "utf8" },
    );
    assert.is(databases.status, 0, databases.stderr);
    assert.is(databases.stdout.trim(), "", "no databases created");
    const redis = spawnSync("redis-cli", ["-p", "15918", "config", "get", "appendonly"], { encoding: "utf8" });
    assert.match(redis.stdout, /yes/, "Redis keeps an append-only file");
    // --stop returns once both are gone, so their data may be removed at once.
    const stopped = run(env, "--stop");
    assert.is(stopped.status, 0, stopped.stderr);
    assert.match(stopped.stdout, /stopped mysql[\s\S]*stopped redis/);
    const ping = spawnSync("redis-cli", ["-p", "15918", "ping"], { encoding: "utf8" });
    assert.not.match(ping.stdout, /PONG/, "the private Redis is gone");
  } finally {
    run(env, "--stop");
    rmSync(dataDir, { recursive: true, force: true });
  }
});

Services("says in one line what to install when nothing answers and no binary is found", () => {
  const result = run({
    MYSQL_URL: "mysql://root@127.0.0.1:15919",
    REDIS_URL: "redis://127.0.0.1:15920",
    CLEARBOOK_BIN_DIRS: "/nonexistent",
    CLEARBOOK_DATA_DIR: join(tmpdir(), "clearbook-none"),
  });
  assert.is(result.status, 1);
  const lines = result.stderr.trim().split("\n");
  assert.is(lines.length, 1);
  assert.match(lines[0], /install (MariaDB|Redis)/);
});

Services.run();
