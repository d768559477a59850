import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Clock } from "@clearbook/kit";
import { AppError, ErrorCode, errors, toGraphQLError } from "@clearbook/kit";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import {
  CloseCode,
  type ConnectionInitMessage,
  type Context,
  handleProtocols,
  MessageType,
  makeServer,
  parseMessage,
  type SubscribeMessage,
  stringifyMessage,
} from "graphql-ws";
import { type WebSocket, WebSocketServer } from "ws";
import { RealtimeCloseCode } from "./close-codes.js";
import type { FanoutHub, Subscriber, SubscriberSink } from "./fanout-hub.js";
import { forEachInTurns } from "./in-turns.js";
import { writeNextFrame } from "./next-frame.js";
import type { RealtimeLogger } from "./realtime-logger.js";
import type { RealtimeMetrics } from "./realtime-metrics.js";
import type { RealtimeOptions } from "./realtime-options.js";
import {
  type AuthenticateApiKeyFn,
  type AuthenticateFn,
  type AuthorizeFn,
  anonymousIdentity,
  type ExecuteFn,
  type RealtimeViewer,
  type ResolvePersistedFn,
  type SubscribeRequest,
} from "./realtime-types.js";
import { authorizeSubscription } from "./subscription-auth.js";
import { createDocumentCache, isPlanErrors, planOperation } from "./subscription-plan.js";
import type { SubscriptionRoute } from "./subscription-routes.js";

export interface WsServerDeps {
  httpServer: Server;
  path: string;
  getApiSchema: () => GraphQLSchema;
  execute: ExecuteFn;
  authenticate: AuthenticateFn;
  authenticateApiKey?: AuthenticateApiKeyFn;
  resolvePersisted?: ResolvePersistedFn;
  authorize?: AuthorizeFn;
  routes: ReadonlyMap<string, SubscriptionRoute>;
  hub: FanoutHub;
  clock: Clock;
  options: RealtimeOptions;
  metrics: RealtimeMetrics;
  logger: RealtimeLogger;
  /** The client's address for the per-IP connection limit (the gateway's trusted-proxy rule); default the socket's. */
  clientIp?: (request: IncomingMessage) => string;
  /** Whether a socket's token belongs to a session logged out since it connected. */
  isTokenRevoked?: (token: string) => boolean;
  /** Registers a listener called after each log-out; returns the unsubscribe function. */
  onSessionsRevoked?: (listener: () => void) => () => void;
}

