import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** The header in which the gateway forwards the authenticated viewer to subgraphs. */
export const VIEWER_HEADER = "x-clearbook-viewer";

/** Platform-wide roles (organization roles live in the ledger and on chain). */
export const PlatformRole = { ADMIN: "ADMIN" } as const;
export type PlatformRole = (typeof PlatformRole)[keyof typeof PlatformRole];

const viewerSchema = z.object({
  /** Format version. */
  v: z.literal(1),
  /** The user id, or null for an anonymous request. */
  sub: z.string().min(1).nullable(),
  /** Platform roles of the user. */
  roles: z.array(z.enum(["ADMIN"])),
  /** A partner integration's key id and scopes, when the request came with an API key. */
  partner: z.object({ id: z.string().min(1), scopes: z.array(z.string()) }).nullable(),
  /** The gateway's request id, so logs across services line up. */
  rid: z.string().max(128),
  /** Issued-at and expiry, seconds since the epoch: a captured header is useless a minute later. */
  iat: z.number().int(),
  exp: z.number().int(),
});

export type Viewer = z.infer<typeof viewerSchema>;

export const anonymousViewer = (rid = ""): Viewer => {
  const now = Math.floor(Date.now() / 1000);
  return { v: 1, sub: null, roles: [], partner: null, rid, iat: now, exp: now + 60 };
};

export class ViewerHeaderError extends Error {
  override readonly name = "ViewerHeaderError";
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/**
 * Signs a viewer for the `x-clearbook-viewer` header: `base64url(json).base64url(hmac-sha256)`.
 * The gateway is the only caller in production.
 */
export function signViewer(
  viewer: Omit<Viewer, "v" | "iat" | "exp">,
  secret: string,
  options: { ttlSeconds?: number; nowMs?: number } = {},
): string {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const full: Viewer = { v: 1, ...viewer, iat, exp: iat + (options.ttlSeconds ?? 60) };
  const payload = Buffer.from(JSON.stringify(full)).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/**
 * Verifies a header produced by `signViewer`.
 * @returns the viewer it carries.
 * @throws ViewerHeaderError when the header is missing, malformed, tampered with, or expired.
 */
export function verifyViewer(header: string | undefined | null, secret: string, nowMs = Date.now()): Viewer {
  if (!header) throw new ViewerHeaderError("missing viewer header");
  const dot = header.indexOf(".");
  if (dot <= 0 || dot !== header.lastIndexOf(".")) throw new ViewerHeaderError("malformed viewer header");
  const payload = header.slice(0, dot);
  const given = Buffer.from(header.slice(dot + 1), "base64url");
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ViewerHeaderError("viewer header signature does not match");
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    throw new ViewerHeaderError("viewer header is not JSON");
  }
  const parsed = viewerSchema.safeParse(json);
  if (!parsed.success) throw new ViewerHeaderError("viewer header has the wrong shape");
  if (parsed.data.exp * 1000 < nowMs) throw new ViewerHeaderError("viewer header has expired");
  return parsed.data;
}
