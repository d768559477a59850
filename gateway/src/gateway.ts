import { createServer, type IncomingMessage, type Server } from "node:http";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import {
  AppError,
  createRedis,
  createRevocationList,
  ErrorCode,
  failureClass,
  type Logger,
  type RedisHandle,
} from "@clearbook/kit";
import type { DocumentNode, GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { Redis } from "ioredis";
import { createRemoteJWKSet, type JWTVerifyGetKey } from "jose";
import { Agent } from "undici";
import { clientIp } from "./client-ip.js";
import { type GatewayConfig, SUBGRAPHS } from "./config.js";
import { createContext, type GatewayContext, type Principal } from "./context.js";
import type { FileRoute } from "./file-proxy.js";
import { createGatewayErrorFormatter } from "./format-error.js";
import { createHttpHandler, type ReadinessReport, type SharedResponse } from "./http-handler.js";
import { InFlight } from "./inflight.js";
import { OperationTypeCache } from "./operation-type.js";
import { createPartnerKeyStore, type PartnerKeyLookup, type PartnerKeyStore } from "./partner-keys.js";
import type { PersistedManifest } from "./persisted-manifest.js";
import { useArmor } from "./plugins/use-armor.js";
import { API_KEY_HEADER, type Authenticated, useAuth } from "./plugins/use-auth.js";
import { type GatewayMetrics, useMetrics } from "./plugins/use-metrics.js";
import { type RequestBody, usePersisted } from "./plugins/use-persisted.js";
import { useRateLimit } from "./plugins/use-rate-limit.js";
import { createSubgraphInFlight, SubgraphDataSource } from "./subgraph-data-source.js";
import { checkSubgraph } from "./subgraph-health.js";
import { supergraphFile } from "./supergraph-file.js";
import { createWebApp } from "./web-app.js";

/** The JSON result of one operation run through the gateway. */
export interface ExecuteResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

export type ExecuteFn = (request: {
  document: DocumentNode;
  variables: Record<string, unknown>;
  viewer: Principal & { rid: string };
}) => Promise<ExecuteResult>;

/** What the gateway hands the realtime layer (see `gateway/src/realtime/index.ts`). */
export interface RealtimeHost {
  httpServer: Server;
  path: string;
  getApiSchema(): GraphQLSchema;
  onSchemaChange(listener: (schema: GraphQLSchema) => void): () => void;
  execute: ExecuteFn;
  authenticate(token: string): Promise<Authenticated>;
  /** The partner owning an API key, or null for an unknown or revoked one. */
  authenticateApiKey(apiKey: string): Promise<Principal["partner"]>;
  /** The persisted-operation safelist (see `Persisted.resolve`); `fromBrowser` applies the browsers' rule. */
  resolvePersisted(request: RequestBody, principal: Principal, fromBrowser: boolean): void;
  /** The client's address under the trusted-proxy rule (per-IP WebSocket limits). */
  clientIp(request: IncomingMessage): string;
  /** Whether a socket's token (verified at connection) belongs to a session logged out since. */
  isTokenRevoked(token: string): boolean;
  /** Called after each log-out the gateway hears of; returns the unsubscribe function. */
  onSessionsRevoked(listener: () => void): () => void;
  redis: Redis;
  metrics: GatewayMetrics;
  logger: Logger;
}

export interface GatewayDeps {
  logger: Logger;
  /** The persisted query manifest (`gateway/persisted/manifest.json`). */
  manifest: PersistedManifest;
  /** A supergraph string to serve as is (tests); otherwise `config.supergraphPath`, watched. */
  supergraphSdl?: string;
  /** Redis; created from `config.redisUrl` (and closed on dispose) when absent. */
  redis?: Redis;
  /** Token keys; `createRemoteJWKSet(config.jwksUrl)` when absent. */
  jwks?: JWTVerifyGetKey;
  /** Partner keys; a MySQL store in `config.database` when absent, none when null. */
  partnerKeys?: PartnerKeyLookup | null;
  metrics?: GatewayMetrics;
  /** Starts the realtime layer on the gateway's HTTP server (graphql-ws on the same path). */
  attachRealtime?: (host: RealtimeHost) => { dispose(): Promise<void> } | Promise<{ dispose(): Promise<void> }>;
}

export interface Gateway {
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  getApiSchema(): GraphQLSchema;
  onSchemaChange(listener: (schema: GraphQLSchema) => void): () => void;
  execute: ExecuteFn;
  authenticate(token: string): Promise<Authenticated>;
  ready(): Promise<ReadinessReport>;
  redis: Redis;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Stops accepting work and closes everything the gateway opened, in reverse order. */
  dispose(): Promise<void>;
}

export const GRAPHQL_PATH = "/graphql";

/** Development composition: the subgraphs given a `<NAME>_URL`, or all of them at their default URLs. */
function introspectedSubgraphs(config: GatewayConfig): { name: string; url: string }[] {
  const given = Object.entries(config.subgraphUrls).filter((e): e is [string, string] => e[1] !== undefined);
  if (given.length > 0) return given.map(([name, url]) => ({ name, url }));
  return Object.entries(SUBGRAPHS).map(([name, s]) => ({ name, url: s.url }));
}

/**
 * Builds the gateway: Apollo Gateway inside Apollo Server, behind an HTTP handler with
 * authentication, rate limits, the persisted-query safelist and inbound deduplication.
 * The returned `httpServer` is not listening yet.
 * @throws when the supergraph cannot be loaded or Redis is unreachable.
 */
export async function createGateway(config: GatewayConfig, deps: GatewayDeps): Promise<Gateway> {
  const { logger } = deps;
  const cleanup: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (const step of cleanup.reverse()) {
      await step().catch((error: unknown) => logger.error({ err: error }, "gateway dispose step failed"));
    }
  };
  try {
    // @apollo/gateway 2.14 starts an anonymous usage exporter unless this is set before it is built.
    if (!config.apolloTelemetry) process.env.APOLLO_TELEMETRY_DISABLED = "true";

    let redis = deps.redis;
    if (!redis) {
      const handle: RedisHandle = await createRedis(config.redisUrl, "gateway");
      cleanup.push(() => handle.dispose());
      redis = handle.client;
    }
    let partnerKeys = deps.partnerKeys;
    if (partnerKeys === undefined) {
      const store: PartnerKeyStore = createPartnerKeyStore({ mysqlUrl: config.mysqlUrl, database: config.database });
      await store.migrate();
      cleanup.push(() => store.dispose());
      partnerKeys = store;
    }
    const metrics = deps.metrics ?? useMetrics();

    const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 256 });
    cleanup.push(() => dispatcher.close());
    const subgraphInFlight = config.dedupe ? createSubgraphInFlight() : null;
    const services = new Map<string, string>();
    const apolloLogger = {
      debug: (message: unknown) => logger.debug(String(message)),
      info: (message: unknown) => logger.info(String(message)),
      warn: (message: unknown) => logger.warn(String(message)),
      error: (message: unknown) => logger.error(String(message)),
    };
    const gateway = new ApolloGateway({
      logger: apolloLogger,
      supergraphSdl:
        deps.supergraphSdl ??
        (config.introspect
          ? new IntrospectAndCompose({ subgraphs: introspectedSubgraphs(config), pollIntervalInMs: 5_000 })
          : supergraphFile({
              path: config.supergraphPath,
              onError: (error) => logger.error({ err: error }, "supergraph reload failed; keeping the previous one"),
            })),
      buildService: ({ name, url }) => {
        const target = config.subgraphUrls[name] ?? url;
        if (!target) throw new Error(`subgraph ${name} has no routing URL`);
        services.set(name, target);
        return new SubgraphDataSource({
          name,
          url: target,
          internalSecret: config.internalSecret,
          dispatcher,
          inFlight: subgraphInFlight,
          onShared: () => metrics.deduplicated.inc({ layer: "subgraph" }),
        });
      },
    });

    let apiSchema: GraphQLSchema | undefined;
    const listeners = new Set<(schema: GraphQLSchema) => void>();
    gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
      apiSchema = schema;
      for (const listener of listeners) listener(schema);
    });

    const armor = useArmor({ ...config.limits, blockFieldSuggestions: !config.development });
    const persisted = usePersisted({
      redis,
      prefix: config.redisPrefix,
      manifest: deps.manifest,
      ...(config.limits.apqMaxEntries !== undefined ? { apqMaxEntries: config.limits.apqMaxEntries } : {}),
    });
    const apollo = new ApolloServer<GatewayContext>({
      gateway,
      logger: apolloLogger,
      allowBatchedHttpRequests: false,
      csrfPrevention: true,
      introspection: config.development,
      includeStacktraceInErrorResponses: config.development,
      hideSchemaDetailsFromClientErrors: !config.development,
      formatError: createGatewayErrorFormatter({ development: config.development }),
      persistedQueries: { cache: persisted.apollo.cache, ttl: 24 * 3600 },
      validationRules: armor.validationRules,
      stopOnTerminationSignals: false,
      plugins: [
        ...armor.plugins,
        metrics.plugin,
        config.development
          ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
          : ApolloServerPluginLandingPageDisabled(),
      ],
    });
    await apollo.start();
    cleanup.push(() => apollo.stop());

    // Log-outs reach every replica by pub/sub; tokens of ended sessions stop working at once.
    const revocations = await createRevocationList({
      redis,
      subscriber: redis.duplicate(),
      prefix: config.sessionRevocationPrefix ?? "",
    });
    cleanup.push(() => revocations.dispose());
    const auth = useAuth({
      jwks: deps.jwks ?? createRemoteJWKSet(new URL(config.jwksUrl)),
      partnerKeys,
      revocations,
    });
    // Every request costs one rate-limit round trip; auto-pipelining batches those issued in the same
    // tick into one write (one syscall per batch instead of per request, ~7% of CPU under load).
    const rateLimitRedis = redis.duplicate({ enableAutoPipelining: true });
    cleanup.push(async () => {
      rateLimitRedis.disconnect();
    });
    const rateLimit = useRateLimit({ redis: rateLimitRedis, prefix: config.redisPrefix, ...config.rateLimit });

    const getApiSchema = () => {
      if (!apiSchema) throw new Error("the supergraph is not loaded yet");
      return apiSchema;
    };
    const onSchemaChange = (listener: (schema: GraphQLSchema) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };
    const execute: ExecuteFn = async ({ document, variables, viewer }) => {
      const { rid, ...principal } = viewer;
      const response = await apollo.executeOperation(
        { query: document, variables },
        { contextValue: createContext(principal, rid) },
      );
      if (response.body.kind !== "single") throw new Error("incremental delivery is not supported here");
      const { data, errors } = response.body.singleResult;
      return { ...(data !== undefined ? { data } : {}), ...(errors ? { errors } : {}) };
    };
    const ready = async (): Promise<ReadinessReport> => {
      const checks: ReadinessReport["checks"] = {};
      checks.supergraph = apiSchema ? { ok: true } : { ok: false, detail: "not loaded" };
      checks.redis = await redis
        .ping()
        .then(() => ({ ok: true }))
        .catch((error: unknown) => ({ ok: false, detail: failureClass(error) }));
      await Promise.all(
        [...services].map(async ([name, url]) => {
          checks[`subgraph:${name}`] = await checkSubgraph(dispatcher, name, url, config.internalSecret);
        }),
      );
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    };

    const handler = createHttpHandler({
      path: GRAPHQL_PATH,
      apollo,
      auth,
      rateLimit,
      persisted,
      metrics,
      operationTypes: new OperationTypeCache(config.limits.maxTokens),
      maxTokens: config.limits.maxTokens,
      ...(config.limits.maxDocumentChars !== undefined ? { maxDocumentChars: config.limits.maxDocumentChars } : {}),
      inFlight: config.dedupe ? new InFlight<SharedResponse>() : null,
      maxBodyBytes: config.maxBodyBytes,
      trustedProxyHops: config.trustProxy ? (config.trustedProxyHops ?? 1) : 0,
      fileRoutes: ledgerFileRoutes(config.subgraphUrls.ledger ?? SUBGRAPHS.ledger.url),
      webApp: config.webDir ? createWebApp(config.webDir) : null,
      browsersPersistedOnly: config.browsersPersistedOnly === true,
      ready,
      logError: (error, rid) => logger.error({ err: error, rid }, "request failed"),
    });
    const httpServer = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      void handler(req, res);
    });
    cleanup.push(
      () =>
        new Promise<void>((resolve) => {
          if (!httpServer.listening) return resolve();
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
        }),
    );

    const host: RealtimeHost = {
      httpServer,
      path: GRAPHQL_PATH,
      getApiSchema,
      onSchemaChange,
      execute,
      authenticate: auth.authenticate,
      async authenticateApiKey(apiKey) {
        try {
          return (await auth.principalFromHeaders({ get: (name) => (name === API_KEY_HEADER ? apiKey : null) }))
            .partner;
        } catch (error) {
          if (error instanceof AppError && error.code === ErrorCode.UNAUTHENTICATED) return null;
          throw error;
        }
      },
      resolvePersisted(request, principal, fromBrowser) {
        persisted.resolve(request, principal, config.browsersPersistedOnly === true && fromBrowser);
      },
      clientIp: (request) => clientIp(request, config.trustProxy ? (config.trustedProxyHops ?? 1) : 0),
      isTokenRevoked: (token) => auth.isRevoked(token),
      onSessionsRevoked: (listener) => revocations.onRevoked(listener),
      redis,
      metrics,
      logger,
    };
    if (deps.attachRealtime) {
      const realtime = await deps.attachRealtime(host);
      cleanup.push(() => realtime.dispose());
    }

    return { ...host, apollo, ready, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** The ledger's evidence files and CSV export, served under the public origin (signed URLs point there). */
function ledgerFileRoutes(ledgerGraphqlUrl: string): FileRoute[] {
  const origin = new URL(ledgerGraphqlUrl).origin;
  return [
    { prefix: "/evidence/", origin },
    { prefix: "/export/", origin },
  ];
}
