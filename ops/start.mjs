#!/usr/bin/env node
// `npm start`: the whole stack on one machine, in dependency order, with progress.
//
//   node ops/start.mjs [--no-build] [--reset]
//
// 1. makes MySQL and Redis available (ops/local/services.mjs),
// 2. builds the workspace (`turbo run build`, cached: a second start skips it in about a second),
//    (`--reset` then wipes the local chain, the service databases and the project's Redis keys),
// 3. starts devpeer → signer → ledger → voting → gateway, each after its migrations, and seeds the
//    demo organization once.
// SIGINT (Ctrl-C), SIGTERM and SIGHUP stop everything it started, gateway first, devpeer last; so
// does the end of the process that started it (npm, a shell). Every child holds a lifeline to this
// process (ops/lifeline.mjs) and stops by itself if this process dies any other way.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureSameChain, resetIfAsked } from "./chain-check.mjs";
import { startNodeFlags } from "./node-flags.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const port = (name, fallback) => Number(process.env[name] || fallback);
const ports = {
  devpeer: port("DEVPEER_PORT", 7051),
  ledger: port("LEDGER_PORT", 4001),
  voting: port("VOTING_PORT", 4002),
  gateway: port("GATEWAY_PORT", 4000),
  signerMetrics: port("SIGNER_METRICS_PORT", 9469),
};

// What every child sees. NODE_ENV is set explicitly: anything that is not development or test is
// production to the services, and this command runs the development stack (demo data, dev keys).
// The addresses follow the ports above, so moving one port moves everything that points at it.
const env = {
  ...process.env,
  FORCE_COLOR: process.env.FORCE_COLOR ?? "1",
  NODE_ENV: process.env.NODE_ENV || "development",
  LEDGER_URL: process.env.LEDGER_URL || `http://127.0.0.1:${ports.ledger}/graphql`,
  VOTING_URL: process.env.VOTING_URL || `http://127.0.0.1:${ports.voting}/graphql`,
  LEDGER_JWKS_URL: process.env.LEDGER_JWKS_URL || `http://127.0.0.1:${ports.ledger}/.well-known/jwks.json`,
  LEDGER_PUBLIC_URL: process.env.LEDGER_PUBLIC_URL || `http://127.0.0.1:${ports.gateway}`,
  GATEWAY_URL: process.env.GATEWAY_URL || `http://127.0.0.1:${ports.gateway}/graphql`,
};
const development = env.NODE_ENV === "development" || env.NODE_ENV === "test";

/**
 * The processes of the stack, in start order. A component whose package has no `src/main.ts`
 * yet is skipped with a note, so the command grows with the project.
 */
const components = [
  { name: "devpeer", dir: "chaincode/devpeer", port: ports.devpeer },
  { name: "signer", dir: "chaincode/signer", migrate: true, alsoListens: [ports.signerMetrics] },
  { name: "ledger", dir: "subgraphs/ledger", port: ports.ledger, migrate: true },
  { name: "voting", dir: "subgraphs/voting", port: ports.voting, migrate: true },
  { name: "gateway", dir: "gateway", port: ports.gateway },
];

/** The file descriptor on which each child finds its lifeline (stdio 0–2, then this pipe). */
const LIFELINE_FD = 3;
const lifelineModule = fileURLToPath(new URL("lifeline.mjs", import.meta.url));

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

async function waitForPort(component, child, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${component.name} exited (${child.signalCode ?? `code ${child.exitCode}`}) before it answered`);
    if (await answers(component.port)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${component.name} did not answer on port ${component.port} within ${timeoutMs / 1000}s`);
}

/** Refuses to start over another stack (or anything else) that holds one of our ports. */
async function checkPortsFree() {
  const taken = [];
  for (const component of components) {
    for (const p of [component.port, ...(component.alsoListens ?? [])].filter(Boolean)) {
      if (await answers(p)) taken.push(`${p} (${component.name})`);
    }
  }
  if (taken.length) {
    throw new Error(
      `port ${taken.join(", ")} already in use — is another \`npm start\` running? Stop it, or move this stack with DEVPEER_PORT, LEDGER_PORT, VOTING_PORT, GATEWAY_PORT, SIGNER_METRICS_PORT.`,
    );
  }
}

/** The one-off step running now (services, build, a migration, the seed), stopped first on a signal. */
let step = null;

/** Runs a one-off step to its end, output passed through. */
function run(what, command, commandArgs, options) {
  if (stopping) return Promise.reject(new Error("stopping"));
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { env, stdio: ["ignore", "inherit", "inherit"], ...options });
    step = child;
    child.once("error", (error) => reject(new Error(`${what}: ${error.message}`)));
    child.once("exit", (code, signal) => {
      step = null;
      if (signal) reject(new Error(`${what}: stopped by ${signal}`));
      else if (code !== 0) reject(new Error(`${what} failed (exit code ${code})`));
      else resolve();
    });
  });
}

