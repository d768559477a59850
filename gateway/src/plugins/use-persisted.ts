import type { KeyValueCache } from "@apollo/utils.keyvaluecache";
import { AppError, ErrorCode } from "@clearbook/kit";
import type { Redis } from "ioredis";
import type { Principal } from "../context.js";
import { type PersistedManifest, type PersistedOperation, sha256Hex } from "../persisted-manifest.js";

/** A GraphQL request body as it arrives over HTTP (already JSON-parsed, not yet trusted). */
export interface RequestBody {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
  extensions?: unknown;
  documentId?: unknown;
}

/**
 * Apollo Server's APQ cache in Redis, so a document registered through one replica is found by all.
 * Entries expire after `ttlSeconds` of not being written again, and at most `maxEntries` are kept:
 * an index (a sorted set by registration time) evicts the oldest, so anonymous clients registering
 * documents cannot grow Redis without bound.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 24 * 3600,
    private readonly maxEntries = 10_000,
  ) {}
  get #index(): string {
    return `${this.prefix}index`;
  }
  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }
  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl ?? this.ttlSeconds;
    const tx = this.redis.multi();
    if (ttl > 0) tx.set(this.prefix + key, value, "EX", ttl);
    else tx.set(this.prefix + key, value);
    tx.zadd(this.#index, Date.now(), key).zcard(this.#index);
    const results = await tx.exec();
    const size = Number(results?.[2]?.[1] ?? 0);
    if (size > this.maxEntries) {
      // The oldest entries go, documents and index together (racing replicas may evict a few extra).
      const evicted = (await this.redis.zpopmin(this.#index, size - this.maxEntries)).filter((_, i) => i % 2 === 0);
      if (evicted.length) await this.redis.del(...evicted.map((k) => this.prefix + k));
    }
  }
  async delete(key: string): Promise<boolean> {
    await this.redis.zrem(this.#index, key);
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

export interface Persisted {
  /** Apollo Server's `persistedQueries` option (APQ with the Redis cache). */
  apollo: { cache: KeyValueCache<string> };
  /**
   * Applies the safelist: partner keys, and callers held to it by `persistedOnly` (browsers under
   * GATEWAY_BROWSERS_PERSISTED_ONLY), may run only manifest documents; other callers may also send a
   * manifest id instead of the document. Rewrites `body` to carry the document.
   * @returns the operation found in the manifest, if any.
   * @throws AppError PERSISTED_QUERY_REQUIRED for a held caller's freeform document,
   *   PERSISTED_QUERY_NOT_FOUND for a held caller's unknown id.
   */
  resolve(body: RequestBody, principal: Principal, persistedOnly?: boolean): PersistedOperation | undefined;
  /** The operation with this id, when it is in the manifest. */
  lookup(id: string): PersistedOperation | undefined;
}

function requestedId(body: RequestBody): string | undefined {
  if (typeof body.documentId === "string") return body.documentId.replace(/^sha256:/, "");
  const extensions = body.extensions;
  if (typeof extensions !== "object" || extensions === null || !("persistedQuery" in extensions)) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== "object" || persisted === null) return undefined;
  const hash = (persisted as { sha256Hash?: unknown }).sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

/** Persisted queries: APQ in Redis for first-party apps, a manifest safelist for partners. */
export function usePersisted(options: {
  redis: Redis;
  prefix: string;
  manifest: PersistedManifest;
  /** Most APQ documents kept (default 10,000). */
  apqMaxEntries?: number;
}): Persisted {
  const byId = new Map(options.manifest.operations.map((operation) => [operation.id, operation]));
  return {
    apollo: {
      cache: new RedisKeyValueCache(options.redis, `${options.prefix}apq:`, 24 * 3600, options.apqMaxEntries ?? 10_000),
    },
    lookup: (id) => byId.get(id),
    resolve(body, principal, persistedOnly = false) {
      const held = principal.partner !== null || persistedOnly;
      const required = principal.partner
        ? "This API key may only run persisted operations."
        : "Browsers may only run the web app's persisted operations.";
      const id = requestedId(body);
      if (typeof body.query === "string") {
        if (!held) return undefined;
        const listed = byId.get(sha256Hex(body.query));
        if (listed) return listed;
        throw new AppError(ErrorCode.PERSISTED_QUERY_REQUIRED, required);
      }
      if (id === undefined) {
        if (held) throw new AppError(ErrorCode.PERSISTED_QUERY_REQUIRED, required);
        return undefined;
      }
      const operation = byId.get(id);
      if (!operation) {
        if (held) {
          throw new AppError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound");
        }
        return undefined; // Apollo's APQ looks in the Redis cache.
      }
      body.query = operation.body;
      if (body.documentId !== undefined) {
        delete body.documentId;
      }
      return operation;
    },
  };
}
