import { z } from "zod";

/** Tunables of the realtime layer. Every field has a default (`defaultRealtimeOptions`). */
export interface RealtimeOptions {
  /** Prepended to every stream key (`<prefix>evt:voting`); tests isolate themselves with it. */
  streamPrefix: string;
  /** Pushes per second per entity (a ballot's tally, an order). 0 = no limit (still one execution in flight per entity). */
  maxPushesPerSecond: number;
  /** A socket whose unsent bytes exceed this is closed with `RealtimeCloseCode.SlowConsumer`. */
  maxBufferedBytes: number;
  /** Interval of WebSocket ping frames; a peer that misses one full interval is terminated. 0 = off. */
  keepAliveMs: number;
  /** How long one XREAD blocks before it loops (bounds how long dispose waits). */
  tailBlockMs: number;
  /** Entries per XREAD. */
  tailBatch: number;
  /** A resuming subscription examines at most this many of the newest stream entries after its last event id. */
  replayLimit: number;
  /** More subscriptions on one socket are refused with an `error` message. */
  maxSubscriptionsPerConnection: number;
  /** Open sockets one client address may hold on one gateway process; more are refused with HTTP 429. 0 = no limit. */
  maxConnectionsPerIp: number;
  /** Subscribe messages one socket may send per second; more are answered with a RATE_LIMITED error. 0 = no limit. */
  maxSubscribesPerSecond: number;
  /** graphql-ws `connection_init` wait. */
  connectionInitWaitMs: number;
  /** After a close frame, a socket that does not finish closing in this time is terminated. */
  closeGraceMs: number;
}

export const defaultRealtimeOptions: RealtimeOptions = {
  streamPrefix: "",
  maxPushesPerSecond: 4,
  maxBufferedBytes: 1024 * 1024,
  keepAliveMs: 15_000,
  tailBlockMs: 2_000,
  tailBatch: 500,
  replayLimit: 1_000,
  maxSubscriptionsPerConnection: 100,
  maxConnectionsPerIp: 50,
  maxSubscribesPerSecond: 20,
  connectionInitWaitMs: 3_000,
  closeGraceMs: 5_000,
};

const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** The realtime layer's environment variables; the gateway's config parser merges these. */
export const realtimeEnvSchema = z.object({
  REALTIME_MAX_PUSHES_PER_SECOND: count(defaultRealtimeOptions.maxPushesPerSecond),
  REALTIME_MAX_BUFFERED_BYTES: count(defaultRealtimeOptions.maxBufferedBytes),
  REALTIME_KEEPALIVE_MS: count(defaultRealtimeOptions.keepAliveMs),
  REALTIME_REPLAY_LIMIT: count(defaultRealtimeOptions.replayLimit),
  REALTIME_MAX_SUBSCRIPTIONS_PER_CONNECTION: count(defaultRealtimeOptions.maxSubscriptionsPerConnection),
  REALTIME_MAX_CONNECTIONS_PER_IP: count(defaultRealtimeOptions.maxConnectionsPerIp),
  REALTIME_MAX_SUBSCRIBES_PER_SECOND: count(defaultRealtimeOptions.maxSubscribesPerSecond),
  REALTIME_STREAM_PREFIX: z.string().default(defaultRealtimeOptions.streamPrefix),
});
export type RealtimeEnv = z.infer<typeof realtimeEnvSchema>;

/** Maps parsed environment variables onto options. */
export function realtimeOptionsFromEnv(env: RealtimeEnv): Partial<RealtimeOptions> {
  return {
    maxPushesPerSecond: env.REALTIME_MAX_PUSHES_PER_SECOND,
    maxBufferedBytes: env.REALTIME_MAX_BUFFERED_BYTES,
    keepAliveMs: env.REALTIME_KEEPALIVE_MS,
    replayLimit: env.REALTIME_REPLAY_LIMIT,
    maxSubscriptionsPerConnection: env.REALTIME_MAX_SUBSCRIPTIONS_PER_CONNECTION,
    maxConnectionsPerIp: env.REALTIME_MAX_CONNECTIONS_PER_IP,
    maxSubscribesPerSecond: env.REALTIME_MAX_SUBSCRIBES_PER_SECOND,
    streamPrefix: env.REALTIME_STREAM_PREFIX,
  };
}
