import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createLifecycle, createLogger, isDevelopmentMode, loadConfig, systemClock } from "@clearbook/kit";
import { createLedgerServices } from "../app.js";
import { ledgerEnvSchema } from "../config.js";
import { appOptionsOf, openLedgerRuntime, startRelay } from "../ledger-runtime.js";
import { seedDemo } from "../seed/demo-seed.js";
import { createGatewayVoter } from "../seed/gateway-voter.js";

// `npm run seed -w @clearbook/ledger`: the demo organization, once. Needs the stack running
// (devpeer, signer, this ledger's indexer; the gateway and voting service for the demo votes).
if (!isDevelopmentMode(process.env.NODE_ENV)) {
  process.stderr.write(
    "seed: refused outside NODE_ENV=development or test (the demo accounts share one known password)\n",
  );
  process.exit(1);
}
const config = loadConfig(ledgerEnvSchema);
const say = (line: string) => process.stdout.write(`seed: ${line}\n`);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
/** The operator's step for the demo admin: the signer's `enroll-admin`, with this stack's environment. */
const enrollAdmin = async (userId: string) => {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const { stdout } = await promisify(execFile)(
    npm,
    ["run", "-s", "enroll-admin", "-w", "@clearbook/signer", "--", userId],
    {
      cwd: repoRoot,
      env: process.env,
    },
  );
  say(stdout.trim().replace(/^enroll-admin: /, ""));
};
const lifecycle = createLifecycle();
try {
  const runtime = await openLedgerRuntime(
    config,
    lifecycle,
    createLogger({ name: "ledger-seed", level: config.LOG_LEVEL }),
    "ledger-seed",
  );
  // The ledger process relays too; a second relay is harmless (rows are claimed with SKIP LOCKED).
  startRelay(runtime, lifecycle);
  const services = createLedgerServices(appOptionsOf(config), {
    ...runtime,
    redis: runtime.redis.client,
    clock: systemClock,
  });
  const gatewayUrl = process.env.GATEWAY_URL ?? `http://127.0.0.1:${process.env.GATEWAY_PORT ?? "4000"}/graphql`;
  await seedDemo({
    services,
    fork: () => runtime.db.fork(),
    say,
    enrollAdmin,
    castVote: await createGatewayVoter(gatewayUrl, say),
  });
  say("done");
} catch (error) {
  process.stderr.write(`seed: failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await lifecycle.shutdown();
}
