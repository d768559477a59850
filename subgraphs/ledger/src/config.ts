import { hostname } from "node:os";
import { commandKeyEnv, requireCommandKeyInProduction, serviceEnv } from "@clearbook/kit";
import { z } from "zod";

/** The ledger's environment: the kit's base variables plus its own (all with local defaults). */
export const ledgerEnvSchema = serviceEnv({
  LEDGER_PORT: z.coerce.number().int().min(0).max(65535).default(4001),
  LEDGER_HOST: z.string().default("127.0.0.1"),
  LEDGER_DB_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/)
    .default("clearbook_ledger"),
  /** Where dev keys and evidence files live (`<repo>/.data` by default, resolved in main). */
  CLEARBOOK_DATA_DIR: z.string().optional(),
  /** An ES256 private JWK (JSON). Required in production; development keeps a generated one on disk. */
  LEDGER_JWT_PRIVATE_JWK: z.string().optional(),
  /** The public JWK of the next signing key, published in the JWKS before a rotation (decision 0337). */
  LEDGER_JWT_NEXT_PUBLIC_JWK: z.string().optional(),
  /** The public JWK of the key before the last rotation, published until its tokens have expired. */
  LEDGER_JWT_PREVIOUS_PUBLIC_JWK: z.string().optional(),
  LEDGER_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  LEDGER_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
  /** The public origin that signed evidence URLs point at (the gateway proxies `/evidence/*`). */
  LEDGER_PUBLIC_URL: z.url().default("http://127.0.0.1:4000"),
  /** Where evidence files live: `local` (disk, behind the ledger's signed URLs) or `s3` (presigned URLs). */
  LEDGER_EVIDENCE_STORE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  /** Lifetime of upload and download links; at most 7 days (SigV4's limit for presigned URLs). */
  LEDGER_EVIDENCE_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .max(604800, { error: "must be at most 604800 (7 days)" })
    .default(900),
  LEDGER_EVIDENCE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** The bucket (required with `LEDGER_EVIDENCE_STORE=s3`); objects are `evidence/<id>`. */
  LEDGER_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name (3-63 of a-z, 0-9, '.', '-')" })
    .optional(),
  /** The bucket's region (required with `s3`; S3-compatible stores usually take `us-east-1`). */
  LEDGER_S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: "must be a region name such as eu-west-1" })
    .optional(),
  /** An S3-compatible endpoint (MinIO…); AWS's own when unset. Credentials come from the AWS SDK's chain. */
  LEDGER_S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  /** `true` for `<endpoint>/<bucket>/<key>` URLs (MinIO), instead of `<bucket>.<endpoint>`. */
  LEDGER_S3_FORCE_PATH_STYLE: z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1"),
  /**
   * Log-in attempts one IP may make at one account before growing waits (2 s, 4 s … up to the
   * window) apply, and failures one IP may make across accounts within the window.
   */
  LEDGER_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  LEDGER_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(50),
  LEDGER_LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
  /** The devpeer's (or a real network's) connection profile; default `<data dir>/devpeer/connection.json`. */
  FABRIC_CONNECTION_PROFILE: z.string().optional(),
  /** Prefix of every stream key (`test:ledger:`), so tests and trial runs never touch live streams. */
  LEDGER_STREAM_PREFIX: z.string().default(""),
  /**
   * A relayed command with no outcome after this long is relayed again (lost with Redis, say). Keep it
   * well under the signer's proposal skew (SIGNER_PROPOSAL_MAX_SKEW_MS, 120 s).
   */
  LEDGER_RERELAY_AFTER_MS: z.coerce.number().int().positive().default(60_000),
  /** This replica's name in the `evt:chain` consumer group. */
  LEDGER_CONSUMER: z.string().default(`${hostname()}-${process.pid}`),
  ...commandKeyEnv,
}).superRefine((env, ctx) => {
  const e: Record<string, unknown> = env;
  requireCommandKeyInProduction(e, ctx);
  if (e.NODE_ENV === "production" && !e.LEDGER_JWT_PRIVATE_JWK) {
    ctx.addIssue({ code: "custom", path: ["LEDGER_JWT_PRIVATE_JWK"], message: "is required in production" });
  }
  if (e.LEDGER_EVIDENCE_STORE === "s3") {
    for (const variable of ["LEDGER_S3_BUCKET", "LEDGER_S3_REGION"]) {
      if (!e[variable])
        ctx.addIssue({ code: "custom", path: [variable], message: "is required when LEDGER_EVIDENCE_STORE=s3" });
    }
  }
});

export type LedgerConfig = z.output<typeof ledgerEnvSchema>;
