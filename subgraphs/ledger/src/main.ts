import { createLifecycle, createLogger, loadConfig, startProcessedCommandPruning, systemClock } from "@clearbook/kit";
import { createLedgerApp } from "./app.js";
import { ledgerEnvSchema } from "./config.js";
import { createChainOutcomeConsumer } from "./indexer/chain-outcome.consumer.js";
import { publishChanges, startLedgerIndexer } from "./indexer/event-indexer.js";
import { appOptionsOf, openLedgerRuntime, startDeferredReleaser, startRelay } from "./ledger-runtime.js";

// The ledger process: subgraph server, outbox relay, chaincode-event indexer, evt:chain consumer.
const config = loadConfig(ledgerEnvSchema);
const logger = createLogger({ name: "ledger", level: config.LOG_LEVEL });
const lifecycle = createLifecycle(logger);
lifecycle.handleSignals();
const runtime = await openLedgerRuntime(config, lifecycle, logger);
const relay = startRelay(runtime, lifecycle);
const releaser = startDeferredReleaser(runtime, lifecycle, relay);
const indexer = await startLedgerIndexer({
  db: runtime.db,
  chain: runtime.chainClient,
  redis: runtime.redis.client,
  clock: systemClock,
  logger: runtime.logger,
  namespace: runtime.streamPrefix,
});
lifecycle.add({ name: "indexer", dispose: () => indexer.dispose() });
const outcomes = createChainOutcomeConsumer({
  db: runtime.db,
  redis: runtime.redis.client,
  logger: runtime.logger,
  clock: systemClock,
  consumer: config.LEDGER_CONSUMER,
  namespace: runtime.streamPrefix,
  onChanged: (changed) => publishChanges(runtime.redis.client, changed, { namespace: runtime.streamPrefix }),
  onApplied: () => releaser.kick(),
});
await outcomes.start();
lifecycle.add({ name: "chain-outcomes", dispose: () => outcomes.dispose() });
lifecycle.add(
  startProcessedCommandPruning({
    orm: runtime.db,
    logger: runtime.logger,
    retentionMs: config.PROCESSED_COMMAND_RETENTION_DAYS * 86_400_000,
  }),
);
const app = await createLedgerApp(appOptionsOf(config), {
  ...runtime,
  redis: runtime.redis.client,
  clock: systemClock,
  readiness: [indexer.guard.readiness],
});
lifecycle.add({ name: "server", dispose: () => app.dispose() });
await app.listen();
