// `npm run fabric:up [-- --ha] [-- --batch-timeout-ms N]` and `npm run fabric:down`.
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { findFabric } from "./binaries.js";
import { repoRoot, startNetwork } from "./network.js";
import { readPids, stopProcess } from "./processes.js";
import { waitUntilServing } from "./ready.js";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    ha: { type: "boolean", default: false },
    "batch-timeout-ms": { type: "string", default: "250" },
    "max-message-count": { type: "string", default: "500" },
    "gateway-limit": { type: "string", default: "500" },
  },
});
const dir = join(process.env.CLEARBOOK_DATA_DIR ?? join(repoRoot, ".data"), "fabric");
const command = positionals[0];

async function down(): Promise<number> {
  const pids = await readPids(join(dir, "pids.json"));
  for (const { name, pid } of pids.reverse()) {
    await stopProcess(pid);
    console.log(`stopped ${name} (${pid})`);
  }
  if (pids.length === 0) console.log(`no Fabric network running from ${relative(process.cwd(), dir) || dir}`);
  return 0;
}

async function up(): Promise<number> {
  const fabric = findFabric();
  if ("missing" in fabric) {
    console.error(`Fabric's binaries were not found:\n  ${fabric.missing.join("\n  ")}`);
    console.error(
      "Install Fabric 2.5's release and set FABRIC_BIN_DIR=<release>/bin FABRIC_CFG_PATH=<release>/config.",
    );
    return 1;
  }
  const batchTimeoutMs = Number(values["batch-timeout-ms"]);
  const maxMessageCount = Number(values["max-message-count"]);
  if (!Number.isInteger(batchTimeoutMs) || batchTimeoutMs < 1 || !Number.isInteger(maxMessageCount)) {
    console.error("--batch-timeout-ms and --max-message-count take positive integers");
    return 1;
  }
  await down();
  const t0 = Date.now();
  const network = await startNetwork({
    dir,
    fabric: fabric.found,
    shape: values.ha ? "ha" : "quick",
    batchTimeoutMs,
    maxMessageCount,
    gatewayConcurrencyLimit: Number(values["gateway-limit"]),
    detached: true,
    log: (line) => console.log(`· ${line}`),
  });
  await waitUntilServing(network.profilePath);
  console.log(
    `\nFabric (${network.shape}) is up in ${((Date.now() - t0) / 1000).toFixed(1)} s; logs in ${join(dir, "logs")}.`,
  );
  console.log(`Point the stack at it:\n\n  export FABRIC_CONNECTION_PROFILE=${network.profilePath}\n`);
  console.log("Stop it with `npm run fabric:down`.");
  return 0;
}

const handlers: Record<string, () => Promise<number>> = { up, down };
const handler = command ? handlers[command] : undefined;
if (!handler) {
  console.error("usage: main.ts up [--ha] [--batch-timeout-ms N] [--max-message-count N] [--gateway-limit N] | down");
  process.exit(2);
}
handler().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
