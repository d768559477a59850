#!/usr/bin/env node
// Makes MariaDB/MySQL and Redis available for the start and test commands.
//
//   node ops/local/services.mjs          use what answers at MYSQL_URL / REDIS_URL, else start private
//                                        instances from local binaries with data under .data/
//                                        (each service creates its own database when it migrates)
//   node ops/local/services.mjs --stop   stop the private instances this script started
//
// Idempotent: when everything already answers it only checks and returns (well under a second).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = process.env.CLEARBOOK_DATA_DIR ?? join(root, ".data");
const mysqlUrl = new URL(process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306");
const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

const say = (line) => process.stdout.write(`[services] ${line}\n`);

function fail(line) {
  process.stderr.write(`[services] ${line}\n`);
  process.exit(1);
}

/** Resolves true when something accepts TCP connections at host:port within `ms`. */
function answers(host, port, ms = 500) {
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitFor(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  fail(`${what} did not come up within ${timeoutMs / 1000}s; see the log under ${dataDir}`);
}

function findBinary(names) {
  // CLEARBOOK_BIN_DIRS narrows the search (the tests use it to simulate a machine without the binaries).
  const dirs = process.env.CLEARBOOK_BIN_DIRS
    ? process.env.CLEARBOOK_BIN_DIRS.split(":")
    : [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin", "/usr/libexec", "/opt/homebrew/bin"];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  return null;
}

const isLocal = (host) => host === "127.0.0.1" || host === "localhost" || host === "::1";

async function ensureMysql() {
  const host = mysqlUrl.hostname || "127.0.0.1";
  const port = mysqlUrl.port || "3306";
  if (await answers(host, port)) return "running";
  if (!isLocal(host))
    fail(`MySQL at ${host}:${port} does not answer (MYSQL_URL); start it or point MYSQL_URL elsewhere.`);
  const server = findBinary(["mariadbd", "mysqld"]);
  const installer = findBinary(["mariadb-install-db", "mysql_install_db"]);
  if (!server || !installer) {
    fail(
      `No MySQL at ${host}:${port} and no mariadbd/mysqld binary here: install MariaDB (Debian/Ubuntu: apt-get install mariadb-server) or set MYSQL_URL.`,
    );
  }
  const dir = join(dataDir, "mysql");
  const datadir = join(dir, "data");
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(datadir, "mysql"))) {
    say(`initialising a private MariaDB in ${datadir} …`);
    const init = spawnSync(
      installer,
      [
        "--no-defaults",
        `--datadir=${datadir}`,
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
        `--user=${process.env.USER ?? "root"}`,
      ],
      { encoding: "utf8" },
    );
    if (init.status !== 0) fail(`mariadb-install-db failed: ${(init.stderr || init.stdout).trim().split("\n").pop()}`);
  }
  say(`starting a private MariaDB on ${host}:${port} (data in ${datadir}) …`);
  const child = spawn(
    server,
    [
      "--no-defaults",
      `--datadir=${datadir}`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      `--socket=${join(dir, "mysqld.sock")}`,
      `--pid-file=${join(dir, "mysqld.pid")}`,
      `--log-error=${join(dir, "error.log")}`,
      `--user=${process.env.USER ?? "root"}`,
      "--innodb-flush-log-at-trx-commit=2",
    ],
    { detached: true, stdio: "ignore" },
  );
  child.unref();
  await waitFor("MariaDB", () => answers(host, port), 60_000);
  return "started";
}

async function ensureRedis() {
  const host = redisUrl.hostname || "127.0.0.1";
  const port = redisUrl.port || "6379";
  if (await answers(host, port)) return "running";
  if (!isLocal(host))
    fail(`Redis at ${host}:${port} does not answer (REDIS_URL); start it or point REDIS_URL elsewhere.`);
  const server = findBinary(["redis-server", "valkey-server"]);
  if (!server)
    fail(
      `No Redis at ${host}:${port} and no redis-server binary here: install Redis (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL.`,
    );
  const dir = join(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  say(`starting a private Redis on ${host}:${port} (AOF in ${dir}) …`);
  const started = spawnSync(
    server,
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--dir",
      dir,
      "--appendonly",
      "yes",
      // The AOF is the persistence; no RDB snapshot, which Redis would also insist on writing at shutdown.
      "--save",
      "",
      "--daemonize",
      "yes",
      "--pidfile",
      join(dir, "redis.pid"),
      "--logfile",
      join(dir, "redis.log"),
    ],
    { encoding: "utf8" },
  );
  if (started.status !== 0) fail(`redis-server failed to start: ${(started.stderr || started.stdout).trim()}`);
  await waitFor("Redis", () => answers(host, port), 20_000);
  return "started";
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the private instances and waits until they are gone (SIGKILL after 20 s), so their files may go. */
async function stop() {
  const pidFiles = [join(dataDir, "mysql", "mysqld.pid"), join(dataDir, "redis", "redis.pid")];
  for (const file of pidFiles) {
    if (!existsSync(file)) continue;
    const name = dirname(file).split("/").pop();
    const pid = Number(readFileSync(file, "utf8").trim());
    if (!alive(pid)) {
      say(`${name} (pid ${pid}) was not running`);
    } else {
      process.kill(pid, "SIGTERM");
      const deadline = Date.now() + 20_000;
      while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      if (alive(pid)) {
        process.kill(pid, "SIGKILL");
        say(`killed ${name} (pid ${pid}): it did not stop within 20 s of SIGTERM`);
      } else {
        say(`stopped ${name} (pid ${pid})`);
      }
    }
    rmSync(file, { force: true });
  }
}

if (process.argv.includes("--stop")) {
  await stop();
} else {
  const t0 = Date.now();
  const [mysqlState, redisState] = await Promise.all([ensureMysql(), ensureRedis()]);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, ".services"),
    `${JSON.stringify({ mysql: mysqlState, redis: redisState, at: new Date().toISOString() })}\n`,
  );
  say(
    `MySQL ${mysqlUrl.hostname}:${mysqlUrl.port || 3306} ${mysqlState}, Redis ${redisUrl.hostname}:${redisUrl.port || 6379} ${redisState} (${Date.now() - t0} ms)`,
  );
}
