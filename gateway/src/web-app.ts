import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import sirv from "sirv";

/** Serves one request for the web app; returns false when it is not the app's to answer. */
export type WebApp = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The headers every page and asset of the app carries. The app loads nothing from other origins and
 * talks to the API and its WebSocket on its own origin; evidence files are same-origin too (S3 links
 * are plain navigations, which CSP does not restrict).
 */
const SECURITY_HEADERS: [string, string][] = [
  [
    "content-security-policy",
    "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; " +
      "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
  ],
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "same-origin"],
  ["x-frame-options", "DENY"],
];

/**
 * The built web app (`web/dist`) on the gateway's origin, so the app, the API and the WebSocket share
 * one origin. Hashed assets are cached for a year; index.html, the service worker and the PWA manifest
 * are revalidated. Paths that are not files get index.html (the app's router owns them).
 * @returns null when `dir` has no index.html (the app was not built): the gateway then serves only the API.
 */
export function createWebApp(dir: string): WebApp | null {
  if (!existsSync(join(dir, "index.html"))) return null;
  const serve = sirv(dir, {
    single: true,
    etag: true,
    dotfiles: false,
    setHeaders(res, pathname) {
      for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
      res.setHeader(
        "cache-control",
        pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      );
      if (pathname === "/manifest.webmanifest") res.setHeader("content-type", "application/manifest+json");
    },
  });
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    serve(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
    });
    return true;
  };
}
