import type { IncomingMessage, ServerResponse } from "node:http";
import { request } from "node:http";

/** A path prefix the gateway passes through, unchanged, to one subgraph's HTTP server. */
export interface FileRoute {
  /** e.g. `/evidence/`: must start and end with a slash, so `/evidence-x` never matches. */
  prefix: string;
  /** e.g. `http://127.0.0.1:4001`. */
  origin: string;
}

/**
 * The ledger's plain-HTTP endpoints (evidence uploads and downloads behind signed, expiring URLs;
 * the CSV export of an organization's books) are reached through the public endpoint. They carry
 * their own authorization (the URL signature) or are public, so the gateway streams them through
 * as they are: no body is buffered, and only a few end-to-end headers are copied.
 * @returns the route for `pathname`, or null when none matches (or the path tries to climb).
 */
export function matchFileRoute(routes: readonly FileRoute[], pathname: string): FileRoute | null {
  if (pathname.includes("..") || pathname.includes("%2e") || pathname.includes("%2E")) return null;
  return routes.find((r) => pathname.startsWith(r.prefix) && pathname.length > r.prefix.length) ?? null;
}

const FORWARDED_REQUEST_HEADERS = ["content-type", "content-length", "range", "if-none-match", "x-request-id"];
const FORWARDED_RESPONSE_HEADERS = [
  "content-type",
  "content-length",
  "content-disposition",
  "cache-control",
  "etag",
  "last-modified",
  "accept-ranges",
  "content-range",
];

/**
 * True when a request target is in origin form (`/path?query`, RFC 9112 §3.2.1). An absolute-form
 * target (`http://10.0.0.5/x`) or a protocol-relative one (`//host/x`) would replace the upstream's
 * origin when resolved as a URL, so they never reach the proxy (or any other route).
 */
export function isOriginForm(target: string): boolean {
  return target.startsWith("/") && !target.startsWith("//") && !target.startsWith("/\\");
}

/**
 * The upstream URL: the route's configured origin with the request's path and query only. The
 * request target is never resolved against the origin, so nothing in it can change the host.
 */
export function upstreamUrl(route: FileRoute, pathname: string, search: string): URL {
  const target = new URL(route.origin);
  target.pathname = pathname;
  target.search = search;
  return target;
}

export function proxyFile(
  route: FileRoute,
  url: { pathname: string; search: string },
  req: IncomingMessage,
  res: ServerResponse,
  clientIp: string,
): void {
  const target = upstreamUrl(route, url.pathname, url.search);
  const headers: Record<string, string> = { "x-forwarded-for": clientIp };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  const upstream = request(target, { method: req.method, headers, timeout: 30_000 }, (answer) => {
    const out: Record<string, string> = {};
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === "string") out[name] = value;
    }
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
  });
  upstream.on("timeout", () => upstream.destroy(new Error("upstream timeout")));
  upstream.on("error", () => {
    if (!res.headersSent) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end("The file service is unavailable.");
    } else res.destroy();
  });
  req.pipe(upstream);
}
