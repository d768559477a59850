import { createLifecycle, createLogger, loadConfig, systemClock } from "@clearbook/kit";
import { ledgerEnvSchema } from "../config.js";
import { reindexLedger } from "../indexer/reindex.js";
import { openLedgerRuntime } from "../ledger-runtime.js";

// `npm run reindex -w @clearbook/ledger` (or `npm run reindex` at the root): rebuilds the read
// models from block 0 of the chain the connection profile names.
const config = loadConfig(ledgerEnvSchema);
const say = (line: string) => process.stdout.write(`reindex: ${line}\n`);
const lifecycle = createLifecycle();
try {
  const runtime = await openLedgerRuntime(
    config,
    lifecycle,
    createLogger({ name: "ledger-reindex", level: config.LOG_LEVEL }),
    "ledger-reindex",
  );
  await reindexLedger({
    db: runtime.db,
    chain: runtime.chainClient,
    redis: runtime.redis.client,
    clock: systemClock,
    logger: runtime.logger,
    namespace: runtime.streamPrefix,
    say,
  });
} catch (error) {
  process.stderr.write(`reindex: ledger failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await lifecycle.shutdown();
}
