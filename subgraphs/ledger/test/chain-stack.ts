import "reflect-metadata";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Follower } from "@clearbook/client";
import {
  type ChainClient,
  createChainClient,
  identityOf,
  loadConnectionProfile,
  privateKeySigner,
} from "@clearbook/client";
import { createDevpeer, type Devpeer, setChaincodeLogLevel } from "@clearbook/devpeer";
import {
  createLogger,
  createOrm,
  createOutboxRelay,
  deriveDevCommandKey,
  type OrmHandle,
  type OutboxRelay,
  type StreamConsumer,
  signViewer,
  syncSchemaForTests,
  systemClock,
} from "@clearbook/kit";
import {
  createDevCaEnroller,
  createLocalKeyWrapper,
  createSigner,
  type Signer,
  signerEntities,
} from "@clearbook/signer";
import { createLedgerApp, type LedgerApp } from "../src/app.js";
import { createTokenKeys, generatePrivateJwk } from "../src/auth/token-keys.js";
import { createDeferredReleaser } from "../src/chain/deferred-commands.js";
import { createFabricReads, type FabricReads } from "../src/chain/fabric-reads.js";
import { createOutboxChain, type PrepareProposal } from "../src/chain/outbox-chain.js";
import { createChainOutcomeConsumer } from "../src/indexer/chain-outcome.consumer.js";
import { type LedgerIndexer, publishChanges, startLedgerIndexer } from "../src/indexer/event-indexer.js";
import { createTestDatabase, createTestRedis, MYSQL_URL, plain } from "./helpers.js";

export const STACK_SECRET = "test-ledger-stack-internal-secret-0123456789";

/**
 * A real chain under the ledger: an in-process devpeer, the signer (dev CA, its own test database)
 * consuming this test's `cmd:*` streams, and the ledger's relay, indexer and outcome consumer, all
 * under one Redis prefix.
 */
