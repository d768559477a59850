import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { z } from "zod";
import { ConfigError, DEV_INTERNAL_SECRET, parseEnv, serviceEnv } from "../src/config.js";

const Config = suite("config");
const schema = serviceEnv({
  PORT: z.coerce.number().int().min(1).max(65535).default(4001),
  PARTNER_API_KEY: z.string().min(16),
});

function problemsOf(env: Record<string, string>): ConfigError {
  try {
    parseEnv(schema, env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

Config("fills every default for a local run", () => {
  const config = parseEnv(schema, { NODE_ENV: "development", PARTNER_API_KEY: "0123456789abcdef" });
  assert.equal(config, {
    NODE_ENV: "development",
    LOG_LEVEL: "info",
    MYSQL_URL: "mysql://root@127.0.0.1:3306",
    REDIS_URL: "redis://127.0.0.1:6379",
    CLEARBOOK_INTERNAL_SECRET: DEV_INTERNAL_SECRET,
    PROCESSED_COMMAND_RETENTION_DAYS: 7,
    PORT: 4001,
    PARTNER_API_KEY: "0123456789abcdef",
  });
});

Config("lists every bad variable in one readable error", () => {
  const error = problemsOf({
    NODE_ENV: "staging",
    LOG_LEVEL: "loud",
    MYSQL_URL: "postgres://db",
    PORT: "eighty",
    PARTNER_API_KEY: "short-secret",
  });
  assert.equal(error.problems.map((p) => p.variable).sort(), [
    "LOG_LEVEL",
    "MYSQL_URL",
    "NODE_ENV",
    "PARTNER_API_KEY",
    "PORT",
  ]);
  assert.match(error.message, /5 problems/);
  assert.match(error.message, /NODE_ENV: .*"staging"/);
  assert.match(error.message, /PORT: .*"eighty"/);
});

Config("never shows the value of a secret", () => {
  const error = problemsOf({ PARTNER_API_KEY: "short-secret" });
  assert.match(error.message, /PARTNER_API_KEY/);
  assert.not.match(error.message, /short-secret/);
});

Config("hides the password of a bad URL", () => {
  const error = problemsOf({
    NODE_ENV: "test",
    MYSQL_URL: "postgres://app:hunter2@db:5432",
    PARTNER_API_KEY: "0123456789abcdef",
  });
  assert.match(error.message, /MYSQL_URL: .*postgres:\/\/app:\*\*\*@db:5432/);
  assert.not.match(error.message, /hunter2/);
});

Config("names a missing required variable", () => {
  const error = problemsOf({});
  assert.match(error.message, /PARTNER_API_KEY: is required/);
});

Config("requires a long internal secret in production, alongside other problems", () => {
  const missing = problemsOf({ NODE_ENV: "production", PARTNER_API_KEY: "0123456789abcdef" });
  assert.match(missing.message, /CLEARBOOK_INTERNAL_SECRET: is required in production/);
  const short = problemsOf({ NODE_ENV: "production", CLEARBOOK_INTERNAL_SECRET: "too-short", PORT: "0" });
  assert.equal(short.problems.map((p) => p.variable).sort(), ["CLEARBOOK_INTERNAL_SECRET", "PARTNER_API_KEY", "PORT"]);
  assert.match(short.message, /at least 32 characters/);
  assert.not.match(short.message, /too-short/);
  const ok = parseEnv(schema, {
    NODE_ENV: "production",
    CLEARBOOK_INTERNAL_SECRET: "x".repeat(32),
    PARTNER_API_KEY: "0123456789abcdef",
  });
  assert.is(ok.CLEARBOOK_INTERNAL_SECRET, "x".repeat(32));
});

Config("treats an unset NODE_ENV as production: no development secret without an explicit mode", () => {
  const unset = problemsOf({ PARTNER_API_KEY: "0123456789abcdef" });
  assert.equal(
    unset.problems.map((p) => p.variable),
    ["CLEARBOOK_INTERNAL_SECRET"],
  );
  const ok = parseEnv(schema, { CLEARBOOK_INTERNAL_SECRET: "y".repeat(40), PARTNER_API_KEY: "0123456789abcdef" });
  assert.is(ok.NODE_ENV, "production");
  assert.is(
    parseEnv(schema, { NODE_ENV: "test", PARTNER_API_KEY: "0123456789abcdef" }).CLEARBOOK_INTERNAL_SECRET,
    DEV_INTERNAL_SECRET,
  );
});

Config("refuses the public development secret in production, even though it is long enough", () => {
  for (const NODE_ENV of ["production", undefined]) {
    const env: Record<string, string> = {
      CLEARBOOK_INTERNAL_SECRET: DEV_INTERNAL_SECRET,
      PARTNER_API_KEY: "0123456789abcdef",
    };
    if (NODE_ENV) env.NODE_ENV = NODE_ENV;
    const error = problemsOf(env);
    assert.match(error.message, /CLEARBOOK_INTERNAL_SECRET: is the public development secret/);
  }
});

Config("treats an empty variable as unset", () => {
  const config = parseEnv(schema, { NODE_ENV: "test", LOG_LEVEL: "", PARTNER_API_KEY: "0123456789abcdef" });
  assert.is(config.LOG_LEVEL, "info");
});

Config("loadConfig prints every problem and exits with status 1", () => {
  const node = fileURLToPath(new URL("../../../node_modules/.bin/node", import.meta.url));
  const fixture = fileURLToPath(new URL("./fixtures/load-config.fixture.ts", import.meta.url));
  const result = spawnSync(node, ["--import", "tsx", fixture], {
    env: { PATH: process.env.PATH, NODE_ENV: "production", PORT: "-3", CLEARBOOK_INTERNAL_SECRET: "short" },
    encoding: "utf8",
    timeout: 15_000,
  });
  assert.is(result.status, 1);
  assert.match(result.stderr, /PORT: .*"-3"/);
  assert.match(result.stderr, /CLEARBOOK_INTERNAL_SECRET: must be at least 32 characters/);
  assert.not.match(result.stdout, /should not get here/);
});

Config.run();
