import type { PlatformRole } from "@clearbook/kit";

/** Who is calling: what the gateway knows after authentication, before it is signed for subgraphs. */
export interface Principal {
  /** The user id from the access token, or null for an anonymous (or partner-only) request. */
  sub: string | null;
  roles: PlatformRole[];
  /** The partner integration, when the request came with an API key. */
  partner: { id: string; scopes: string[] } | null;
}

export const anonymousPrincipal: Principal = Object.freeze({ sub: null, roles: [], partner: null });

/** Apollo Server's per-request context inside the gateway. */
export interface GatewayContext {
  principal: Principal;
  /** The request id, forwarded to subgraphs in the viewer and as `x-request-id`. */
  rid: string;
  /** `scopeKey(principal)`, computed once per request. */
  scope: string;
  /**
   * The client's address, forwarded to subgraphs as `x-forwarded-for` (the ledger limits log-in
   * failures per IP). Only mutations need it, and mutations are never shared across requests.
   */
  ip?: string;
}

/**
 * The authorization scope of a principal as a string: two requests with the same scope are
 * allowed to see exactly the same data, so their identical queries may share one execution.
 * The request id and token expiry are deliberately not part of it.
 */
export function scopeKey(principal: Principal): string {
  const partner = principal.partner ? [principal.partner.id, [...principal.partner.scopes].sort()] : null;
  return JSON.stringify([principal.sub, [...principal.roles].sort(), partner]);
}

/** Scopes of principals shared between requests (a verified token's, the anonymous one), computed once. */
const scopes = new WeakMap<Principal, string>();

export function createContext(principal: Principal, rid: string, ip?: string): GatewayContext {
  let scope = scopes.get(principal);
  if (scope === undefined) {
    scope = scopeKey(principal);
    if (Object.isFrozen(principal)) scopes.set(principal, scope);
  }
  return ip ? { principal, rid, scope, ip } : { principal, rid, scope };
}
