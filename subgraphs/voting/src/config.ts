import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConnectionProfilePath } from "@clearbook/client";
import { commandKeyEnv, requireCommandKeyInProduction, serviceEnv } from "@clearbook/kit";
import { z } from "zod";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The voting service's environment: the kit's base variables plus its own (all with local defaults). */
export const votingEnvSchema = serviceEnv({
  VOTING_PORT: z.coerce.number().int().min(0).max(65535).default(4002),
  VOTING_HOST: z.string().default("127.0.0.1"),
  VOTING_DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .default("clearbook_voting"),
  /** This replica's name: the finalizer's lease owner and the consumer name in Redis groups. */
  VOTING_REPLICA_ID: z.string().min(1).max(64).default(`${hostname()}-${process.pid}`),
  /** Pause between finalizer passes (a committed vote also wakes it). */
  VOTING_FINALIZER_INTERVAL_MS: positive(1000),
  /** How long other replicas leave a ballot alone after one asked the chain to finalize it. */
  VOTING_FINALIZER_LEASE_MS: positive(15_000),
  VOTING_DB_POOL_MAX: positive(20),
  /** A relayed vote still PENDING after this long is relayed again (lost with Redis). Under the signer's 120 s skew. */
  VOTING_RERELAY_AFTER_MS: positive(60_000),
  /** Prefix of every Redis key the service touches (`test:voting:`), for tests and benchmarks. */
  VOTING_STREAM_PREFIX: z.string().default(""),
  CLEARBOOK_DATA_DIR: z.string().default(resolve(repoRoot, ".data")),
  /** The peers' connection profile; the devpeer's `connection.json` by default. */
  FABRIC_CONNECTION_PROFILE: z.string().optional(),
  /**
   * The identity the indexer reads chaincode events as (certificate and key files). Not needed on
   * the devpeer, whose profile names a dev admin; required on a real network.
   */
  VOTING_CHAIN_READER_CERT_PATH: z.string().optional(),
  VOTING_CHAIN_READER_KEY_PATH: z.string().optional(),
  ...commandKeyEnv,
}).superRefine((env, ctx) => requireCommandKeyInProduction(env, ctx));

export type VotingEnv = z.output<typeof votingEnvSchema>;

export function connectionProfilePath(env: VotingEnv): string {
  return env.FABRIC_CONNECTION_PROFILE ?? defaultConnectionProfilePath(env.CLEARBOOK_DATA_DIR);
}
