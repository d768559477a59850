// One gateway under benchmark, as its own process tree:
//   node --import tsx bench/bench-gateway-process.ts <ours|ours-nodedupe|bare|hive|hive-tuned> <supergraphFile> <port> <workers>
// `ours` is createGateway with every plugin on (auth, armor, Redis rate limits, persisted queries,
// metrics, deduplication); `bare` is @apollo/gateway in @apollo/server's standalone server with
// its defaults; `hive` is @graphql-hive/gateway's runtime with its defaults, and `hive-tuned` the
// same with The Guild's benchmark settings (graphql-jit and inbound in-flight deduplication).
// All fork `workers` processes with node:cluster. Prints READY when listening.
import cluster from "node:cluster";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { ApolloGateway } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { createLogger } from "@clearbook/kit";
import { createGatewayRuntime } from "@graphql-hive/gateway";
import { useJIT } from "@graphql-mesh/plugin-jit";
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK } from "jose";
import { createGateway } from "../src/gateway.js";
import { parseManifest } from "../src/persisted-manifest.js";

const [kind = "ours", supergraphPath = "", portText = "0", workersText = "1"] = process.argv.slice(2);
const port = Number(portText);
const workers = Number(workersText);
const supergraphSdl = readFileSync(supergraphPath, "utf8");
// The anonymous usage exporter of @apollo/gateway 2.14 would phone home during the run.
process.env.APOLLO_TELEMETRY_DISABLED = "true";

if (workers > 1 && cluster.isPrimary) {
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on("message", (message) => {
      if (message === "ready" && ++ready === workers) process.stdout.write("READY\n");
    });
  }
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 2000).unref();
  });
} else {
  const announce = () => (process.send ? process.send("ready") : process.stdout.write("READY\n"));
  if (kind === "bare") {
    const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
    await startStandaloneServer(server, { listen: { port, host: "127.0.0.1" } });
    announce();
    process.on("SIGTERM", () => void server.stop().finally(() => process.exit(0)));
  } else if (kind === "hive" || kind === "hive-tuned") {
    const tuned = kind === "hive-tuned";
    const runtime = createGatewayRuntime({
      supergraph: supergraphSdl,
      logging: false,
      ...(tuned ? { plugins: () => [useJIT()], inboundInflightRequestDeduplication: true } : {}),
    });
    const server = createServer(runtime);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    announce();
    process.on("SIGTERM", () => {
      server.close();
      void Promise.resolve(runtime.dispose()).finally(() => process.exit(0));
    });
  } else {
    // The driver signs access tokens when it passes its public key; otherwise no token verifies.
    const given = process.env.BENCH_JWK ? (JSON.parse(process.env.BENCH_JWK) as JWK) : undefined;
    const publicJwk = given ?? (await exportJWK((await generateKeyPair("ES256")).publicKey));
    const jwks = createLocalJWKSet({ keys: [{ ...publicJwk, kid: "bench", alg: "ES256" }] });
    const manifest = parseManifest(
      JSON.parse(readFileSync(new URL("../persisted/manifest.json", import.meta.url), "utf8")),
    );
    const gateway = await createGateway(
      {
        development: false,
        host: "127.0.0.1",
        port,
        workers,
        redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        redisPrefix: "bench:gateway:",
        mysqlUrl: process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306",
        database: process.env.BENCH_GATEWAY_DATABASE ?? "clearbook_bench_gateway",
        internalSecret: "bench-internal-secret-0123456789abcdef",
        jwksUrl: "http://127.0.0.1:1/unused",
        supergraphPath: "",
        introspect: false,
        subgraphUrls: {},
        apolloTelemetry: false,
        maxBodyBytes: 256 * 1024,
        limits: { maxDepth: 12, maxCost: 20_000, maxAliases: 15, maxDirectives: 50, maxTokens: 2000 },
        rateLimit: { windowSeconds: 60, perIp: 100_000_000, perUser: 100_000_000, perPartner: 100_000_000 },
        trustProxy: false,
        dedupe: kind !== "ours-nodedupe",
      },
      { logger: createLogger({ name: "gateway-bench", level: "warn" }), manifest, supergraphSdl, jwks },
    );
    await new Promise<void>((resolve) => gateway.httpServer.listen(port, "127.0.0.1", resolve));
    announce();
    process.on("SIGTERM", () => void gateway.dispose().finally(() => process.exit(0)));
  }
}
