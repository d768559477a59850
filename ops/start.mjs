#!/usr/bin/env node
// `npm start`: the whole stack on one machine, in dependency order, with progress; Ctrl-C stops it all.
// MySQL and Redis are made available by ops/local/services.mjs before this runs.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startNodeFlags } from "./node-flags.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const env = { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? "1" };
const port = (name, fallback) => Number(process.env[name] ?? fallback);

/**
 * The processes of the stack, in start order. A component whose package has no `src/main.ts`
 * yet is skipped with a note, so the command grows with the project.
 */
const components = [
  { name: "devpeer", dir: "chaincode/devpeer", port: port("DEVPEER_PORT", 7051) },
  { name: "signer", dir: "chaincode/signer", migrate: true },
  { name: "ledger", dir: "subgraphs/ledger", port: port("LEDGER_PORT", 4001), migrate: true },
  { name: "voting", dir: "subgraphs/voting", port: port("VOTING_PORT", 4002), migrate: true },
  { name: "gateway", dir: "gateway", port: port("GATEWAY_PORT", 4000) },
];

const colours = [36, 35, 33, 32, 34, 31];
const children = [];
let stopping = false;

const say = (line) => process.stdout.write(`\x1b[1m[start]\x1b[0m ${line}\n`);

function prefixed(name, index, stream) {
  let pending = "";
  const tag = `\x1b[${colours[index % colours.length]}m${name.padEnd(8)}\x1b[0m│ `;
  stream.on("data", (chunk) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) process.stdout.write(`${tag}${line}\n`);
  });
}

function answers(port, ms = 400) {
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

async function waitForPort(component, child, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${component.name} exited with code ${child.exitCode}`);
    if (await answers(component.port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${component.name} did not answer on port ${component.port} within ${timeoutMs / 1000}s`);
}

function runScript(component, script) {
  const pkg = join(root, component.dir, "package.json");
  const scripts = existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")).scripts : {};
  if (!scripts?.[script]) return false;
  say(`${component.name}: npm run ${script} …`);
  const result = spawnSync("npm", ["run", "--silent", script], {
    cwd: join(root, component.dir),
    env,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`${component.name}: npm run ${script} failed`);
  return true;
}

async function start(component, index) {
  const main = join(root, component.dir, "src", "main.ts");
  if (!existsSync(main)) {
    say(`${component.name}: not built yet, skipped`);
    return;
  }
  if (component.migrate) runScript(component, "migrate");
  say(`${component.name}: starting …`);
  const child = spawn(
    process.execPath,
    [...startNodeFlags(join(root, component.dir)), "--import", "tsx", "src/main.ts"],
    {
      cwd: join(root, component.dir),
      env,
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: Ctrl-C reaches only this orchestrator, which stops the stack in
      // reverse order (gateway first, devpeer last), so nothing loses the service it depends on mid-shutdown.
      detached: true,
    },
  );
  children.push({ component, child });
  prefixed(component.name, index, child.stdout);
  prefixed(component.name, index, child.stderr);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${component.name} stopped unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
      void stopAll(1);
    }
  });
  if (component.port) await waitForPort(component, child);
  say(`${component.name}: ready${component.port ? ` on port ${component.port}` : ""}`);
}

async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  say("stopping …");
  for (const { component, child } of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    child.kill("SIGTERM");
    const exited = await Promise.race([
      new Promise((r) => child.once("exit", () => r(true))),
      new Promise((r) => setTimeout(() => r(false), 10_000)),
    ]);
    if (!exited) child.kill("SIGKILL");
    say(`${component.name}: stopped`);
  }
  process.exit(code);
}

// If this process ends any other way, do not leave the stack running behind it.
process.on("exit", () => {
  for (const { child } of children) if (child.exitCode === null) child.kill("SIGTERM");
});
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

try {
  const t0 = Date.now();
  for (const [index, component] of components.entries()) await start(component, index);
  const ledger = components.find((c) => c.name === "ledger");
  if (ledger && existsSync(join(root, ledger.dir, "src", "main.ts"))) runScript(ledger, "seed");
  const gatewayPort = port("GATEWAY_PORT", 4000);
  say(`up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  say(`GraphQL: http://localhost:${gatewayPort}/graphql  (subscriptions: ws://localhost:${gatewayPort}/graphql)`);
  if (process.env.NODE_ENV !== "production") {
    say("demo logins (development only), password clearbook-demo:");
    say("  admin@clearbook.dev · council@clearbook.dev · member01@clearbook.dev … member30@clearbook.dev");
  }
  say("Ctrl-C stops everything.");
} catch (error) {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`);
  await stopAll(1);
}
