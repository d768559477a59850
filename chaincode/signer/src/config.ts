import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConnectionProfilePath } from "@clearbook/client";
import {
  type CommandKeys,
  deriveDevCommandKey,
  isProductionEnv,
  parseCommandKeys,
  parseEnv,
  serviceEnv,
} from "@clearbook/kit";
import { z } from "zod";
import { COMMAND_PRODUCERS } from "./submission/command-policy.js";
import { signerConcurrency } from "./submission/concurrency.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The signer's environment; see the package README for each variable. */
export const signerEnvSchema = serviceEnv({
  CLEARBOOK_DATA_DIR: z.string().default(resolve(repoRoot, ".data")),
  FABRIC_CONNECTION_PROFILE: z.string().optional(),
  SIGNER_DB: z
    .string()
    .regex(/^[a-z0-9_]+$/)
    .default("clearbook_signer"),
  SIGNER_MASTER_KEY: z.string().optional(),
  SIGNER_MASTER_KEY_FILE: z.string().optional(),
  /** Commands in flight per stream; unset: sized from the three variables below (decision 0321). */
  SIGNER_CONCURRENCY: z.coerce.number().int().positive().optional(),
  /** The peer's gateway concurrency limit, Fabric's `peer.limits.concurrency.gatewayService`. */
  FABRIC_GATEWAY_CONCURRENCY_LIMIT: positive(500),
  /** The channel's batch timeout (the devpeer's DEVPEER_BATCH_TIMEOUT_MS defaults to 10). */
  FABRIC_BATCH_TIMEOUT_MS: positive(250),
  /** Signer processes sharing those peers. */
  SIGNER_REPLICAS: positive(1),
  SIGNER_MAX_DELIVERIES: positive(5),
  SIGNER_CLAIM_IDLE_MS: positive(30_000),
  SIGNER_MVCC_RETRIES: positive(10),
  SIGNER_CONSUMER: z.string().default(`${hostname()}-${process.pid}`),
  /** Prefix of every stream key (`test:signer:`), so tests and benchmarks never touch live streams. */
  SIGNER_STREAM_PREFIX: z.string().default(""),
  /** Port of `/metrics` and `/health` (0 = no HTTP server). */
  SIGNER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9469),
  /** Interface of `/metrics` and `/health`: loopback by default; `0.0.0.0` for a scraper on another host. */
  SIGNER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** How often the signer logs per-stage timings of the commands it handled (0 = never). */
  SIGNER_STATS_INTERVAL_MS: z.coerce.number().int().nonnegative().default(60_000),
  /** Days a decided command's `signed_tx` row is kept (pruned hourly; decision 0206). */
  SIGNER_SIGNED_TX_RETENTION_DAYS: z.coerce.number().positive().default(7),
  /** `service=key,…`: each producing service's command key (decision 0360); derived in development. */
  SIGNER_COMMAND_KEYS: z.string().optional(),
  /** How far a service's proposal timestamp may be from the signer's clock (decision 0362). */
  SIGNER_PROPOSAL_MAX_SKEW_MS: positive(120_000),
  SIGNER_ENROLLER: z.enum(["dev-ca", "fabric-ca"]).default("dev-ca"),
  FABRIC_CA_URL: z.url().optional(),
  FABRIC_CA_NAME: z.string().optional(),
  FABRIC_CA_REGISTRAR_CERT_PATH: z.string().optional(),
  FABRIC_CA_REGISTRAR_KEY_PATH: z.string().optional(),
}).superRefine((env, ctx) => {
  const e: Record<string, unknown> = env;
  if (e.NODE_ENV === "production" && !e.SIGNER_MASTER_KEY && !e.SIGNER_MASTER_KEY_FILE) {
    ctx.addIssue({
      code: "custom",
      path: ["SIGNER_MASTER_KEY"],
      message: "SIGNER_MASTER_KEY or SIGNER_MASTER_KEY_FILE is required in production",
    });
  }
  if (typeof e.SIGNER_COMMAND_KEYS === "string") {
    try {
      parseCommandKeys(e.SIGNER_COMMAND_KEYS);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["SIGNER_COMMAND_KEYS"], message: (error as Error).message });
    }
  } else if (isProductionEnv(e.NODE_ENV as string | undefined)) {
    ctx.addIssue({ code: "custom", path: ["SIGNER_COMMAND_KEYS"], message: "is required in production" });
  }
  if (e.SIGNER_ENROLLER === "fabric-ca") {
    for (const name of ["FABRIC_CA_URL", "FABRIC_CA_REGISTRAR_CERT_PATH", "FABRIC_CA_REGISTRAR_KEY_PATH"]) {
      if (!e[name])
        ctx.addIssue({ code: "custom", path: [name], message: "is required with SIGNER_ENROLLER=fabric-ca" });
    }
  }
});

export type SignerEnv = z.output<typeof signerEnvSchema>;

/** @throws ConfigError listing every bad variable. */
export function loadSignerEnv(env: Record<string, string | undefined> = process.env): SignerEnv & {
  connectionProfilePath: string;
  devMasterKeyFile: string | undefined;
  concurrency: number;
  commandKeys: CommandKeys;
} {
  const parsed = parseEnv(signerEnvSchema, env);
  return {
    ...parsed,
    concurrency:
      parsed.SIGNER_CONCURRENCY ??
      signerConcurrency({
        gatewayLimit: parsed.FABRIC_GATEWAY_CONCURRENCY_LIMIT,
        batchTimeoutMs: parsed.FABRIC_BATCH_TIMEOUT_MS,
        replicas: parsed.SIGNER_REPLICAS,
      }),
    commandKeys: parsed.SIGNER_COMMAND_KEYS
      ? parseCommandKeys(parsed.SIGNER_COMMAND_KEYS)
      : new Map(
          COMMAND_PRODUCERS.map((service) => [service, deriveDevCommandKey(parsed.CLEARBOOK_INTERNAL_SECRET, service)]),
        ),
    connectionProfilePath: parsed.FABRIC_CONNECTION_PROFILE ?? defaultConnectionProfilePath(parsed.CLEARBOOK_DATA_DIR),
    devMasterKeyFile:
      parsed.NODE_ENV === "production" ? undefined : resolve(parsed.CLEARBOOK_DATA_DIR, "signer", "master.key"),
  };
}
