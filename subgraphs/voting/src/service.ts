import { readFile } from "node:fs/promises";
import {
  type ChainClient,
  type ConnectionProfile,
  createChainClient,
  identityOf,
  privateKeySigner,
  type SigningIdentity,
} from "@clearbook/client";
import {
  type Clock,
  createLifecycle,
  createMetrics,
  createOutboxRelay,
  createRedis,
  isDevelopmentMode,
  type Lifecycle,
  type Logger,
  resolveCommandKey,
  startProcessedCommandPruning,
} from "@clearbook/kit";
import { createVotingApi } from "./api.js";
import { createChainOutcomeConsumer } from "./chain/chain-outcome.consumer.js";
import { createIdentityCache } from "./chain/identity-cache.js";
import { createOutboxVotingCommands, requestServiceIdentity } from "./chain/outbox-voting-commands.js";
import { startVoteRerelay } from "./chain/vote-rerelay.js";
import type { VotingEnv } from "./config.js";
import { createVotingOrm } from "./db/database.js";
import { createFinalizer } from "./finalizer/ballot-finalizer.js";
import { startVotingIndexer } from "./indexer/voting-indexer.js";

/** The name voting signs its commands under; the signer holds its key (decision 0360). */
export const VOTING_SERVICE = "voting";

/** How long a recorded vote may wait for others to share its relay batch. */
const RELAY_KICK_DELAY_MS = 5;

export interface VotingServiceDeps {
  env: VotingEnv;
  profile: ConnectionProfile;
  clock: Clock;
  logger: Logger;
}

export interface VotingService {
  /** The subgraph's URL. */
  url: string;
  lifecycle: Lifecycle;
  dispose(): Promise<void>;
}

/** The identity chaincode events are read as: the configured one, else the devpeer's dev admin. */
export async function readerIdentity(env: VotingEnv, profile: ConnectionProfile): Promise<SigningIdentity> {
  const files =
    env.VOTING_CHAIN_READER_CERT_PATH && env.VOTING_CHAIN_READER_KEY_PATH
      ? { certPath: env.VOTING_CHAIN_READER_CERT_PATH, keyPath: env.VOTING_CHAIN_READER_KEY_PATH }
      : profile.admin;
  if (!files) {
    throw new Error(
      "set VOTING_CHAIN_READER_CERT_PATH and VOTING_CHAIN_READER_KEY_PATH: the profile names no dev admin",
    );
  }
  return {
    identity: identityOf(profile.mspId, await readFile(files.certPath, "utf8")),
    sign: privateKeySigner(await readFile(files.keyPath, "utf8")),
  };
}

/**
 * Starts one voting replica: the subgraph, the indexer (chain events → read model → `evt:voting`),
 * the finalizer, the `evt:chain` consumer and the outbox relay. Everything closes in reverse order.
 */
