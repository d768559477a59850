import { errors, PlatformRole, type RevocationList } from "@clearbook/kit";
import { decodeJwt, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from "jose";
import { anonymousPrincipal, type Principal } from "../context.js";
import type { PartnerKeyLookup } from "../partner-keys.js";

/** Header that carries a partner integration's API key. */
export const API_KEY_HEADER = "x-api-key";

export interface AuthOptions {
  /** The ledger's signing keys: `createRemoteJWKSet(LEDGER_JWKS_URL)` in production, a local set in tests. */
  jwks: JWTVerifyGetKey;
  /** Finds a partner by API key; null disables partner keys (every `x-api-key` is refused). */
  partnerKeys: PartnerKeyLookup | null;
  /** Default "clearbook" for both. */
  issuer?: string;
  audience?: string;
  /** Milliseconds since the epoch; tokens are checked against it. */
  now?: () => number;
  /** Sessions ended before their tokens expired (log-out); without it only expiry ends a token. */
  revocations?: RevocationList;
}

/** Thrown by `authenticate` for a token of a session that was logged out. */
export class SessionRevokedError extends Error {
  override readonly name = "SessionRevokedError";
  readonly code = "ERR_SESSION_REVOKED";
}

/** A verified access token. */
export interface Authenticated {
  viewer: Principal & { sub: string };
  /** When the token stops being valid, ms since the epoch (the realtime layer closes sockets then). */
  expiresAt: number;
}

export interface Auth {
  /**
   * Verifies an access token (the `Bearer` value, or graphql-ws `connectionParams.authorization`).
   * @throws jose's errors as they are (`code` "ERR_JWT_EXPIRED" when expired, other `ERR_J*` codes when
   *   malformed, forged or for another audience), so the realtime layer can tell expiry apart.
   */
  authenticate(token: string): Promise<Authenticated>;
  /**
   * Builds the principal from request headers: no credentials → anonymous; a bad token or unknown key
   * is refused rather than downgraded to anonymous, so a client notices an expired session.
   * @throws AppError UNAUTHENTICATED.
   */
  principalFromHeaders(headers: { get(name: string): string | null | undefined }): Promise<Principal>;
  /**
   * The principal of headers whose credentials need no further work: none at all (anonymous), or an
   * access token verified before and not yet expired. Lets the HTTP handler check the IP and user
   * rate limits in one Redis round trip. The returned object is shared between requests; do not
   * modify it.
   * @returns undefined when `principalFromHeaders` has to be asked (a new token, an API key, a
   *   malformed header).
   */
  knownPrincipal(headers: { get(name: string): string | null | undefined }): Principal | undefined;
  /**
   * Whether a token verified earlier (a socket's, from `connection_init`) belongs to a session that
   * has since been revoked. The token is decoded, not verified again.
   */
  isRevoked(token: string): boolean;
}

/** A verified token and the principal built from it once, shared by every request that carries it. */
interface VerifiedToken extends Authenticated {
  principal: Principal;
  /** The session family (`sid` claim), or null for tokens without one. */
  sid: string | null;
  /** Issued-at, seconds since the epoch. */
  iat: number;
}

const knownRoles = new Set<string>(Object.values(PlatformRole));

/** Authentication: ES256 access tokens from the ledger, verified with jose; partner API keys. */
export function useAuth(options: AuthOptions): Auth {
  const issuer = options.issuer ?? "clearbook";
  const audience = options.audience ?? "clearbook";

  // An ES256 verification costs ~0.1 ms of CPU; a client sends the same token for its whole
  // ~15 min lifetime, so verified tokens are remembered until they expire (bounded, cleared when full).
  // Revocation (log-out) is checked on every use against an in-memory list kept by pub/sub.
  const verified = new Map<string, VerifiedToken>();
  const now = options.now ?? Date.now;
  const revoked = (t: VerifiedToken) => options.revocations?.isRevoked(t.viewer.sub, t.sid, t.iat) ?? false;

  async function authenticate(raw: string): Promise<VerifiedToken> {
    const token = /^Bearer\s/i.test(raw) ? raw.slice(7).trim() : raw.trim();
    let result = verified.get(token);
    if (!result || result.expiresAt <= now()) {
      result = await verify(token);
      if (verified.size >= 10_000) verified.clear();
      verified.set(token, result);
    }
    if (revoked(result)) throw new SessionRevokedError("The session has ended.");
    return result;
  }

  async function verify(token: string): Promise<VerifiedToken> {
    const { payload } = await jwtVerify(token, options.jwks, {
      issuer,
      audience,
      algorithms: ["ES256"],
      requiredClaims: ["sub", "exp"],
      ...(options.now ? { currentDate: new Date(options.now()) } : {}),
    });
    if (typeof payload.sub !== "string" || payload.sub === "" || typeof payload.exp !== "number") {
      throw new joseErrors.JWTClaimValidationFailed("sub must be a non-empty string", payload, "sub", "check_failed");
    }
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((r): r is PlatformRole => typeof r === "string" && knownRoles.has(r))
      : [];
    const viewer = { sub: payload.sub, roles, partner: null };
    return {
      viewer,
      expiresAt: payload.exp * 1000,
      principal: Object.freeze({ ...viewer }),
      sid: typeof payload.sid === "string" && payload.sid ? payload.sid : null,
      iat: typeof payload.iat === "number" ? payload.iat : 0,
    };
  }

  async function userFromHeader(authorization: string): Promise<VerifiedToken> {
    if (!/^Bearer\s+\S+$/i.test(authorization)) throw errors.unauthenticated("Use Authorization: Bearer <token>.");
    try {
      return await authenticate(authorization);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw errors.unauthenticated("The access token has expired.");
      if (error instanceof SessionRevokedError) throw errors.unauthenticated("The session has ended; sign in again.");
      if (error instanceof joseErrors.JOSEError) throw errors.unauthenticated("The access token is invalid.");
      throw error;
    }
  }

  const bearer = /^Bearer\s+(\S+)$/i;
  return {
    authenticate,
    knownPrincipal(headers) {
      if (headers.get(API_KEY_HEADER)) return undefined;
      const authorization = headers.get("authorization");
      if (!authorization) return anonymousPrincipal;
      const token = bearer.exec(authorization)?.[1];
      const known = token === undefined ? undefined : verified.get(token);
      return known && known.expiresAt > now() && !revoked(known) ? known.principal : undefined;
    },
    isRevoked(token) {
      if (!options.revocations) return false;
      try {
        const claims = decodeJwt(/^Bearer\s/i.test(token) ? token.slice(7).trim() : token.trim());
        if (typeof claims.sub !== "string") return false;
        const sid = typeof claims.sid === "string" && claims.sid ? claims.sid : null;
        return options.revocations.isRevoked(claims.sub, sid, typeof claims.iat === "number" ? claims.iat : 0);
      } catch {
        return false;
      }
    },
    async principalFromHeaders(headers) {
      const authorization = headers.get("authorization");
      const apiKey = headers.get(API_KEY_HEADER);
      let principal: Principal = { sub: null, roles: [], partner: null };
      if (authorization) {
        const user = await userFromHeader(authorization);
        if (!apiKey) return user.principal;
        principal = { ...principal, sub: user.viewer.sub, roles: user.viewer.roles };
      }
      if (apiKey) {
        const partner = options.partnerKeys ? await options.partnerKeys.find(apiKey) : null;
        if (!partner) throw errors.unauthenticated("The API key is not valid.");
        principal = { ...principal, partner: { id: partner.id, scopes: partner.scopes } };
      }
      return principal;
    },
  };
}