interface ConnectionState {
  viewer: RealtimeViewer;
  ctx: Context | null;
  /** Subscription id → its subscriber, or "pending" while it is planned and authorized. */
  subscriptions: Map<string, Subscriber | "pending">;
  alive: boolean;
  closing: boolean;
  expiryTimer: NodeJS.Timeout | null;
  /** The access token from `connection_init`, checked again when a session is logged out. */
  token: string | null;
  /** Start of the current one-second subscribe window, and the subscribes counted in it. */
  windowStart: number;
  subscribesInWindow: number;
  /** Opened by a web page (the upgrade carried an `Origin`), for the browsers' safelist. */
  fromBrowser: boolean;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

/** The access token from `connection_init`: `authorization` ("Bearer …") or `accessToken`. */
function tokenFrom(params: ConnectionInitMessage["payload"]): string | null {
  const raw = params?.authorization ?? params?.accessToken;
  if (typeof raw !== "string" || raw.length === 0) return null;
  return raw.startsWith("Bearer ") ? raw.slice(7) : raw;
}

/** A partner's API key from `connection_init`: `x-api-key` (the HTTP header's name) or `apiKey`. */
function apiKeyFrom(params: ConnectionInitMessage["payload"]): string | null {
  const raw = params?.["x-api-key"] ?? params?.apiKey;
  return typeof raw === "string" && raw.length > 0 ? raw : null;
}

/**
 * The subscribe payload with the persisted-operation safelist applied. graphql-ws requires a `query`
 * string, so a client that names a manifest operation by id (`documentId` or APQ's
 * `extensions.persistedQuery`) sends an empty one.
 * @throws AppError PERSISTED_QUERY_REQUIRED or PERSISTED_QUERY_NOT_FOUND.
 */
function applySafelist(
  payload: SubscribeMessage["payload"],
  viewer: RealtimeViewer,
  resolve: ResolvePersistedFn | undefined,
  fromBrowser: boolean,
): SubscribeMessage["payload"] {
  if (!resolve) {
    if (viewer.partner) {
      throw new AppError(ErrorCode.PERSISTED_QUERY_REQUIRED, "This API key may only run persisted operations.");
    }
    return payload;
  }
  const request: SubscribeRequest = { ...payload };
  const extensions = request.extensions as { persistedQuery?: unknown } | null | undefined;
  if (request.query === "" && (request.documentId !== undefined || extensions?.persistedQuery !== undefined)) {
    delete request.query;
  }
  resolve(request, viewer, fromBrowser);
  // Named by an id the manifest does not hold (APQ's Redis cache is an HTTP affair).
  if (typeof request.query !== "string") {
    throw new AppError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound");
  }
  return request.query === payload.query ? payload : { ...payload, query: request.query };
}

const isExpiredTokenError = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && error.code === "ERR_JWT_EXPIRED";

/**
 * graphql-ws over `ws` on the HTTP server's upgrade for `path`. graphql-ws's `makeServer` runs the
 * handshake (init timeout, one init, ack, ping/pong); `subscribe` and `complete` are handled here,
 * because subscriptions are served by the fan-out hub instead of by graphql-js `subscribe`.
 */
export function createWsServer(deps: WsServerDeps): { dispose(): Promise<void> } {
  const { options, metrics, logger } = deps;
  // Client messages are small (init, subscribe, complete, pong); a big one is refused by ws with 1009.
  const wss = new WebSocketServer({ noServer: true, handleProtocols, perMessageDeflate: false, maxPayload: 64 * 1024 });
  const states = new Map<WebSocket, ConnectionState>();
  const documents = createDocumentCache();

  // Open sockets per client address on this process (a flood of idle sockets costs memory and pings).
  const perIp = new Map<string, number>();
  const release = (ip: string) => {
    const left = (perIp.get(ip) ?? 1) - 1;
    if (left <= 0) perIp.delete(ip);
    else perIp.set(ip, left);
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? "/", "http://localhost").pathname;
    if (pathname !== deps.path) return;
    const ip = deps.clientIp?.(request) ?? request.socket.remoteAddress ?? "unknown";
    const held = perIp.get(ip) ?? 0;
    if (options.maxConnectionsPerIp > 0 && held >= options.maxConnectionsPerIp) {
      metrics.closes.inc({ reason: "too_many_connections" });
      socket.end("HTTP/1.1 429 Too Many Requests\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    perIp.set(ip, held + 1);
    let counted = true;
    const uncount = () => {
      if (counted) release(ip);
      counted = false;
    };
    socket.once("close", uncount);
    const fromBrowser = request.headers.origin !== undefined;
    wss.handleUpgrade(request, socket, head, (ws) => open(ws, socket, fromBrowser));
  };
  deps.httpServer.on("upgrade", onUpgrade);

  // A log-out ends the session's sockets at once (4440: the client's refresh then fails, and it signs in).
  const stopRevocations = deps.onSessionsRevoked?.(() => {
    for (const [ws, state] of states) {
      if (state.token !== null && !state.closing && deps.isTokenRevoked?.(state.token)) {
        closeSocket(ws, state, RealtimeCloseCode.TokenExpired, "Session ended", "session_revoked");
      }
    }
  });

  /** Sends a close frame, then terminates a peer that does not finish the closing handshake in time. */
  const closeSocket = (ws: WebSocket, state: ConnectionState, code: number, reason: string, metric: string) => {
    if (state.closing) return;
    state.closing = true;
    metrics.closes.inc({ reason: metric });
    dropSubscriptions(state);
    ws.close(code, reason);
    setTimeout(() => ws.terminate(), options.closeGraceMs).unref();
  };

  const dropSubscriptions = (state: ConnectionState) => {
    for (const subscriber of state.subscriptions.values()) if (subscriber !== "pending") deps.hub.remove(subscriber);
    state.subscriptions.clear();
  };

  /** `socket` is the connection `ws` runs on: `next` frames are written to it directly (`writeNextFrame`). */
  function open(ws: WebSocket, socket: Duplex, fromBrowser: boolean): void {
    const state: ConnectionState = {
      fromBrowser,
      viewer: anonymousIdentity,
      ctx: null,
      subscriptions: new Map(),
      alive: true,
      closing: false,
      expiryTimer: null,
      token: null,
      windowStart: deps.clock.now(),
      subscribesInWindow: 0,
    };
    states.set(ws, state);
    metrics.connections.inc();

    const armExpiry = (expiresAt: number) => {
      const wait = expiresAt - deps.clock.now();
      state.expiryTimer = setTimeout(
        () => {
          if (deps.clock.now() < expiresAt) return armExpiry(expiresAt);
          closeSocket(ws, state, RealtimeCloseCode.TokenExpired, "Access token expired", "token_expired");
        },
        Math.min(Math.max(wait, 0), MAX_TIMEOUT),
      );
      state.expiryTimer.unref();
    };

    const server = makeServer({
      connectionInitWaitTimeout: options.connectionInitWaitMs,
      onConnect: async (ctx) => {
        state.ctx = ctx;
        const token = tokenFrom(ctx.connectionParams);
        const apiKey = apiKeyFrom(ctx.connectionParams);
        try {
          if (token) {
            const { viewer, expiresAt } = await deps.authenticate(token);
            state.viewer = viewer;
            state.token = token;
            if (expiresAt !== null) armExpiry(expiresAt);
          }
          if (apiKey) {
            // As over HTTP: an unknown or revoked key is refused, not downgraded to anonymous.
            const partner = deps.authenticateApiKey ? await deps.authenticateApiKey(apiKey) : null;
            if (!partner) return false;
            state.viewer = { ...state.viewer, partner };
          }
          return true;
        } catch (error) {
          if (isExpiredTokenError(error)) {
            closeSocket(ws, state, RealtimeCloseCode.TokenExpired, "Access token expired", "token_expired");
          }
          return false; // graphql-ws closes with 4403 Forbidden (unless the socket is already closing)
        }
      },
    });
    const sendJson = (message: Parameters<typeof stringifyMessage>[0]) => {
      if (ws.readyState === ws.OPEN) ws.send(stringifyMessage(message));
    };
    const sink: SubscriberSink = {
      next(prefix, body) {
        if (state.closing || ws.readyState !== ws.OPEN) return;
        // Checked before the write, so one frame larger than the limit still reaches a reader that keeps up.
        if (ws.bufferedAmount > options.maxBufferedBytes) {
          closeSocket(
            ws,
            state,
            RealtimeCloseCode.SlowConsumer,
            "Slow consumer: send buffer overflow",
            "slow_consumer",
          );
          return;
        }
        writeNextFrame(socket, prefix, body);
      },
      overflow() {
        closeSocket(ws, state, RealtimeCloseCode.SlowConsumer, "Slow consumer: send buffer overflow", "slow_consumer");
      },
      end(id, errors) {
        state.subscriptions.delete(id);
        sendJson({ id, type: MessageType.Error, payload: errors });
      },
    };

    let handshake: ((data: string) => Promise<void>) | null = null;
    const closed = server.opened(
      {
        protocol: ws.protocol,
        send: (data) => void ws.send(data),
        close: (code, reason) => {
          if (!state.closing) ws.close(code, reason);
        },
        onMessage: (cb) => {
          handshake = cb;
        },
      },
      { socket: ws },
    );

    ws.on("message", (raw, isBinary) => {
      if (isBinary)
        return closeSocket(ws, state, CloseCode.BadRequest, "Binary messages are not accepted", "bad_request");
      const text = raw.toString();
      let message: ReturnType<typeof parseMessage> | null = null;
      try {
        message = parseMessage(text);
      } catch {
        // The handshake handler closes with 4400 for an invalid message.
      }
      if (message?.type === MessageType.Subscribe) return void subscribe(message);
      if (message?.type === MessageType.Complete) {
        const subscriber = state.subscriptions.get(message.id);
        state.subscriptions.delete(message.id);
        if (subscriber && subscriber !== "pending") deps.hub.remove(subscriber);
        return;
      }
      handshake?.(text).catch((error: unknown) => {
        logger.error({ err: error }, "realtime: handshake handler failed");
        ws.close(CloseCode.InternalServerError, "Internal server error");
      });
    });
    ws.on("pong", () => {
      state.alive = true;
    });
    ws.on("error", (error) => logger.warn({ err: error }, "realtime: socket error"));
    ws.once("close", (code, reason) => {
      if (state.expiryTimer) clearTimeout(state.expiryTimer);
      dropSubscriptions(state);
      states.delete(ws);
      metrics.connections.dec();
      closed(code, reason.toString()).catch(() => {});
    });

    async function subscribe({ id, payload }: SubscribeMessage): Promise<void> {
      if (!state.ctx?.acknowledged) {
        return closeSocket(ws, state, CloseCode.Unauthorized, "Unauthorized", "unauthorized");
      }
      if (state.subscriptions.has(id)) {
        return closeSocket(
          ws,
          state,
          CloseCode.SubscriberAlreadyExists,
          `Subscriber for ${id} already exists`,
          "duplicate",
        );
      }
      state.subscriptions.set(id, "pending");
      const stillWanted = () => state.subscriptions.get(id) === "pending" && !state.closing;
      const fail = (errors: readonly (GraphQLError | GraphQLFormattedError)[]) => {
        if (!stillWanted()) return;
        state.subscriptions.delete(id);
        const payload = errors.map((e) => (e instanceof GraphQLError ? e.toJSON() : e));
        sendJson({ id, type: MessageType.Error, payload });
      };
      const now = deps.clock.now();
      if (now - state.windowStart >= 1000) {
        state.windowStart = now;
        state.subscribesInWindow = 0;
      }
      if (options.maxSubscribesPerSecond > 0 && ++state.subscribesInWindow > options.maxSubscribesPerSecond) {
        return fail([toGraphQLError(errors.rateLimited(1))]);
      }
      if (state.subscriptions.size > options.maxSubscriptionsPerConnection) {
        return fail([
          new GraphQLError(`At most ${options.maxSubscriptionsPerConnection} subscriptions per connection.`),
        ]);
      }
      let request: SubscribeMessage["payload"];
      try {
        request = applySafelist(payload, state.viewer, deps.resolvePersisted, state.fromBrowser);
      } catch (error) {
        if (error instanceof AppError) return fail([toGraphQLError(error)]);
        throw error;
      }
      try {
        const plan = planOperation(deps.getApiSchema(), deps.routes, request, documents);
        if (isPlanErrors(plan)) return fail(plan);
        const refusal = await authorizeSubscription(plan, state.viewer, deps.execute, deps.authorize);
        if (refusal) return fail(refusal);
        if (!stillWanted()) return;
        state.subscriptions.set(id, deps.hub.add(sink, id, plan, state.viewer));
      } catch (error) {
        logger.error({ err: error }, "realtime: subscribe failed");
        fail([
          error instanceof AppError ? toGraphQLError(error) : new GraphQLError("Something went wrong on our side."),
        ]);
      }
    }
  }

  /**
   * Terminates the sockets that did not answer the previous ping and pings the others, in chunks:
   * 10,000 pings in one loop would hold up a delivery that arrives meanwhile for the whole sweep.
   */
  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await forEachInTurns([...states.keys()], (ws) => {
        const state = states.get(ws);
        if (!state || ws.readyState !== ws.OPEN) return; // closed since the sweep began
        if (!state.alive) {
          metrics.closes.inc({ reason: "keepalive_timeout" });
          ws.terminate();
          return;
        }
        state.alive = false;
        ws.ping();
      });
    } finally {
      sweeping = false;
    }
  };
  const keepAlive =
    options.keepAliveMs > 0
      ? setInterval(
          () =>
            void sweep().catch((error: unknown) => logger.error({ err: error }, "realtime: keepalive sweep failed")),
          options.keepAliveMs,
        )
      : null;
  keepAlive?.unref();

  return {
    async dispose() {
      deps.httpServer.off("upgrade", onUpgrade);
      stopRevocations?.();
      if (keepAlive) clearInterval(keepAlive);
      const closing = [...states.keys()].map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once("close", () => resolve());
            ws.close(RealtimeCloseCode.GoingAway, "Gateway shutting down");
            setTimeout(() => ws.terminate(), Math.min(options.closeGraceMs, 1_000)).unref();
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
