import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ChainClient,
  createChainClient,
  defaultConnectionProfilePath,
  identityOf,
  loadConnectionProfile,
  privateKeySigner,
} from "@clearbook/client";
import {
  type CommandSigningKey,
  createLogger,
  createOutboxRelay,
  createRedis,
  type Lifecycle,
  type Logger,
  type OutboxRelay,
  type RedisHandle,
  resolveCommandKey,
  systemClock,
} from "@clearbook/kit";
import type { LedgerAppOptions } from "./app.js";
import {
  createTokenKeys,
  loadOrCreateDevJwk,
  parsePrivateJwk,
  parsePublicJwk,
  type TokenKeys,
} from "./auth/token-keys.js";
import type { ChainCommands } from "./chain/chain.port.js";
import { createDeferredReleaser, type DeferredReleaser } from "./chain/deferred-commands.js";
import { createFabricReads, type FabricReads } from "./chain/fabric-reads.js";
import { createOutboxChain, type PrepareProposal } from "./chain/outbox-chain.js";
import type { LedgerConfig } from "./config.js";
import { createLedgerDatabase, type LedgerDatabase } from "./db/database.js";
import { publishChanges } from "./indexer/event-indexer.js";

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

/** Where development state lives: `CLEARBOOK_DATA_DIR` or `<repo>/.data`. */
export const dataDirOf = (config: LedgerConfig) => config.CLEARBOOK_DATA_DIR ?? resolve(repoRoot, ".data");

/** The name the ledger signs its commands under; the signer holds its key (decision 0360). */
export const LEDGER_SERVICE = "ledger";

/** The resources every ledger process (server, seed) needs, registered on `lifecycle` in open order. */
export interface LedgerRuntime {
  logger: Logger;
  db: LedgerDatabase;
  redis: RedisHandle;
  keys: TokenKeys;
  chainClient: ChainClient;
  chain: ChainCommands;
  /** Builds unsigned proposals (for deferred commands sent later). */
  prepare: PrepareProposal;
  reads: FabricReads;
  /** `LEDGER_STREAM_PREFIX`: prefix of every stream this process reads or writes. */
  streamPrefix: string;
  /** A relayed command with no outcome after this long is relayed again (decision 0301). */
  rerelayAfterMs: number;
  /** The key the relay signs `cmd:*` entries with (decision 0360). */
  commandKey: CommandSigningKey;
}

/** The production key from `LEDGER_JWT_PRIVATE_JWK`, or the development key kept under the data dir. */
export async function loadTokenKeys(config: LedgerConfig): Promise<TokenKeys> {
  const jwk = config.LEDGER_JWT_PRIVATE_JWK
    ? parsePrivateJwk(config.LEDGER_JWT_PRIVATE_JWK)
    : await loadOrCreateDevJwk(resolve(dataDirOf(config), "ledger", "jwt-keys.json"));
  return createTokenKeys(jwk, {
    next: config.LEDGER_JWT_NEXT_PUBLIC_JWK ? parsePublicJwk(config.LEDGER_JWT_NEXT_PUBLIC_JWK) : undefined,
    previous: config.LEDGER_JWT_PREVIOUS_PUBLIC_JWK ? parsePublicJwk(config.LEDGER_JWT_PREVIOUS_PUBLIC_JWK) : undefined,
  });
}

