import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { composeServices } from "@apollo/composition";
import { ApolloGateway, RemoteGraphQLDataSource } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { PlatformRole, signViewer, VIEWER_HEADER } from "@clearbook/kit";
import { type GraphQLSchema, parse, print } from "graphql";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import {
  type AuthenticateFn,
  attachRealtime,
  type ExecuteFn,
  type RealtimeHandle,
  type RealtimeOptions,
  type RealtimeViewer,
} from "../../src/realtime/index.js";
import { INTERNAL_SECRET } from "./fixture-subgraphs.js";

const consoleLogger = {
  debug: (o: object, m: string) => console.debug(m, o),
  info: (o: object, m: string) => console.info(m, o),
  warn: (o: object, m: string) => console.warn(m, o),
  error: (o: object, m: string) => console.error(m, o),
};

export interface SubgraphDefinition {
  name: string;
  typeDefs: string;
  url: string;
}

/** Composes subgraph SDL into a supergraph, as `npm run compose` does. */
export function compose(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, typeDefs: parse(s.typeDefs), url: s.url })));
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.supergraphSdl;
}

interface GatewayContext {
  viewer: RealtimeViewer & { rid: string };
}

/**
 * Test tokens: `user:<id>` or `user:<id>:<expiresAtMs>`; `admin:<id>` has the ADMIN role. The fixture stands in for JWT verification,
 * which is the HTTP side's concern.
 */
export const fixtureAuthenticate: AuthenticateFn = async (token) => {
  const [kind, sub, expires] = token.split(":");
  if ((kind !== "user" && kind !== "admin") || !sub) throw new Error("invalid token");
  const expiresAt = expires ? Number(expires) : null;
  if (expiresAt !== null && expiresAt <= Date.now())
    throw Object.assign(new Error("expired"), { code: "ERR_JWT_EXPIRED" });
  return { viewer: { sub, roles: kind === "admin" ? [PlatformRole.ADMIN] : [], partner: null }, expiresAt };
};

export interface FixtureGateway {
  url: string;
  realtime: RealtimeHandle;
  metrics: Registry;
  /** How many operations `execute` ran (refetches, checks). */
  executions(): number;
  /** Replaces the supergraph, as a supergraph reload does. */
  updateSupergraph(sdl: string): void;
  dispose(): Promise<void>;
}

/** An ApolloGateway in an ApolloServer, with the realtime layer on a plain HTTP server. */
export async function startFixtureGateway(input: {
  supergraphSdl: string;
  options: Partial<RealtimeOptions>;
}): Promise<FixtureGateway> {
  // @apollo/gateway otherwise starts an anonymous usage exporter whose timers outlive the test.
  process.env.APOLLO_TELEMETRY_DISABLED = "true";
  let update: ((sdl: string) => void) | null = null;
  const gateway = new ApolloGateway({
    supergraphSdl: async (hook) => {
      update = hook.update;
      return { supergraphSdl: input.supergraphSdl };
    },
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<GatewayContext>({
        url,
        willSendRequest({ request, context }) {
          const viewer = context.viewer ?? { sub: null, roles: [], partner: null, rid: "" };
          request.http?.headers.set(VIEWER_HEADER, signViewer(viewer, INTERNAL_SECRET));
        },
      }),
  });
  let apiSchema: GraphQLSchema | null = null;
  const listeners = new Set<(schema: GraphQLSchema) => void>();
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
    for (const listener of listeners) listener(schema);
  });
  const apollo = new ApolloServer<GatewayContext>({ gateway });
  await apollo.start();

  let executions = 0;
  const execute: ExecuteFn = async ({ document, variables, viewer }) => {
    executions++;
    const response = await apollo.executeOperation({ query: print(document), variables }, { contextValue: { viewer } });
    if (response.body.kind !== "single") throw new Error("incremental delivery is not used");
    const { data, errors } = response.body.singleResult;
    return { data: data ?? null, ...(errors ? { errors } : {}) };
  };

  const httpServer: Server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  const metrics = new Registry();
  const redisConnections: Redis[] = [];
  const realtime = await attachRealtime({
    httpServer,
    path: "/graphql",
    getApiSchema: () => {
      if (!apiSchema) throw new Error("no schema yet");
      return apiSchema;
    },
    onSchemaChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    execute,
    authenticate: fixtureAuthenticate,
    createRedis: () => {
      const redis = new Redis({ host: "127.0.0.1", port: 6379, maxRetriesPerRequest: 3 });
      redisConnections.push(redis);
      return redis;
    },
    metrics,
    options: input.options,
    // REALTIME_TEST_DEBUG=1 prints the realtime layer's log lines while a test is investigated.
    ...(process.env.REALTIME_TEST_DEBUG ? { logger: consoleLogger } : {}),
  });
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    realtime,
    metrics,
    executions: () => executions,
    updateSupergraph(sdl) {
      if (!update) throw new Error("gateway not loaded");
      update(sdl);
    },
    async dispose() {
      await realtime.dispose();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await apollo.stop();
      for (const redis of redisConnections) redis.disconnect();
    },
  };
}
