import type { Viewer } from "@clearbook/kit";
import type { DocumentNode, GraphQLFormattedError } from "graphql";

/** Who a subscription is served to: the identity part of the kit's `Viewer`. */
export type RealtimeViewer = Pick<Viewer, "sub" | "roles" | "partner">;

export const anonymousIdentity: RealtimeViewer = Object.freeze({ sub: null, roles: [], partner: null });

/** The JSON result of one operation run through the gateway. */
export interface RealtimeExecutionResult {
  data?: Record<string, unknown> | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * Runs an operation through the federated executor as `viewer` (the same auth, limits and error
 * formatting as HTTP). Must not throw for GraphQL errors: they come back in `errors`.
 */
export type ExecuteFn = (request: {
  document: DocumentNode;
  variables: Record<string, unknown>;
  viewer: RealtimeViewer & { rid: string };
}) => Promise<RealtimeExecutionResult>;

/** The outcome of verifying an access token. */
export interface Authentication {
  viewer: RealtimeViewer;
  /** When the token stops being valid, ms since the epoch; null if it never expires. */
  expiresAt: number | null;
}

/**
 * Verifies an access token.
 * @throws for an invalid token; an error whose `code` is "ERR_JWT_EXPIRED" (jose) means expired.
 */
export type AuthenticateFn = (token: string) => Promise<Authentication>;

/** A partner integration, as an API key names it. */
export type RealtimePartner = NonNullable<RealtimeViewer["partner"]>;

/**
 * Finds the partner owning an API key (graphql-ws `connectionParams["x-api-key"]`).
 * @returns null when the key is unknown or revoked.
 */
export type AuthenticateApiKeyFn = (apiKey: string) => Promise<RealtimePartner | null>;

/** A subscribe message's payload as the client sent it (graphql-ws checks only `query`). */
export interface SubscribeRequest {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

/**
 * The persisted-operation safelist, as over HTTP: partners may run only manifest operations; anyone may
 * name a manifest operation by id. Rewrites `request.query` to the manifest document when it finds one.
 * @throws AppError PERSISTED_QUERY_REQUIRED or PERSISTED_QUERY_NOT_FOUND.
 */
/** `fromBrowser`: the socket was opened by a web page (its upgrade carried an `Origin`). */
export type ResolvePersistedFn = (request: SubscribeRequest, viewer: RealtimeViewer, fromBrowser: boolean) => void;

/**
 * Extra authorization of a subscription beyond its route's check query.
 * @throws an `AppError` (FORBIDDEN, NOT_FOUND…) to refuse; the client gets it in an `error` message.
 */
export type AuthorizeFn = (request: {
  field: string;
  argument: string;
  value: string;
  viewer: RealtimeViewer;
}) => Promise<void>;