/** Opens the database, Redis and the chain connections. */
export async function openLedgerRuntime(
  config: LedgerConfig,
  lifecycle: Lifecycle,
  logger: Logger = createLogger({ name: "ledger", level: config.LOG_LEVEL }),
  name = "ledger",
): Promise<LedgerRuntime> {
  const db = lifecycle.add({
    name: "mysql",
    ...(await createLedgerDatabase({ mysqlUrl: config.MYSQL_URL, dbName: config.LEDGER_DB_NAME, logger })),
  });
  const redis = await createRedis(config.REDIS_URL, name);
  lifecycle.add({ name: "redis", dispose: () => redis.dispose() });
  const keys = await loadTokenKeys(config);
  const profile = await loadConnectionProfile(
    config.FABRIC_CONNECTION_PROFILE ?? defaultConnectionProfilePath(dataDirOf(config)),
  );
  if (!profile.admin) throw new Error("the connection profile has no reader identity (admin cert and key)");
  const chainClient = createChainClient({
    profile,
    reader: {
      identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
      sign: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
    },
  });
  lifecycle.add({ name: "chain-client", dispose: () => chainClient.dispose() });
  const reads = await createFabricReads(profile);
  lifecycle.add({ name: "chain-reads", dispose: () => reads.dispose() });
  const prepare: PrepareProposal = (identity, transaction, args) =>
    chainClient.prepareProposal({ identity: identityOf(identity.mspId, identity.certPem), transaction, args });
  const chain = createOutboxChain({ clock: systemClock, prepare });
  const commandKey = resolveCommandKey({
    service: LEDGER_SERVICE,
    configured: config.CLEARBOOK_COMMAND_KEY,
    nodeEnv: config.NODE_ENV,
    internalSecret: config.CLEARBOOK_INTERNAL_SECRET,
  });
  return {
    logger,
    db,
    redis,
    keys,
    chainClient,
    chain,
    prepare,
    reads,
    streamPrefix: config.LEDGER_STREAM_PREFIX,
    rerelayAfterMs: config.LEDGER_RERELAY_AFTER_MS,
    commandKey,
  };
}

/** Starts the outbox relay (commands to `cmd:ledger` and `cmd:signer`). */
export function startRelay(runtime: LedgerRuntime, lifecycle: Lifecycle) {
  const relay = createOutboxRelay({
    orm: runtime.db,
    redis: runtime.redis.client,
    logger: runtime.logger,
    pollIntervalMs: 100,
    namespace: runtime.streamPrefix,
    signing: runtime.commandKey,
  });
  relay.start();
  lifecycle.add({ name: "outbox-relay", dispose: () => relay.dispose() });
  return relay;
}

/** Starts the releaser of deferred commands (decision 0300); it wakes `relay` when it sends. */
export function startDeferredReleaser(
  runtime: LedgerRuntime,
  lifecycle: Lifecycle,
  relay: Pick<OutboxRelay, "kick">,
): DeferredReleaser {
  const releaser = createDeferredReleaser({
    db: runtime.db,
    prepare: runtime.prepare,
    clock: systemClock,
    logger: runtime.logger,
    rerelayAfterMs: runtime.rerelayAfterMs,
    onSent: () => relay.kick(),
    onChanged: (changed) => publishChanges(runtime.redis.client, changed, { namespace: runtime.streamPrefix }),
  });
  releaser.start();
  lifecycle.add({ name: "deferred-commands", dispose: () => releaser.dispose() });
  return releaser;
}

/** The S3 evidence store's options (the config's refinement made bucket and region present). */
function s3OptionsOf(config: LedgerConfig): NonNullable<LedgerAppOptions["evidenceS3"]> {
  return {
    bucket: config.LEDGER_S3_BUCKET ?? "",
    region: config.LEDGER_S3_REGION ?? "",
    ...(config.LEDGER_S3_ENDPOINT ? { endpoint: config.LEDGER_S3_ENDPOINT } : {}),
    forcePathStyle: config.LEDGER_S3_FORCE_PATH_STYLE,
  };
}

/** The subgraph's options from the parsed environment. */
export function appOptionsOf(config: LedgerConfig): LedgerAppOptions {
  return {
    port: config.LEDGER_PORT,
    host: config.LEDGER_HOST,
    internalSecret: config.CLEARBOOK_INTERNAL_SECRET,
    publicUrl: config.LEDGER_PUBLIC_URL,
    evidenceDir: resolve(dataDirOf(config), "evidence"),
    ...(config.LEDGER_EVIDENCE_STORE === "s3" ? { evidenceS3: s3OptionsOf(config) } : {}),
    evidenceUrlTtlSeconds: config.LEDGER_EVIDENCE_URL_TTL_SECONDS,
    evidenceMaxBytes: config.LEDGER_EVIDENCE_MAX_BYTES,
    accessTtlSeconds: config.LEDGER_ACCESS_TOKEN_TTL_SECONDS,
    refreshTtlDays: config.LEDGER_REFRESH_TOKEN_TTL_DAYS,
    throttlePrefix: "ledger:login:",
    loginMaxFailuresPerAccount: config.LEDGER_LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginMaxFailuresPerIp: config.LEDGER_LOGIN_MAX_FAILURES_PER_IP,
    loginWindowSeconds: config.LEDGER_LOGIN_WINDOW_SECONDS,
    development: config.NODE_ENV === "development",
  };
}
