import { join } from "node:path";
import { createLogger, loadConfig } from "@clearbook/kit";
import { setChaincodeLogLevel } from "./chaincode-host.js";
import { devpeerEnvSchema } from "./config.js";
import { createDevpeer } from "./devpeer.js";

const env = loadConfig(devpeerEnvSchema);
const logger = createLogger({ name: "devpeer", level: env.LOG_LEVEL });
setChaincodeLogLevel(env.CORE_CHAINCODE_LOGGING_LEVEL);

const devpeer = await createDevpeer({
  dir: join(env.CLEARBOOK_DATA_DIR, "devpeer"),
  host: env.DEVPEER_HOST,
  port: env.DEVPEER_PORT,
  batchSize: env.DEVPEER_BATCH_SIZE,
  batchTimeoutMs: env.DEVPEER_BATCH_TIMEOUT_MS,
  gatewayConcurrencyLimit: env.CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE,
  runtimePatches: { chaincodeShims: env.DEVPEER_CHAINCODE_SHIMS, protobufRegistry: env.DEVPEER_PROTOBUF_REGISTRY },
  logger,
}).catch((error: unknown) => {
  logger.fatal({ err: error }, "devpeer failed to start");
  process.exit(1);
});

const { channel, chaincode, mspId } = devpeer.connectionProfile;
logger.info(
  { connectionProfile: devpeer.connectionProfilePath, height: devpeer.height() },
  `devpeer serving channel ${channel}, chaincode ${chaincode} (${mspId}) on ${devpeer.address}`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "devpeer stopping: committing the block being cut");
    devpeer.dispose().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "devpeer did not stop cleanly");
        process.exit(1);
      },
    );
  });
}
