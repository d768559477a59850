import { readFile } from "node:fs/promises";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  createChainClient,
  identityOf,
  loadConnectionProfile,
  privateKeySigner,
  type SigningIdentity,
} from "@clearbook/client";
import { ConfigError, createLogger, createMetrics, createOrm, createRedis, migrate } from "@clearbook/kit";
import { loadSignerEnv } from "./config.js";
import { enrollerFromEnv } from "./enrollment/enroller-from-env.js";
import { createEnrollmentService } from "./enrollment/enrollment.service.js";
import { createSigner } from "./signer.js";
import { signerEntities } from "./signer-entities.js";
import { serveMetrics } from "./signer-metrics.js";
import { createOutcomeChainGuard } from "./submission/outcome-chain.js";
import { createStageTimings } from "./submission/stage-timings.js";
import { createKeyVault } from "./vault/key-vault.js";
import { createLocalKeyWrapper } from "./vault/key-wrapper.js";
import { loadMasterKey } from "./vault/master-key.js";

/** The signer's own identity for evaluations on a real network. */
const SIGNER_SERVICE_USER = "service:signer";

let env: ReturnType<typeof loadSignerEnv>;
try {
  env = loadSignerEnv();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const logger = createLogger({ name: "signer", level: env.LOG_LEVEL });
const masterKey = await loadMasterKey({
  base64: env.SIGNER_MASTER_KEY,
  file: env.SIGNER_MASTER_KEY_FILE,
  devFile: env.devMasterKeyFile,
});
const profile = await loadConnectionProfile(env.connectionProfilePath);
const orm = await createOrm({
  mysqlUrl: env.MYSQL_URL,
  dbName: env.SIGNER_DB,
  entities: [...signerEntities],
  migrationsPath: fileURLToPath(new URL("../migrations", import.meta.url)),
  logger,
});
await migrate(orm.orm);
// Many commands in flight each XADD and XACK: auto-pipelining sends them in a few writes.
const redis = await createRedis(env.REDIS_URL, "signer", { overrides: { enableAutoPipelining: true } });

const enroller = await enrollerFromEnv(env, profile);

// Evaluations (commit lookups after a duplicate) run as the platform admin on the devpeer; on a real
// network as the signer's own service identity, enrolled once into the vault.
const wrapper = createLocalKeyWrapper(masterKey);
let reader: SigningIdentity;
if (profile.admin) {
  reader = {
    identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
    sign: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
  };
} else {
  const vault = createKeyVault({ fork: orm.fork, wrapper });
  const bootstrap = createEnrollmentService({ vault, enroller, mspId: profile.mspId, publish: async () => {} });
  await bootstrap.enroll({ userId: SIGNER_SERVICE_USER, role: "service" });
  reader = await vault.signingIdentity(SIGNER_SERVICE_USER);
}
const chain = createChainClient({ profile, reader });
const timings = createStageTimings();
const metrics = createMetrics("signer");
const signer = createSigner({
  orm,
  redis: redis.client,
  chain,
  wrapper,
  enroller,
  mspId: profile.mspId,
  consumerName: env.SIGNER_CONSUMER,
  commandKeys: env.commandKeys,
  maxProposalSkewMs: env.SIGNER_PROPOSAL_MAX_SKEW_MS,
  concurrency: env.concurrency,
  maxDeliveries: env.SIGNER_MAX_DELIVERIES,
  claimIdleMs: env.SIGNER_CLAIM_IDLE_MS,
  retry: { maxAttempts: env.SIGNER_MVCC_RETRIES, baseDelayMs: 20, maxDelayMs: 1_000 },
  namespace: env.SIGNER_STREAM_PREFIX,
  logger,
  timings,
  metrics,
});
// The outcome tracker records blocks of this chain (signed_tx.block): on another chain (a wiped
// devpeer, another channel) it would record outcomes against the wrong history, so it waits, with
// one clear error, until `npm run reindex -- signer` forgets the old chain.
const guard = createOutcomeChainGuard({ orm, chain, logger });
for (;;) {
  try {
    await guard.check();
    break;
  } catch (error) {
    if (guard.problem() !== error) logger.warn({ err: error }, "cannot check the chain yet; retrying");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
await signer.worker.start();
const metricsServer =
  env.SIGNER_METRICS_PORT > 0
    ? await serveMetrics(metrics, env.SIGNER_METRICS_PORT, env.SIGNER_METRICS_HOST)
    : undefined;
logger.info(
  { consumer: env.SIGNER_CONSUMER, concurrency: env.concurrency, endpoints: profile.endpoints.map((e) => e.address) },
  "signer started",
);

// Decided commands' rows are deleted once no redelivery can need them (decision 0206).
const retentionMs = env.SIGNER_SIGNED_TX_RETENTION_DAYS * 86_400_000;
let pruning: Promise<unknown> = Promise.resolve();
const pruneTimer = setInterval(() => {
  pruning = signer.store
    .prune(new Date(Date.now() - retentionMs))
    .then((deleted) => {
      if (deleted > 0) logger.info({ deleted }, "pruned signed_tx rows past their retention");
    })
    .catch((error: unknown) => logger.error({ err: error }, "pruning signed_tx failed"));
}, 3_600_000);
pruneTimer.unref();

// Event-loop delay tells a busy signer (its own CPU) from a waiting one (peer, database, scheduler).
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let sqlBefore = signer.store.stats();
const statsTimer =
  env.SIGNER_STATS_INTERVAL_MS > 0
    ? setInterval(() => {
        const stages = timings.take();
        const eventLoopDelayMs = { p50: loopDelay.percentile(50) / 1e6, p99: loopDelay.percentile(99) / 1e6 };
        loopDelay.reset();
        const sqlNow = signer.store.stats();
        const sql = { statements: sqlNow.statements - sqlBefore.statements, rows: sqlNow.rows - sqlBefore.rows };
        sqlBefore = sqlNow;
        if (Object.keys(stages).length > 0) logger.info({ stages, eventLoopDelayMs, sql }, "signer stage timings");
      }, env.SIGNER_STATS_INTERVAL_MS)
    : undefined;

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "signer stopping");
  clearInterval(statsTimer);
  clearInterval(pruneTimer);
  await pruning;
  metricsServer?.close();
  await signer.dispose();
  chain.dispose();
  await redis.dispose();
  await orm.dispose();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