async function runScript(component, script) {
  const pkg = join(root, component.dir, "package.json");
  const scripts = existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")).scripts : {};
  if (!scripts?.[script]) return false;
  say(`${component.name}: npm run ${script} …`);
  await run(`${component.name}: npm run ${script}`, "npm", ["run", "--silent", script], {
    cwd: join(root, component.dir),
  });
  return true;
}

async function build() {
  if (args.includes("--no-build")) return;
  const t0 = Date.now();
  say("building the workspace (turbo run build; cached after the first time) …");
  const turbo = join(root, "node_modules", ".bin", "turbo");
  if (!existsSync(turbo)) throw new Error("turbo is not installed: run `npm ci` first");
  await run("build", turbo, ["run", "build", "--output-logs=errors-only"], {
    cwd: root,
    env: { ...env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  say(`built in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
}

async function start(component, index) {
  const main = join(root, component.dir, "src", "main.ts");
  if (!existsSync(main)) {
    say(`${component.name}: no src/main.ts yet, skipped`);
    return;
  }
  if (component.migrate) await runScript(component, "migrate");
  if (stopping) return;
  say(`${component.name}: starting …`);
  const child = spawn(
    process.execPath,
    [...startNodeFlags(join(root, component.dir)), "--import", lifelineModule, "--import", "tsx", "src/main.ts"],
    {
      cwd: join(root, component.dir),
      env: { ...env, CLEARBOOK_LIFELINE_FD: String(LIFELINE_FD) },
      // fd 3 is the lifeline: this process holds the other end until it dies.
      stdio: ["ignore", "pipe", "pipe", "pipe"],
      // Its own process group: Ctrl-C reaches only this orchestrator, which stops the stack in
      // reverse order (gateway first, devpeer last), so nothing loses the service it depends on mid-shutdown.
      detached: true,
    },
  );
  children.push({ component, child });
  prefixed(component.name, index, child.stdout);
  prefixed(component.name, index, child.stderr);
  child.stdio[LIFELINE_FD].on("error", () => {});
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${component.name} stopped unexpectedly (${signal ?? `code ${code}`}); stopping the stack`);
      void stopAll(1);
    }
  });
  if (component.port) await waitForPort(component, child);
  say(`${component.name}: ready${component.port ? ` on port ${component.port}` : ""}`);
}

const running = (child) => child.exitCode === null && child.signalCode === null;

async function stopAll(code = 0, why = "") {
  if (stopping) return;
  stopping = true;
  say(`stopping${why ? ` (${why})` : ""} …`);
  if (step && step.exitCode === null) step.kill("SIGTERM");
  for (const { component, child } of [...children].reverse()) {
    if (!running(child)) continue;
    const exited = new Promise((r) => child.once("exit", () => r(true)));
    child.kill("SIGTERM");
    const inTime = await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 15_000))]);
    if (!inTime) {
      // Whatever it left behind in its process group goes with it.
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      say(`${component.name}: killed (it did not stop within 15 s of SIGTERM)`);
    } else {
      say(`${component.name}: stopped`);
    }
  }
  say("stopped");
  process.exit(code);
}

// If this process ends any other way, do not leave the stack running behind it.
process.on("exit", () => {
  for (const { child } of children) if (running(child)) child.kill("SIGTERM");
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stopAll(0, signal));
// npm does not pass SIGHUP on, and a shell that dies does not tell its children: when whoever
// started this process goes, this process is handed to another parent, and stops the stack.
const startedBy = process.ppid;
setInterval(() => {
  if (process.ppid !== startedBy) void stopAll(0, "the process that started it is gone");
}, 500).unref();

try {
  const t0 = Date.now();
  await run("local services", process.execPath, [fileURLToPath(new URL("local/services.mjs", import.meta.url))], {
    cwd: root,
  });
  await build();
  await checkPortsFree();
  await resetIfAsked(args, say);
  for (const [index, component] of components.entries()) await start(component, index);
  // Read models that follow another chain than the peer's stop the start here, with the fix.
  await ensureSameChain(say, env);
  const ledger = components.find((c) => c.name === "ledger");
  if (ledger && existsSync(join(root, ledger.dir, "src", "main.ts"))) await runScript(ledger, "seed");
  say(`up in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  if (existsSync(join(root, "web", "dist", "index.html"))) say(`web app: http://localhost:${ports.gateway}/`);
  say(`GraphQL: http://localhost:${ports.gateway}/graphql  (subscriptions: ws://localhost:${ports.gateway}/graphql)`);
  say(`health:  http://localhost:${ports.gateway}/health · http://localhost:${ports.gateway}/ready`);
  if (development) {
    say("demo logins (development only), password clearbook-demo:");
    say("  admin@clearbook.dev · council@clearbook.dev · member01@clearbook.dev … member30@clearbook.dev");
  }
  say("Ctrl-C (or SIGTERM) stops everything.");
} catch (error) {
  if (!stopping) {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll(1);
  }
}
