import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApolloServer, HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import { AppError, ErrorCode, errors } from "@clearbook/kit";
import { clientIp } from "./client-ip.js";
import { createContext, type GatewayContext } from "./context.js";
import { type FileRoute, isOriginForm, matchFileRoute, proxyFile } from "./file-proxy.js";
import type { InFlight } from "./inflight.js";
import type { OperationTypeCache } from "./operation-type.js";
import { exceedsTokenLimit } from "./plugins/use-armor.js";
import type { Auth } from "./plugins/use-auth.js";
import type { GatewayMetrics } from "./plugins/use-metrics.js";
import type { Persisted, RequestBody } from "./plugins/use-persisted.js";
import type { RateLimit } from "./plugins/use-rate-limit.js";
import type { WebApp } from "./web-app.js";

/**
 * A finished response that identical concurrent requests can all be answered with, encoded once
 * (UTF-8 encoding of a large body per client was 15% of the CPU under identical load).
 */
export interface SharedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface HandlerDeps {
  path: string;
  apollo: ApolloServer<GatewayContext>;
  auth: Auth;
  rateLimit: RateLimit | null;
  persisted: Persisted;
  metrics: GatewayMetrics;
  operationTypes: OperationTypeCache;
  /** Documents with more tokens are refused before parsing (graphql-armor's maxTokens, done here). */
  maxTokens: number;
  /**
   * Documents longer than this many characters are refused before anything else looks at them:
   * comments and whitespace are not tokens, so the token limit alone let a padded document through.
   * Default 16,384 (the longest contract operation is under 1,500).
   */
  maxDocumentChars?: number;
  /** Inbound deduplication; null turns it off. */
  inFlight: InFlight<SharedResponse> | null;
  maxBodyBytes: number;
  /** How many proxies in front of the gateway append to `x-forwarded-for` (0: use the socket's address). */
  trustedProxyHops: number;
  /** Plain-HTTP paths streamed through to a subgraph (the ledger's evidence files and CSV export). */
  fileRoutes?: readonly FileRoute[];
  /** The built web app, answering GET and HEAD requests no other route takes. */
  webApp?: WebApp | null;
  /** Browsers may run only manifest operations (by id or as a listed document), as partners. */
  browsersPersistedOnly?: boolean;
  ready(): Promise<ReadinessReport>;
  logError(error: unknown, rid: string): void;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, headers: Iterable<[string, string]>, body: string | Buffer): void {
  // One flat list straight to writeHead: no per-header setHeader bookkeeping. A string body goes out
  // in the same write as the head; a Buffer (a shared response) in the same writev.
  const flat: string[] = [];
  for (const [name, value] of headers) flat.push(name, value);
  res.writeHead(status, flat);
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: [string, string][] = []): void {
  send(res, status, [["content-type", "application/json; charset=utf-8"], ...headers], JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, error: AppError, headers: [string, string][] = []): void {
  const body = { errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] };
  sendJson(res, status, body, headers);
}

/** HTTP status of an error raised before execution (APQ's not-found stays 200: clients retry with the document). */
function statusOf(code: ErrorCode): number {
  if (code === ErrorCode.UNAUTHENTICATED) return 401;
  if (code === ErrorCode.PERSISTED_QUERY_REQUIRED || code === ErrorCode.BAD_USER_INPUT) return 400;
  return 200;
}

/**
 * Whether a request comes from a web page: browsers send `Origin` on every POST and WebSocket upgrade,
 * and `Sec-Fetch-Site` on every request from a trustworthy origin. (Node's fetch sends `Sec-Fetch-Mode`
 * but neither of these.) A tool can of course pretend not to be a browser: this rule keeps pages, not
 * people, to the manifest — partners are held to it by their API keys.
 */
export function fromBrowser(headers: IncomingMessage["headers"]): boolean {
  return headers.origin !== undefined || headers["sec-fetch-site"] !== undefined;
}

function headerMap(req: IncomingMessage): HeaderMap {
  const map = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) map.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return map;
}

/** A response as Apollo built it, with its body read whole. */
interface CompleteResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

async function complete(response: HTTPGraphQLResponse): Promise<CompleteResponse> {
  let body: string;
  if (response.body.kind === "complete") body = response.body.string;
  else {
    body = "";
    for await (const chunk of response.body.asyncIterator) body += chunk;
  }
  return { status: response.status ?? 200, headers: [...response.headers], body };
}

/** Encodes a response once for everyone waiting on it. */
async function encoded(response: Promise<CompleteResponse>): Promise<SharedResponse> {
  const { status, headers, body } = await response;
  return { status, headers, body: Buffer.from(body, "utf8") };
}

