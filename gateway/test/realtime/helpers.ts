import { randomUUID } from "node:crypto";
import { type Client, createClient, type ExecutionResult, type SubscribePayload } from "graphql-ws";
import { Redis } from "ioredis";
import WebSocket from "ws";

/** A Redis stream prefix no other test run uses. */
export const uniquePrefix = () => `test:gateway-realtime:${randomUUID().slice(0, 8)}:`;

/** Appends an event the way the kit's `appendEvent` does. */
export async function appendEvent(
  redis: Redis,
  prefix: string,
  domain: string,
  type: string,
  data: Record<string, unknown>,
): Promise<string> {
  const id = await redis.xadd(
    `${prefix}evt:${domain}`,
    "*",
    "type",
    type,
    "data",
    JSON.stringify(data),
    "at",
    Date.now(),
  );
  if (!id) throw new Error("XADD returned no id");
  return id;
}

export async function deleteStreams(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}

/** Resolves once `predicate` holds, polling; rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface TestClient {
  client: Client;
  /** Close events the client saw. */
  closes: { code: number; reason: string }[];
  connected(): Promise<void>;
}

export function connect(
  url: string,
  options: {
    token?: string;
    /** Sent in `connection_init` as they are (after `authorization` from `token`). */
    params?: Record<string, unknown>;
    retry?: boolean;
    retryWaitMs?: number;
    webSocketImpl?: unknown;
  } = {},
): TestClient {
  const closes: TestClient["closes"] = [];
  let onConnected: () => void = () => {};
  let onClosedFirst: (close: { code: number; reason: string }) => void = () => {};
  let isConnected = false;
  // Settles either way: a socket closed before it was acknowledged fails the wait at once instead of
  // leaving the test waiting for a connection that will never come.
  const ready = new Promise<void>((resolve, reject) => {
    onConnected = () => {
      isConnected = true;
      resolve();
    };
    onClosedFirst = (close) => reject(new Error(`closed before connected: ${close.code} ${close.reason}`));
  });
  // A test that never awaits `connected()` must not see an unhandled rejection.
  ready.catch(() => {});
  const client = createClient({
    url,
    webSocketImpl: options.webSocketImpl ?? WebSocket,
    lazy: false,
    // Closes are recorded in `closes`; the default handler would print them.
    onNonLazyError: () => {},
    retryAttempts: options.retry ? 5 : 0,
    retryWait: async () => sleep(options.retryWaitMs ?? 50),
    shouldRetry: () => options.retry === true,
    connectionParams: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.params,
    },
    on: {
      connected: () => onConnected(),
      message: (m) => {
        if (process.env.REALTIME_TEST_DEBUG) console.log("MSG", JSON.stringify(m));
      },
      closed: (event) => {
        const close = event as { code: number; reason: string };
        closes.push({ code: close.code, reason: close.reason });
        if (!isConnected && !options.retry) onClosedFirst(close);
      },
    },
  });
  return { client, closes, connected: () => ready };
}

/** A subscription's received results and its end. */
export interface Received {
  results: ExecutionResult<Record<string, unknown>, Record<string, unknown>>[];
  error: unknown;
  completed: boolean;
  /** The results as plain JSON (graphql results have null prototypes). */
  json(): { data?: unknown; errors?: unknown; extensions?: unknown }[];
  unsubscribe(): void;
}

export function subscribe(client: Client, payload: SubscribePayload): Received {
  const received: Received = {
    results: [],
    error: undefined,
    completed: false,
    json: () => JSON.parse(JSON.stringify(received.results)),
    unsubscribe: () => {},
  };
  received.unsubscribe = client.subscribe(payload, {
    next: (value) => received.results.push(value as Received["results"][number]),
    error: (error) => {
      received.error = error;
    },
    complete: () => {
      received.completed = true;
    },
  });
  return received;
}