export async function startVotingService(deps: VotingServiceDeps): Promise<VotingService> {
  const { env, clock, logger } = deps;
  const lifecycle = createLifecycle(logger);
  try {
    const namespace = env.VOTING_STREAM_PREFIX;
    const open = (name: string, poolMax: number) =>
      createVotingOrm({ mysqlUrl: env.MYSQL_URL, dbName: env.VOTING_DB_NAME, logger, poolMax }).then((orm) =>
        lifecycle.add({ name, ...orm }),
      );
    const orm = await open("mysql (requests)", env.VOTING_DB_POOL_MAX);
    // The indexer, finalizer, relay and evt:chain consumer get their own connections: under a vote
    // burst requests queue for the request pool, and an indexer waiting behind them held every tally
    // back by seconds (bench:votes).
    const background = await open("mysql (background)", 6);
    const redis = lifecycle.add({
      name: "redis",
      // Commands issued in the same tick (the evt:chain consumer's acknowledgements of a read, the
      // indexer's appends) leave in one write.
      ...(await createRedis(env.REDIS_URL, `voting-${env.VOTING_REPLICA_ID}`, {
        overrides: { enableAutoPipelining: true },
      })),
    });
    const chain: ChainClient = createChainClient({
      profile: deps.profile,
      reader: await readerIdentity(env, deps.profile),
    });
    lifecycle.add({ name: "chain", dispose: () => chain.dispose() });

    const signing = resolveCommandKey({
      service: VOTING_SERVICE,
      configured: env.CLEARBOOK_COMMAND_KEY,
      nodeEnv: env.NODE_ENV,
      internalSecret: env.CLEARBOOK_INTERNAL_SECRET,
    });
    const relay = createOutboxRelay({ orm: background, redis: redis.client, logger, clock, namespace, signing });
    relay.start();
    lifecycle.add({ name: "outbox relay", dispose: () => relay.dispose() });
    lifecycle.add(
      startVoteRerelay({
        orm: background,
        clock,
        afterMs: env.VOTING_RERELAY_AFTER_MS,
        logger,
        onMarked: () => relay.kick(),
      }),
    );
    await requestServiceIdentity(background.fork(), clock);
    relay.kick();

    const identities = createIdentityCache();
    const commands = createOutboxVotingCommands({
      clock,
      identities,
      prepare: (identity, transaction, args) =>
        chain.prepareProposal({ identity: identityOf(identity.mspId, identity.certPem), transaction, args }),
    });
    let kickTimer: NodeJS.Timeout | undefined;
    const kickSoon = () => {
      kickTimer ??= setTimeout(() => {
        kickTimer = undefined;
        relay.kick();
      }, RELAY_KICK_DELAY_MS);
    };
    lifecycle.add({ name: "relay kick", dispose: () => clearTimeout(kickTimer) });

    const outcomes = createChainOutcomeConsumer({
      orm: background,
      redis: redis.client,
      logger,
      consumer: env.VOTING_REPLICA_ID,
      namespace,
      identities,
    });
    await outcomes.start();
    lifecycle.add({ name: "evt:chain consumer", dispose: () => outcomes.dispose() });

    const finalizer = createFinalizer({
      fork: () => background.fork(),
      commands,
      clock,
      logger: logger.child({ component: "finalizer" }),
      replicaId: env.VOTING_REPLICA_ID,
      leaseMs: env.VOTING_FINALIZER_LEASE_MS,
      intervalMs: env.VOTING_FINALIZER_INTERVAL_MS,
    });
    finalizer.start();
    lifecycle.add({ name: "finalizer", dispose: () => finalizer.dispose() });

    const indexer = await startVotingIndexer({
      orm: background,
      redis: redis.client,
      chain,
      logger: logger.child({ component: "indexer" }),
      namespace,
      onApplied: (events) => {
        if (events.some((e) => e.type === "VoteTallyChanged")) finalizer.wake();
      },
    });
    lifecycle.add({ name: "indexer", dispose: () => indexer.dispose() });
    lifecycle.add(
      startProcessedCommandPruning({
        orm: background,
        logger,
        retentionMs: env.PROCESSED_COMMAND_RETENTION_DAYS * 86_400_000,
        clock,
      }),
    );

    const api = await createVotingApi(
      {
        port: env.VOTING_PORT,
        host: env.VOTING_HOST,
        internalSecret: env.CLEARBOOK_INTERNAL_SECRET,
        development: isDevelopmentMode(env.NODE_ENV),
      },
      // A recorded vote leaves for the signer within a few milliseconds rather than at the relay's
      // next poll; under a burst the votes of those milliseconds share one relay batch.
      {
        orm,
        commands,
        clock,
        logger,
        metrics: createMetrics("voting"),
        onCommandRecorded: kickSoon,
        readiness: [indexer.guard.readiness],
      },
    );
    const url = await api.listen();
    lifecycle.add({ name: "http", dispose: () => api.dispose() });
    return { url, lifecycle, dispose: () => lifecycle.shutdown() };
  } catch (error) {
    await lifecycle.shutdown();
    throw error;
  }
}
