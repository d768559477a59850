import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import { GraphQLError, type GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.js";
import { AppError, createErrorFormatter, ErrorCode, toGraphQLError } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";
import { metricsPlugin } from "./metrics-plugin.js";
import { type ReadinessCheck, runReadiness } from "./readiness.js";
import { checkViewerBinding, type Viewer, ViewerHeaderError } from "./viewer.js";
import { UNAUTHENTICATED_PATHS, viewerFromHeaders } from "./viewer-context.js";

/** What the kit knows about a request before the service builds its context. */
export interface RequestInfo {
  requestId: string;
  /** A child logger stamped with the request id. */
  logger: Logger;
}

export interface SubgraphServerOptions<TContext extends BaseContext> {
  schema: GraphQLSchema;
  port: number;
  host?: string;
  /** The HMAC secret of the `x-clearbook-viewer` header (CLEARBOOK_INTERNAL_SECRET). */
  internalSecret: string;
  /**
   * This subgraph's name in the supergraph (`ledger`). When set, a viewer header must be bound to
   * it and to the exact request body (the gateway signs each fetch that way), so a captured header
   * cannot be replayed against another subgraph or with another operation. Tests that sign their
   * own headers pass the same binding (`signViewer(…, { binding })`).
   */
  audience?: string;
  /**
   * Builds the per-request context from the verified viewer; fork the EntityManager here.
   * Throwing an AppError answers with that error; anything else is a 500.
   */
  context: (viewer: Viewer, req: IncomingMessage, info: RequestInfo) => TContext | Promise<TContext>;
  logger: Logger;
  /** Checks `/ready` runs (database, Redis…); each must settle within `readinessTimeoutMs`. */
  readiness?: ReadinessCheck[];
  readinessTimeoutMs?: number;
  metrics?: ServiceMetrics;
  /** Keeps stack traces and raw error messages in responses; never in production. */
  development?: boolean;
  clock?: Clock;
  /** How long `dispose` lets in-flight requests finish before cutting connections. Default 5 s. */
  shutdownTimeoutMs?: number;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Extra HTTP routes (a JWKS document, signed file URLs…), tried before GraphQL and without a
   * viewer header: each route checks its own credentials. Resolves true when it answered the
   * request, false to fall through. Throwing answers 500.
   */
  routes?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean | Promise<boolean>;
}

export interface SubgraphServer {
  /** Starts Apollo and listens. @returns the base URL (`http://host:port`). */
  listen(): Promise<string>;
  readonly url: string;
  readonly httpServer: Server;
  /** Stops accepting, lets in-flight requests finish (bounded), then stops Apollo. */
  dispose(): Promise<void>;
}

const GRAPHQL_PATHS = new Set(["/", "/graphql"]);

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An Apollo Server 5 subgraph on plain `node:http` (no framework): GraphQL on `/graphql` (and `/`)
 * for requests carrying a valid viewer header, `/health`, `/ready` and `/metrics` for everyone.
 */
export function createSubgraphServer<TContext extends BaseContext>(
  options: SubgraphServerOptions<TContext>,
): SubgraphServer {
  const { logger, metrics } = options;
  const clock = options.clock ?? systemClock;
  const development = options.development ?? false;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const apollo = new ApolloServer<TContext>({
    schema: options.schema,
    formatError: createErrorFormatter({ development }),
    includeStacktraceInErrorResponses: development,
    introspection: development,
    plugins: metrics ? [metricsPlugin<TContext>(metrics)] : [],
    logger: {
      debug: (message) => logger.debug(message),
      info: (message) => logger.info(message),
      warn: (message) => logger.warn(message),
      error: (message) => logger.error(message),
    },
  });
  let draining = false;
  let url = "";
  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, "request handler failed");
      if (!res.headersSent)
        sendJson(res, 500, graphqlError("Something went wrong on our side.", "INTERNAL_SERVER_ERROR"));
      else res.destroy();
    });
  });
  httpServer.keepAliveTimeout = 5000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (UNAUTHENTICATED_PATHS.has(path)) return probe(path, res);
    if (options.routes && (await options.routes(req, res, path))) return;
    if (!GRAPHQL_PATHS.has(path)) return sendJson(res, 404, { error: "not found" });
    let viewer: Viewer;
    try {
      viewer = viewerFromHeaders(req.headers, options.internalSecret, clock);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      metrics?.errors.inc({ operation: "(refused)", code: error.code });
      logger.warn({ path, remote: req.socket.remoteAddress }, "refused a request without a valid viewer header");
      return sendJson(res, 401, graphqlError(error.message, error.code));
    }
    const requestId = viewer.rid || firstHeader(req, "x-request-id") || randomUUID();
    const info: RequestInfo = { requestId, logger: logger.child({ rid: requestId }) };
    let body: unknown;
    try {
      const read = await readBody(req, maxBodyBytes);
      if (options.audience !== undefined) checkViewerBinding(viewer, { audience: options.audience, body: read.raw });
      body = read.body;
    } catch (error) {
      if (error instanceof ViewerHeaderError) {
        metrics?.errors.inc({ operation: "(refused)", code: ErrorCode.UNAUTHENTICATED });
        logger.warn({ path, reason: error.message }, "refused a viewer header bound to something else");
        return sendJson(
          res,
          401,
          graphqlError("This service only answers requests that come through the gateway.", ErrorCode.UNAUTHENTICATED),
        );
      }
      if (!(error instanceof RequestError)) throw error;
      return sendJson(res, error.status, graphqlError(error.message, ErrorCode.BAD_USER_INPUT));
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method ?? "GET",
        headers,
        search: new URL(req.url ?? "/", "http://x").search,
        body,
      },
      context: async () => {
        try {
          return await options.context(viewer, req, info);
        } catch (error) {
          // Apollo turns a GraphQLError from the context into the response as is, status included.
          if (error instanceof AppError) throw contextError(error);
          throw error;
        }
      },
    });
    await send(res, response);
  }

  async function probe(path: string, res: ServerResponse): Promise<void> {
    if (path === "/health") return sendJson(res, 200, { status: "ok" });
    if (path === "/metrics") {
      if (!metrics) return sendJson(res, 404, { error: "metrics are not enabled" });
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    if (draining) return sendJson(res, 503, { status: "draining" });
    const result = await runReadiness(options.readiness ?? [], options.readinessTimeoutMs ?? 1000);
    sendJson(res, result.ready ? 200 : 503, result);
  }

  return {
    get url() {
      return url;
    },
    httpServer,
    async listen() {
      await apollo.start();
      await new Promise<void>((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(options.port, options.host ?? "0.0.0.0", () => {
          httpServer.off("error", reject);
          resolve();
        });
      });
      const address = httpServer.address() as AddressInfo;
      const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
      url = `http://${host}:${address.port}`;
      logger.info({ url }, "subgraph listening");
      return url;
    },
    async dispose() {
      draining = true;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      // Keep-alive connections turn idle as their last request finishes; close them as they do,
      // instead of waiting for the keep-alive timeout.
      httpServer.closeIdleConnections();
      const sweeper = setInterval(() => httpServer.closeIdleConnections(), 50);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        closed,
        new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            logger.warn("in-flight requests did not finish in time; closing their connections");
            httpServer.closeAllConnections();
            resolve();
          }, options.shutdownTimeoutMs ?? 5000);
        }),
      ]);
      clearTimeout(timer);
      await closed;
      clearInterval(sweeper);
      await apollo.stop();
    },
  };
}

const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.RATE_LIMITED]: 429,
};

function contextError(error: AppError): GraphQLError {
  const coded = toGraphQLError(error);
  return new GraphQLError(coded.message, {
    originalError: error,
    extensions: { ...coded.extensions, http: { status: STATUS_OF[error.code] ?? 400 } },
  });
}

/** The body as received (`raw`, for the viewer binding) and as Apollo takes it. */
async function readBody(req: IncomingMessage, limit: number): Promise<{ raw: Buffer; body: unknown }> {
  if (req.method === "GET" || req.method === "HEAD") return { raw: Buffer.alloc(0), body: undefined };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new RequestError(413, "The request body is too large.");
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks);
  const text = raw.toString("utf8");
  if (!text) return { raw, body: undefined };
  if (!(req.headers["content-type"] ?? "").includes("json")) return { raw, body: text };
  try {
    return { raw, body: JSON.parse(text) };
  } catch {
    throw new RequestError(400, "The request body is not valid JSON.");
  }
}

async function send(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === "complete") {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function graphqlError(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
