#!/usr/bin/env node
// The whole test suite, as the README and .ci/run call it:
// local services → Biome → turbo (lint, build/type-check, uvu tests of every package) → one summary line.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Services treat an unset NODE_ENV as production (issue 16, item 4); the suite runs in test mode
// unless the caller chose otherwise, and every child (turbo, uvu, spawned services) inherits it.
process.env.NODE_ENV ??= "test";
const t0 = Date.now();

const services = spawnSync(process.execPath, [fileURLToPath(new URL("local/services.mjs", import.meta.url))], {
  stdio: "inherit",
});
if (services.status !== 0) process.exit(services.status ?? 1);

const biome = spawnSync("biome", ["ci", "--colors=off", "."], { cwd: root, stdio: "inherit" });
if (biome.status !== 0) {
  process.stdout.write("\nBiome found problems (run `npm run format` to fix formatting).\n0 passed, 1 failed\n");
  process.exit(1);
}

const tasks = process.argv.slice(2).length ? process.argv.slice(2) : ["lint", "build", "test"];
const turbo = spawn("turbo", ["run", ...tasks, "--concurrency=2", "--output-logs=full"], {
  cwd: root,
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0", NO_COLOR: "1" },
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
});

// A test that waits forever must fail the run, not hold CI until its time limit.
const limitMinutes = Number(process.env.CLEARBOOK_TEST_TIMEOUT_MINUTES || 30);
const watchdog = setTimeout(() => {
  process.stdout.write(`\nThe suite ran past ${limitMinutes} minutes (CLEARBOOK_TEST_TIMEOUT_MINUTES); stopping it.\n`);
  try {
    process.kill(-turbo.pid, "SIGKILL");
  } catch {
    turbo.kill("SIGKILL");
  }
}, limitMinutes * 60_000);
watchdog.unref();
// turbo runs in a process group of its own (so the watchdog can stop all of it): pass signals on.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    try {
      process.kill(-turbo.pid, signal);
    } catch {}
  });
}

// uvu prints "Total: N" / "Passed: N" / "Skipped: N" per package; add them up.
const totals = { total: 0, passed: 0, skipped: 0 };
let pending = "";
const ESC = String.fromCharCode(27);
const strip = (s) =>
  s
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, "")))
    .join("");
turbo.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString("utf8");
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const m = strip(line).match(/\b(Total|Passed|Skipped):\s+(\d+)\s*$/);
    if (m) totals[m[1].toLowerCase()] += Number(m[2]);
  }
});

turbo.on("close", (code) => {
  clearTimeout(watchdog);
  const failed = totals.total - totals.passed - totals.skipped;
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  process.stdout.write(`\nWhole suite in ${seconds}s.\n`);
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
  process.stdout.write(`${totals.passed} passed, ${code === 0 ? failed : Math.max(failed, 1)} failed${skipped}\n`);
  // A suite whose hook failed reports fewer passes than tests but may still exit 0 (uvu): count it.
  process.exit(code === 0 && failed > 0 ? 1 : (code ?? 1));
});
