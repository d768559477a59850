import { createHash, createHmac, timingSafeEqual } from "node:crypto";
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
  /** Issued-at and expiry, seconds since the epoch: a captured header is useless seconds later. */
  iat: z.number().int(),
  exp: z.number().int(),
  /** The subgraph the header was signed for (its name in the supergraph): replaying it elsewhere fails. */
  aud: z.string().min(1).optional(),
  /** base64url SHA-256 of the exact request body: the header cannot carry another operation. */
  bh: z.string().min(1).optional(),
});

export type Viewer = z.infer<typeof viewerSchema>;

/** Default lifetime of a signed header: the gateway signs each subgraph fetch just before sending it. */
export const VIEWER_TTL_SECONDS = 10;

export const anonymousViewer = (rid = ""): Viewer => {
  const now = Math.floor(Date.now() / 1000);
  return { v: 1, sub: null, roles: [], partner: null, rid, iat: now, exp: now + VIEWER_TTL_SECONDS };
};

/** What a header is bound to: the receiving subgraph and the body it travels with. */
export interface ViewerBinding {
  /** The receiving subgraph's name in the supergraph (`ledger`). */
  audience: string;
  /** The request body exactly as sent. */
  body: string | Buffer;
}

/** base64url SHA-256 of a request body, as carried in the `bh` claim. */
export function viewerBodyHash(body: string | Buffer): string {
  return createHash("sha256").update(body).digest("base64url");
}

export class ViewerHeaderError extends Error {
  override readonly name = "ViewerHeaderError";
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

/**
 * Signs a viewer for the `x-clearbook-viewer` header: `base64url(json).base64url(hmac-sha256)`.
 * The gateway is the only caller in production, and binds every header to the subgraph it goes to
 * and the body it goes with (`binding`); subgraphs that know their name refuse unbound headers.
 */
export function signViewer(
  viewer: Omit<Viewer, "v" | "iat" | "exp" | "aud" | "bh">,
  secret: string,
  options: { ttlSeconds?: number; nowMs?: number; binding?: ViewerBinding } = {},
): string {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const full: Viewer = {
    v: 1,
    sub: viewer.sub,
    roles: viewer.roles,
    partner: viewer.partner,
    rid: viewer.rid,
    iat,
    exp: iat + (options.ttlSeconds ?? VIEWER_TTL_SECONDS),
  };
  if (options.binding) {
    full.aud = options.binding.audience;
    full.bh = viewerBodyHash(options.binding.body);
  }
  const payload = Buffer.from(JSON.stringify(full)).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

/**
 * Verifies a header produced by `signViewer`. With `binding`, the header must have been signed for
 * that audience and that exact body; without, only the signature and expiry are checked (and
 * `checkViewerBinding` can do the rest once the body has been read).
 * @returns the viewer it carries.
 * @throws ViewerHeaderError when the header is missing, malformed, tampered with, expired, or bound
 * to another subgraph or body.
 */
export function verifyViewer(
  header: string | undefined | null,
  secret: string,
  nowMs = Date.now(),
  binding?: ViewerBinding,
): Viewer {
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
  if (binding) checkViewerBinding(parsed.data, binding);
  return parsed.data;
}

/**
 * @throws ViewerHeaderError unless `viewer` was signed for `binding.audience` and `binding.body`.
 */
export function checkViewerBinding(viewer: Viewer, binding: ViewerBinding): void {
  if (viewer.aud !== binding.audience) throw new ViewerHeaderError("viewer header was signed for another subgraph");
  const expected = Buffer.from(viewerBodyHash(binding.body));
  const given = Buffer.from(viewer.bh ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ViewerHeaderError("viewer header was signed for another request body");
  }
}