export interface ChainStack {
  url: string;
  ns: string;
  devpeer: Devpeer;
  profilePath: string;
  logger: ReturnType<typeof createLogger>;
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  redis: Awaited<ReturnType<typeof createTestRedis>>;
  reads: FabricReads;
  chainClient: ChainClient;
  app: LedgerApp;
  gql(
    query: string,
    variables?: Record<string, unknown>,
    as?: { sub: string | null; roles?: "ADMIN"[] },
  ): Promise<{ data: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] }>;
  /**
   * Issues a platform admin's identity as an operator does (`npm run enroll-admin -w @clearbook/signer`):
   * straight to the signer, since no stream may ask for one. Announced on `evt:chain` as any identity.
   */
  enrollAdmin(userId: string): Promise<void>;
  /** (Re)starts the indexer, on `chain` when given (the same database, another peer). */
  startIndexer(chain?: ChainClient): Promise<void>;
  /** A second indexer, as another replica would run (same checkpoint); the caller disposes it. */
  startReplicaIndexer(): Promise<Follower>;
  stopIndexer(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startChainStack(name: string): Promise<ChainStack> {
  setChaincodeLogLevel("CRITICAL");
  const dir = await mkdtemp(join(tmpdir(), "ledger-devpeer-"));
  const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
  const devpeer = await createDevpeer({ dir, port: 0, logger: quiet as never });
  const profile = await loadConnectionProfile(devpeer.connectionProfilePath);
  if (!profile.admin || !profile.ca) throw new Error("devpeer profile without admin or CA");
  const reader = {
    identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
    sign: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
  };
  const chainClient = createChainClient({ profile, reader });
  const signerChain = createChainClient({ profile, reader });
  const db = await createTestDatabase(name);
  const redis = await createTestRedis(name);
  const ns = redis.prefix;
  const logger = createLogger({
    name: "ledger-stack",
    level: process.env.STACK_LOG_LEVEL === "warn" ? "warn" : "silent",
  });

  const signerDbName = `clearbook_test_ledger_signer_${randomBytes(3).toString("hex")}`;
  const signerOrm: OrmHandle = await createOrm({
    mysqlUrl: MYSQL_URL,
    dbName: signerDbName,
    entities: [...signerEntities],
  });
  await signerOrm.orm.schema.ensureDatabase();
  await syncSchemaForTests(signerOrm.orm);
  const signer: Signer = createSigner({
    orm: signerOrm,
    redis: redis.client,
    chain: signerChain,
    wrapper: createLocalKeyWrapper(randomBytes(32)),
    enroller: createDevCaEnroller({
      caCertPem: await readFile(profile.ca.certPath, "utf8"),
      caKeyPem: await readFile(profile.ca.keyPath, "utf8"),
    }),
    mspId: profile.mspId,
    consumerName: "ledger-stack-signer",
    // As a development stack: each service's key derived from the internal secret (decision 0360).
    commandKeys: new Map(["ledger", "voting"].map((service) => [service, deriveDevCommandKey(STACK_SECRET, service)])),
    concurrency: 16,
    blockMs: 50,
    namespace: ns,
    domains: ["ledger", "signer", "voting"],
    logger,
  });
  await signer.worker.start();

  const relay: OutboxRelay = createOutboxRelay({
    orm: db,
    redis: redis.client,
    namespace: ns,
    pollIntervalMs: 20,
    logger,
    signing: { service: "ledger", key: deriveDevCommandKey(STACK_SECRET, "ledger") },
  });
  relay.start();
  const reads = await createFabricReads(profile);
  const prepare: PrepareProposal = (identity, transaction, args) =>
    chainClient.prepareProposal({ identity: identityOf(identity.mspId, identity.certPem), transaction, args });
  const chain = createOutboxChain({ clock: systemClock, prepare });
  const releaser = createDeferredReleaser({
    db,
    prepare,
    clock: systemClock,
    logger,
    pollIntervalMs: 50,
    // Short, so a test of a lost enrollment sees it requested again within its wait.
    enrollRetryMs: 500,
    onSent: () => relay.kick(),
    onChanged: (changed) => publishChanges(redis.client, changed, { namespace: ns }),
  });
  releaser.start();
  const outcomes: StreamConsumer = createChainOutcomeConsumer({
    db,
    redis: redis.client,
    logger,
    clock: systemClock,
    consumer: "ledger-stack",
    namespace: ns,
    onChanged: (changed) => publishChanges(redis.client, changed, { namespace: ns }),
    onApplied: () => releaser.kick(),
  });
  await outcomes.start();
  let indexer: LedgerIndexer | null = null;
  const startIndexer = async (chain: ChainClient = chainClient) => {
    indexer = await startLedgerIndexer({
      db,
      chain,
      redis: redis.client,
      clock: systemClock,
      logger,
      namespace: ns,
    });
  };
  await startIndexer();
  const evidenceDir = await mkdtemp(join(tmpdir(), "ledger-evidence-"));
  const app = await createLedgerApp(
    {
      port: 0,
      internalSecret: STACK_SECRET,
      publicUrl: "http://gateway.test",
      evidenceDir,
      evidenceUrlTtlSeconds: 60,
      evidenceMaxBytes: 1024 * 1024,
      accessTtlSeconds: 900,
      refreshTtlDays: 30,
      throttlePrefix: `${ns}login:`,
      loginMaxFailuresPerAccount: 5,
      loginMaxFailuresPerIp: 50,
      loginWindowSeconds: 60,
      development: true,
    },
    {
      db,
      redis: redis.client,
      chain,
      reads,
      keys: await createTokenKeys(await generatePrivateJwk()),
      clock: systemClock,
      logger,
      // Whichever indexer runs now: a test may restart it against another chain.
      readiness: [{ name: "chain", check: async () => indexer?.guard.readiness.check() }],
    },
  );
  const url = await app.listen();

  return {
    url,
    ns,
    devpeer,
    profilePath: devpeer.connectionProfilePath,
    logger,
    db,
    redis,
    reads,
    chainClient,
    app,
    async gql(query, variables = {}, as = { sub: null }) {
      const body = JSON.stringify({ query, variables });
      const res = await fetch(`${url}/graphql`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-clearbook-viewer": signViewer(
            { sub: as.sub, roles: as.roles ?? [], partner: null, rid: "stack" },
            STACK_SECRET,
            { binding: { audience: "ledger", body } },
          ),
        },
        body,
        signal: AbortSignal.timeout(15_000),
      });
      const json = plain((await res.json()) as { data?: Record<string, unknown> | null; errors?: [] });
      return { data: json.data ?? {}, ...(json.errors ? { errors: json.errors } : {}) };
    },
    enrollAdmin: (userId) => signer.enrollment.handle({ commandId: `enroll-admin:${userId}`, userId, role: "admin" }),
    startIndexer,
    startReplicaIndexer: () =>
      startLedgerIndexer({ db, chain: chainClient, redis: redis.client, clock: systemClock, logger, namespace: ns }),
    async stopIndexer() {
      await indexer?.dispose();
      indexer = null;
    },
    async dispose() {
      await app.dispose();
      await indexer?.dispose();
      await outcomes.dispose();
      await releaser.dispose();
      await relay.dispose();
      await signer.dispose();
      reads.dispose();
      chainClient.dispose();
      signerChain.dispose();
      await devpeer.dispose();
      await signerOrm.orm.schema.dropDatabase(signerDbName);
      await signerOrm.dispose();
      await db.dispose();
      await redis.dispose();
      await rm(dir, { recursive: true, force: true });
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value; fails after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
