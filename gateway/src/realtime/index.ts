import type { IncomingMessage, Server } from "node:http";
import { type Clock, systemClock } from "@clearbook/kit";
import type { GraphQLSchema } from "graphql";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import { createFanoutHub } from "./fanout-hub.js";
import type { RealtimeLogger } from "./realtime-logger.js";
import { silentLogger } from "./realtime-logger.js";
import { createRealtimeMetrics } from "./realtime-metrics.js";
import { defaultRealtimeOptions, type RealtimeOptions } from "./realtime-options.js";
import type {
  AuthenticateApiKeyFn,
  AuthenticateFn,
  AuthorizeFn,
  ExecuteFn,
  ResolvePersistedFn,
} from "./realtime-types.js";
import { createStreamTailer } from "./stream-tailer.js";
import { type SubscriptionRoute, subscriptionRoutes } from "./subscription-routes.js";
import { createWsServer } from "./ws-server.js";

export { RealtimeCloseCode } from "./close-codes.js";
export { EventDomain, EventType, streamKey } from "./domain-event.js";
export type { RealtimeLogger } from "./realtime-logger.js";
export {
  defaultRealtimeOptions,
  type RealtimeEnv,
  type RealtimeOptions,
  realtimeEnvSchema,
  realtimeOptionsFromEnv,
} from "./realtime-options.js";
export type {
  AuthenticateApiKeyFn,
  AuthenticateFn,
  Authentication,
  AuthorizeFn,
  ExecuteFn,
  RealtimeExecutionResult,
  RealtimePartner,
  RealtimeViewer,
  ResolvePersistedFn,
  SubscribeRequest,
} from "./realtime-types.js";
export { type SubscriptionRoute, subscriptionRoutes } from "./subscription-routes.js";

export interface AttachRealtimeDeps {
  httpServer: Server;
  /** The GraphQL path; WebSocket upgrades to other paths are left alone. */
  path: string;
  getApiSchema: () => GraphQLSchema;
  /** Registers a listener for supergraph reloads; may return an unsubscribe function. */
  onSchemaChange: (listener: (schema: GraphQLSchema) => void) => (() => void) | undefined;
  execute: ExecuteFn;
  authenticate: AuthenticateFn;
  /** Partner API keys in `connection_init`; without it every key is refused. */
  authenticateApiKey?: AuthenticateApiKeyFn;
  /** The persisted-operation safelist; without it partner connections can subscribe to nothing. */
  resolvePersisted?: ResolvePersistedFn;
  authorize?: AuthorizeFn;
  /** Makes a new Redis connection; the realtime layer opens two (blocking tail, replay reads) and closes them. */
  createRedis: () => Redis;
  metrics: Registry;
  logger?: RealtimeLogger;
  clock?: Clock;
  options?: Partial<RealtimeOptions>;
  routes?: ReadonlyMap<string, SubscriptionRoute>;
  /** The client's address for the per-IP connection limit; default the socket's peer. */
  clientIp?: (request: IncomingMessage) => string;
  /** Whether a socket's token belongs to a session logged out since it connected. */
  isTokenRevoked?: (token: string) => boolean;
  /** Registers a listener called after each log-out; sockets of ended sessions are then closed. */
  onSessionsRevoked?: (listener: () => void) => () => void;
}

/** What `createGateway` hands its `attachRealtime` hook (its `RealtimeHost`), structurally. */
export interface RealtimeHostLike {
  httpServer: Server;
  path: string;
  getApiSchema(): GraphQLSchema;
  onSchemaChange(listener: (schema: GraphQLSchema) => void): () => void;
  execute: ExecuteFn;
  authenticate: AuthenticateFn;
  authenticateApiKey?: AuthenticateApiKeyFn;
  resolvePersisted?: ResolvePersistedFn;
  /** The client's address under the gateway's trusted-proxy rule. */
  clientIp?: (request: IncomingMessage) => string;
  isTokenRevoked?: (token: string) => boolean;
  onSessionsRevoked?: (listener: () => void) => () => void;
  /** The gateway's connection; the realtime layer duplicates it and closes only its duplicates. */
  redis: Redis;
  metrics: { registry: Registry };
  logger: RealtimeLogger;
}