/** GET carries the request in the query string; the safelist works on the same shape as a POST body. */
function bodyFromSearch(params: URLSearchParams): RequestBody {
  const body: RequestBody = {};
  const query = params.get("query");
  if (query !== null) body.query = query;
  const documentId = params.get("documentId");
  if (documentId !== null) body.documentId = documentId;
  const extensions = params.get("extensions");
  if (extensions !== null) {
    try {
      body.extensions = JSON.parse(extensions);
    } catch {
      // Apollo reports the malformed parameter.
    }
  }
  return body;
}

/**
 * The gateway's HTTP entry: health, readiness and metrics endpoints, and the GraphQL endpoint, where
 * each request is authenticated, rate limited and checked against the safelist before Apollo Server
 * sees it. Identical concurrent queries from the same authorization scope share one execution and
 * one encoded response.
 */
export function createHttpHandler(deps: HandlerDeps) {
  // Documents already counted, by hash: clients resend the same few hundred documents all day, and
  // a key is 32 bytes whatever the document's length.
  const counted = new Set<string>();
  const maxDocumentChars = deps.maxDocumentChars ?? 16_384;
  const withinTokenLimit = (document: string): boolean => {
    const key = createHash("sha256").update(document).digest("base64");
    if (counted.has(key)) return true;
    if (exceedsTokenLimit(document, deps.maxTokens)) return false;
    if (counted.size >= 1000) counted.clear();
    counted.add(key);
    return true;
  };
  const refuseDocument = (res: ServerResponse, message: string) => {
    deps.metrics.countError("GRAPHQL_VALIDATION_FAILED");
    sendJson(res, 400, { errors: [{ message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }] });
  };

  /** `search` is the request target from "?" on ("" without one). */
  async function graphql(req: IncomingMessage, res: ServerResponse, search: string): Promise<void> {
    const incomingRid = req.headers["x-request-id"];
    const rid = typeof incomingRid === "string" && /^[\w.:-]{1,128}$/.test(incomingRid) ? incomingRid : randomUUID();
    const method = req.method ?? "GET";
    let raw = "";
    try {
      raw = method === "POST" ? await readBody(req, deps.maxBodyBytes) : "";
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      deps.metrics.countError(ErrorCode.BAD_USER_INPUT);
      return sendError(res, 413, errors.badInput(`The request body is larger than ${deps.maxBodyBytes} bytes.`), [
        ["connection", "close"],
      ]);
    }
    const headers = headerMap(req);
    const refuseLimited = (limited: { retryAfterSeconds: number }) => {
      deps.metrics.countError(ErrorCode.RATE_LIMITED);
      sendError(res, 429, errors.rateLimited(limited.retryAfterSeconds), [
        ["retry-after", String(limited.retryAfterSeconds)],
      ]);
    };
    const ip = clientIp(req, deps.trustedProxyHops);
    const persistedOnly = deps.browsersPersistedOnly === true && fromBrowser(req.headers);
    try {
      // A token verified before costs nothing to check, so both limits go to Redis in the same tick
      // (one pipelined write); otherwise the IP is counted before the credentials are verified.
      let principal = deps.auth.knownPrincipal(headers);
      if (principal) {
        const limited = await deps.rateLimit?.consume(ip, principal);
        if (limited) return refuseLimited(limited);
      } else {
        const byIp = await deps.rateLimit?.consume(ip, null);
        if (byIp) return refuseLimited(byIp);
        principal = await deps.auth.principalFromHeaders(headers);
        const byPrincipal = await deps.rateLimit?.consume(null, principal);
        if (byPrincipal) return refuseLimited(byPrincipal);
      }
      const json = (headers.get("content-type") ?? "").toLowerCase().startsWith("application/json");
      let body: unknown = raw;
      if (method === "POST" && json && raw !== "") {
        try {
          body = JSON.parse(raw);
        } catch {
          return sendError(res, 400, errors.badInput("The request body is not valid JSON."));
        }
      }
      const searchParams = method === "GET" ? new URLSearchParams(search) : null;
      const sent = searchParams ? searchParams.get("query") : (body as RequestBody | null)?.query;
      if (typeof sent === "string" && sent.length > maxDocumentChars) {
        return refuseDocument(res, `The document is longer than ${maxDocumentChars} characters.`);
      }
      let apolloSearch = search;
      let operationType: string | null = null;
      if (method === "POST" && typeof body === "object" && body !== null && !Array.isArray(body)) {
        const listed = deps.persisted.resolve(body as RequestBody, principal, persistedOnly);
        const query = (body as RequestBody).query;
        const name = (body as RequestBody).operationName;
        operationType =
          listed?.type ??
          (typeof query === "string"
            ? deps.operationTypes.typeOf(query, typeof name === "string" ? name : null)
            : null);
      } else if (searchParams) {
        const fromSearch = bodyFromSearch(searchParams);
        const listed = deps.persisted.resolve(fromSearch, principal, persistedOnly);
        if (listed && !searchParams.has("query")) {
          const params = new URLSearchParams(searchParams);
          params.delete("documentId");
          params.set("query", listed.body);
          apolloSearch = `?${params}`;
        }
      } else if (principal.partner || persistedOnly) {
        throw new AppError(ErrorCode.PERSISTED_QUERY_REQUIRED, "This API key may only run persisted operations.");
      }

      const document = searchParams ? searchParams.get("query") : (body as RequestBody | null)?.query;
      if (typeof document === "string" && !withinTokenLimit(document)) {
        return refuseDocument(res, `Token limit of ${deps.maxTokens} exceeded.`);
      }
      const context = createContext(principal, rid, ip);
      const run = async () =>
        complete(
          await deps.apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method, headers, search: apolloSearch, body },
            context: async () => context,
          }),
        );
      const accept = headers.get("accept") ?? "";
      const shareable =
        deps.inFlight !== null &&
        method === "POST" &&
        json &&
        operationType === "query" &&
        !accept.includes("multipart");
      // Mutations and other unshared responses keep their body a string: no Buffer copy of it.
      const response: CompleteResponse | SharedResponse =
        shareable && deps.inFlight
          ? await shared(deps.inFlight, `${context.scope}\n${accept}\n${raw}`, run)
          : await run();
      send(res, response.status, response.headers, response.body);
    } catch (error) {
      if (error instanceof AppError) {
        deps.metrics.countError(error.code);
        return sendError(res, statusOf(error.code), error);
      }
      throw error;
    }
  }

  const shared = (inFlight: InFlight<SharedResponse>, key: string, run: () => Promise<CompleteResponse>) => {
    if (inFlight.has(key)) deps.metrics.deduplicated.inc({ layer: "inbound" });
    return inFlight.run(key, () => encoded(run()));
  };

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = req.url ?? "/";
    const question = target.indexOf("?");
    try {
      // The GraphQL path as clients send it needs no URL parsing; anything else is normalized first.
      if ((question === -1 ? target : target.slice(0, question)) === deps.path) {
        return await graphql(req, res, question === -1 ? "" : target.slice(question));
      }
      // Only origin-form targets: `new URL("//evil/x", base)` or an absolute-form request line
      // would otherwise pick the host (the file proxy's SSRF).
      if (!isOriginForm(target)) return send(res, 400, [["content-type", "text/plain"]], "Bad request target");
      const url = new URL(target, "http://gateway");
      if (url.pathname === deps.path) return await graphql(req, res, url.search);
      const fileRoute = deps.fileRoutes ? matchFileRoute(deps.fileRoutes, url.pathname) : null;
      if (fileRoute) {
        // The CSV export and evidence transfers count against the client's per-IP limit like any request.
        const ip = clientIp(req, deps.trustedProxyHops);
        const limited = await deps.rateLimit?.consume(ip, null);
        if (limited) {
          deps.metrics.countError(ErrorCode.RATE_LIMITED);
          return send(
            res,
            429,
            [
              ["content-type", "text/plain"],
              ["retry-after", String(limited.retryAfterSeconds)],
            ],
            "Too many requests",
          );
        }
        return proxyFile(fileRoute, url, req, res, ip);
      }
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 404, [], "");
      if (url.pathname === "/health") {
        return send(res, 200, [["content-type", "application/json"]], '{"status":"ok"}');
      }
      if (url.pathname === "/ready") {
        const report = await deps.ready();
        return send(res, report.ready ? 200 : 503, [["content-type", "application/json"]], JSON.stringify(report));
      }
      if (url.pathname === "/metrics") {
        const text = await deps.metrics.scrape();
        return send(res, 200, [["content-type", deps.metrics.registry.contentType]], text);
      }
      if (deps.webApp?.(req, res)) return;
      send(res, 404, [["content-type", "text/plain"]], "Not found");
    } catch (error) {
      deps.logError(error, "");
      if (!res.headersSent) sendError(res, 500, errors.internal());
      else res.destroy();
    }
  };
}
