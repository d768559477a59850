import cluster from "node:cluster";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createLogger, loadConfig } from "@clearbook/kit";
import { clusterScrape, serveClusterMetrics } from "./cluster-metrics.js";
import { gatewayConfigFromEnv, gatewayEnvSchema } from "./config.js";
import { createGateway } from "./gateway.js";
import { mergeManifests, parseManifest } from "./persisted-manifest.js";
import { useMetrics } from "./plugins/use-metrics.js";
import { realtimeAttacher } from "./realtime/index.js";
import { realtimeOptionsFromEnv } from "./realtime/realtime-options.js";

const env = loadConfig(gatewayEnvSchema);
const config = gatewayConfigFromEnv(env, {
  supergraph: fileURLToPath(new URL("../supergraph.graphql", import.meta.url)),
  webDir: fileURLToPath(new URL("../../web/dist", import.meta.url)),
});
const logger = createLogger({ name: "gateway", level: env.LOG_LEVEL });

if (config.workers > 1 && cluster.isPrimary) {
  // One worker per core: they share the port (the primary hands out connections) and Redis, so rate
  // limits, the APQ cache and realtime streams stay global; /metrics adds up every worker's figures.
  serveClusterMetrics();
  let stopping = false;
  for (let i = 0; i < config.workers; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    if (stopping) return;
    logger.error({ pid: worker.process.pid, code }, "gateway worker died; starting another");
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} else {
  // The gateway's own manifest (partners' operations) and each client's: the web app's by default.
  const clientManifests = (
    env.GATEWAY_WEB_MANIFEST_PATH?.split(",") ?? [
      fileURLToPath(new URL("../../web/persisted/manifest.json", import.meta.url)),
    ]
  ).filter((path) => path !== "" && (env.GATEWAY_WEB_MANIFEST_PATH !== undefined || existsSync(path)));
  const manifest = mergeManifests(
    [fileURLToPath(new URL("../persisted/manifest.json", import.meta.url)), ...clientManifests].map((path) =>
      parseManifest(JSON.parse(readFileSync(path, "utf8"))),
    ),
  );
  const metrics = useMetrics();
  if (cluster.isWorker) metrics.scrape = clusterScrape(metrics.registry);
  const gateway = await createGateway(config, {
    logger,
    manifest,
    metrics,
    attachRealtime: realtimeAttacher({ options: realtimeOptionsFromEnv(env) }),
  });
  await new Promise<void>((resolve) => gateway.httpServer.listen(config.port, config.host, resolve));
  logger.info({ url: `http://${config.host}:${config.port}/graphql`, pid: process.pid }, "gateway listening");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "gateway stopping");
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await gateway.dispose();
    clearTimeout(timer);
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}
