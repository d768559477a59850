import type { Redis } from "@clearbook/kit";

export interface CallLimiter {
  /** Counts one call by `caller`. @returns seconds until it may call again (not counted), or 0. */
  consume(caller: string): Promise<number>;
}

/**
 * A fixed-window counter per caller in Redis, shared by the ledger's replicas, for operations that
 * cost the peer many queries (chain verification): `perWindow` calls per `windowSeconds`.
 */
export function createCallLimiter(options: {
  redis: Redis;
  prefix: string;
  perWindow: number;
  windowSeconds: number;
}): CallLimiter {
  return {
    async consume(caller) {
      const key = `${options.prefix}${caller}`;
      const results = await options.redis.multi().incr(key).expire(key, options.windowSeconds, "NX").ttl(key).exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      if (count <= options.perWindow) return 0;
      const ttl = Number(results?.[2]?.[1] ?? options.windowSeconds);
      return ttl > 0 ? ttl : options.windowSeconds;
    },
  };
}
