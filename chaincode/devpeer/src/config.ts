import { fileURLToPath } from "node:url";
import { z } from "zod";
import { ChaincodeLogLevel } from "./chaincode-host.js";

/** `<repo>/.data`, resolved from this file's location so the working directory does not matter. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../../../.data", import.meta.url));

/** `true`/`1` or `false`/`0`. */
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** The devpeer's environment. Every variable is optional; defaults run it on one machine. */
export const devpeerEnvSchema = z.object({
  /** Interface the gRPC server listens on. */
  DEVPEER_HOST: z.string().min(1).default("127.0.0.1"),
  /** Port of the gRPC server (Fabric's peer default). */
  DEVPEER_PORT: z.coerce.number().int().min(0).max(65_535).default(7051),
  /** A block is cut when it holds this many transactions… */
  DEVPEER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** …or this many milliseconds after its first transaction arrived. */
  DEVPEER_BATCH_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Gateway calls served at once; one more is refused (Fabric's variable and default). */
  CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE: z.coerce.number().int().min(1).default(500),
  /** The platform's data directory; the devpeer keeps its files in `<dir>/devpeer`. */
  CLEARBOOK_DATA_DIR: z.string().min(1).default(DEFAULT_DATA_DIR),
  /** Log level of the chaincode runtime (fabric-shim, fabric-contract-api), Fabric's own variable. */
  CORE_CHAINCODE_LOGGING_LEVEL: z.enum(ChaincodeLogLevel).default("CRITICAL"),
  /** Install the chaincode runtime's performance shims (decisions 0100, 0351). */
  DEVPEER_CHAINCODE_SHIMS: flag.default(true),
  /** Point the global protobuf namespace at fabric-protos 0.3 (decisions 0034, 0351). */
  DEVPEER_PROTOBUF_REGISTRY: flag.default(true),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type DevpeerEnv = z.output<typeof devpeerEnvSchema>;
