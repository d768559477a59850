/**
 * WebSocket close codes the realtime layer uses on top of graphql-ws's own (`CloseCode` in
 * graphql-ws: 4400 bad request, 4401 unauthorized, 4403 forbidden, 4406 subprotocol, 4408 init
 * timeout, 4409 duplicate subscriber, 4429 too many inits, 4500 internal error).
 *
 * The graphql-ws client treats 4400, 4401, 4406, 4409, 4429 and 4500 as fatal (it stops
 * retrying), so the codes after which a client should reconnect stay out of that list.
 */
export const RealtimeCloseCode = {
  /** The access token given in `connection_init` expired: reconnect with a fresh token. Retryable. */
  TokenExpired: 4440,
  /** The client read too slowly and its send buffer overflowed: reconnect and resume. Retryable. */
  SlowConsumer: 4413,
  /** The access token in `connection_init` was missing a required shape or did not verify. Fatal. */
  Unauthorized: 4401,
  /** The gateway is shutting down (standard "going away"): reconnect to another replica. */
  GoingAway: 1001,
  /** The peer stopped answering keepalive pings; the socket is terminated, this code is only logged. */
  KeepaliveTimeout: 4504,
} as const;
export type RealtimeCloseCode = (typeof RealtimeCloseCode)[keyof typeof RealtimeCloseCode];