/**
 * Adapts `attachRealtime` to `createGateway`'s `attachRealtime` hook:
 * `createGateway(config, { …, attachRealtime: realtimeAttacher({ options }) })`.
 */
export function realtimeAttacher(
  extra: { options?: Partial<RealtimeOptions>; authorize?: AuthorizeFn; clock?: Clock } = {},
): (host: RealtimeHostLike) => Promise<RealtimeHandle> {
  return (host) =>
    attachRealtime({
      httpServer: host.httpServer,
      path: host.path,
      getApiSchema: () => host.getApiSchema(),
      onSchemaChange: (listener) => host.onSchemaChange(listener),
      execute: host.execute,
      authenticate: host.authenticate,
      ...(host.authenticateApiKey ? { authenticateApiKey: host.authenticateApiKey } : {}),
      ...(host.resolvePersisted ? { resolvePersisted: host.resolvePersisted } : {}),
      ...(host.clientIp ? { clientIp: host.clientIp } : {}),
      ...(host.isTokenRevoked ? { isTokenRevoked: host.isTokenRevoked } : {}),
      ...(host.onSessionsRevoked ? { onSessionsRevoked: host.onSessionsRevoked } : {}),
      createRedis: () => host.redis.duplicate(),
      metrics: host.metrics.registry,
      logger: host.logger,
      ...extra,
    });
}

export interface RealtimeHandle {
  /** Closes every socket (1001), stops tailing, closes its Redis connections. */
  dispose(): Promise<void>;
}

/**
 * Serves graphql-ws subscriptions on `httpServer` at `path`, fed by the `evt:*` Redis streams.
 * @returns once the stream positions are read and the tailer runs.
 */
export async function attachRealtime(deps: AttachRealtimeDeps): Promise<RealtimeHandle> {
  const options: RealtimeOptions = { ...defaultRealtimeOptions, ...deps.options };
  const routes = deps.routes ?? subscriptionRoutes;
  const logger = deps.logger ?? silentLogger;
  const clock = deps.clock ?? systemClock;
  const metrics = createRealtimeMetrics(deps.metrics);
  const commands = deps.createRedis();
  const blocking = deps.createRedis();
  for (const redis of [commands, blocking]) {
    // Without a listener ioredis prints every connection error; the tailer retries on its own.
    redis.on("error", (error: Error) => logger.warn({ err: error }, "realtime: Redis connection error"));
  }

  let onEvents: (events: Parameters<typeof hub.onEvents>[0]) => void = () => {};
  const tailer = createStreamTailer({
    blocking,
    commands,
    prefix: options.streamPrefix,
    domains: [...new Set([...routes.values()].map((r) => r.domain))],
    blockMs: options.tailBlockMs,
    batch: options.tailBatch,
    onEvents: (events) => onEvents(events),
    logger,
  });
  const hub = createFanoutHub({
    routes,
    execute: deps.execute,
    tailer,
    clock,
    maxPushesPerSecond: options.maxPushesPerSecond,
    replayLimit: options.replayLimit,
    maxHeldBytes: options.maxBufferedBytes,
    metrics,
    logger,
  });
  onEvents = (events) => hub.onEvents(events);
  await tailer.start();
  const unsubscribe = deps.onSchemaChange((schema) => hub.onSchemaChange(schema));
  const ws = createWsServer({
    httpServer: deps.httpServer,
    path: deps.path,
    getApiSchema: deps.getApiSchema,
    execute: deps.execute,
    authenticate: deps.authenticate,
    ...(deps.authenticateApiKey ? { authenticateApiKey: deps.authenticateApiKey } : {}),
    ...(deps.resolvePersisted ? { resolvePersisted: deps.resolvePersisted } : {}),
    ...(deps.authorize ? { authorize: deps.authorize } : {}),
    ...(deps.clientIp ? { clientIp: deps.clientIp } : {}),
    ...(deps.isTokenRevoked ? { isTokenRevoked: deps.isTokenRevoked } : {}),
    ...(deps.onSessionsRevoked ? { onSessionsRevoked: deps.onSessionsRevoked } : {}),
    routes,
    hub,
    clock,
    options,
    metrics,
    logger,
  });

  return {
    async dispose() {
      unsubscribe?.();
      await ws.dispose();
      await tailer.dispose();
      hub.dispose();
      commands.disconnect();
    },
  };
}
