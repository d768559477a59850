import { type RedisOptions as IORedisOptions, Redis } from "ioredis";

export type { Redis } from "ioredis";

/** Thrown by `createRedis` when Redis does not answer at start. */
export class RedisUnavailableError extends Error {
  override readonly name = "RedisUnavailableError";
}

export interface RedisHandle {
  client: Redis;
  /** Closes the connection (QUIT, then disconnect if that takes too long). */
  dispose(): Promise<void>;
}

export interface RedisOptions {
  /** How long the first connection may take. */
  connectTimeoutMs?: number;
  /** Extra ioredis options (tests lower retry delays, blocking clients raise command timeouts). */
  overrides?: IORedisOptions;
}

/** `redis://user:pass@host:port/db` with the password blanked, for messages. */
export function safeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable url)";
  }
}

/**
 * Connects to Redis and waits until it answers PING.
 *
 * At start it fails fast: one attempt, then a `RedisUnavailableError` naming the URL (password
 * hidden) and the cause, so a service with a wrong REDIS_URL exits with a clear message instead of
 * retrying silently forever. Once connected, ioredis reconnects with a capped backoff, because a
 * Redis restart under a running service is routine.
 *
 * @param name a connection name (`CLIENT SETNAME`), visible in `CLIENT LIST`.
 * @throws RedisUnavailableError when Redis cannot be reached within `connectTimeoutMs`.
 */
export async function createRedis(url: string, name: string, options: RedisOptions = {}): Promise<RedisHandle> {
  let started = false;
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3000,
    maxRetriesPerRequest: 3,
    retryStrategy: (times) => (started ? Math.min(times * 200, 2000) : null),
    ...options.overrides,
  });
  // Without a listener ioredis prints every connection error; callers see them through commands.
  let lastError: Error | undefined;
  client.on("error", (error: Error) => {
    lastError = error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    // "Connection is closed" hides the reason; the socket error (ECONNREFUSED, ENOTFOUND…) says it.
    const cause = lastError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new RedisUnavailableError(`Redis at ${safeRedisUrl(url)} (${name}) is unreachable: ${cause}`, {
      cause: error,
    });
  }
  started = true;
  return {
    client,
    async dispose() {
      if (client.status === "end") return;
      const ended = new Promise<void>((resolve) => client.once("end", () => resolve()));
      // QUIT lets queued replies arrive; a blocked or dead connection gets cut after a second.
      const timer = setTimeout(() => client.disconnect(), 1000);
      client.quit().catch(() => client.disconnect());
      await ended;
      clearTimeout(timer);
    },
  };
}
