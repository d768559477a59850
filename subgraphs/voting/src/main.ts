import { loadConnectionProfile } from "@clearbook/client";
import { createLogger, loadConfig, systemClock } from "@clearbook/kit";
import { connectionProfilePath, votingEnvSchema } from "./config.js";
import { startVotingService } from "./service.js";

const env = loadConfig(votingEnvSchema);
const logger = createLogger({ name: "voting", level: env.LOG_LEVEL });
const service = await startVotingService({
  env,
  profile: await loadConnectionProfile(connectionProfilePath(env)),
  clock: systemClock,
  logger,
});
service.lifecycle.handleSignals();
logger.info({ url: service.url }, "voting subgraph, indexer and finalizer running");
