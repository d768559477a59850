import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { Principal } from "../context.js";

export interface RateLimitOptions {
  redis: Redis;
  /** Key prefix, e.g. `gw:` (tests use `test:gateway:`). */
  prefix: string;
  windowSeconds: number;
  /** Requests per window per client IP, per signed-in user and per partner key; 0 turns one off. */
  perIp: number;
  perUser: number;
  perPartner: number;
}

export interface RateLimit {
  /**
   * Counts one request against the limits that apply to what is known of it: the client IP (checked
   * before authentication, so floods of bad credentials are limited too) and/or the principal.
   * @returns null when allowed, or the seconds until the tightest exhausted limit frees up.
   */
  consume(ip: string | null, principal: Principal | null): Promise<{ retryAfterSeconds: number } | null>;
}

/**
 * Fixed-window limits in Redis (rate-limiter-flexible), shared by every gateway replica. When Redis
 * is unreachable, each replica falls back to an in-memory limiter of the same size instead of
 * refusing all traffic or letting it all through.
 */
export function useRateLimit(options: RateLimitOptions): RateLimit {
  const limiter = (name: string, points: number) =>
    points > 0
      ? new RateLimiterRedis({
          storeClient: options.redis,
          keyPrefix: `${options.prefix}rl:${name}`,
          points,
          duration: options.windowSeconds,
          insuranceLimiter: new RateLimiterMemory({ points, duration: options.windowSeconds }),
        })
      : null;
  const ip = limiter("ip", options.perIp);
  const user = limiter("user", options.perUser);
  const partner = limiter("partner", options.perPartner);

  return {
    async consume(clientIp, principal) {
      const checks: Promise<unknown>[] = [];
      if (ip && clientIp !== null) checks.push(ip.consume(clientIp));
      if (user && principal?.sub) checks.push(user.consume(principal.sub));
      if (partner && principal?.partner) checks.push(partner.consume(principal.partner.id));
      if (checks.length === 0) return null;
      const outcomes = await Promise.allSettled(checks);
      let waitMs = 0;
      for (const outcome of outcomes) {
        if (outcome.status === "fulfilled") continue;
        if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
        waitMs = Math.max(waitMs, outcome.reason.msBeforeNext);
      }
      return waitMs > 0 ? { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) } : null;
    },
  };
}
