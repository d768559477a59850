import type { Redis } from "@clearbook/kit";

export interface LoginThrottleOptions {
  redis: Redis;
  /** Key prefix, e.g. `ledger:login:` (tests use `test:ledger:…`). */
  prefix: string;
  maxPerAccount: number;
  maxPerIp: number;
  windowSeconds: number;
}

export interface LoginThrottle {
  /** @returns seconds until a log-in may be tried again, or 0 when it may be tried now. */
  retryAfter(email: string, ip: string | null): Promise<number>;
  /** Counts a failed attempt against the account and the IP (each counter expires after the window). */
  recordFailure(email: string, ip: string | null): Promise<void>;
  /** A successful log-in clears the account's counter (not the IP's: one good password must not unlock a spraying IP). */
  recordSuccess(email: string): Promise<void>;
}

/**
 * Brute-force protection with fixed-window counters in Redis (INCR + EXPIRE NX), shared by every
 * ledger replica. Without a client IP (the gateway does not forward one yet) only the account
 * counter applies: a shared "unknown" bucket would let one attacker lock everybody out.
 */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const accountKey = (email: string) => `${options.prefix}account:${email.toLowerCase()}`;
  const ipKey = (ip: string) => `${options.prefix}ip:${ip}`;

  async function overLimit(key: string, max: number): Promise<number> {
    const [count, ttl] = await Promise.all([options.redis.get(key), options.redis.ttl(key)]);
    if (count !== null && Number(count) >= max) return ttl > 0 ? ttl : options.windowSeconds;
    return 0;
  }

  async function bump(key: string): Promise<void> {
    await options.redis.multi().incr(key).expire(key, options.windowSeconds, "NX").exec();
  }

  return {
    async retryAfter(email, ip) {
      const waits = await Promise.all([
        overLimit(accountKey(email), options.maxPerAccount),
        ip ? overLimit(ipKey(ip), options.maxPerIp) : Promise.resolve(0),
      ]);
      return Math.max(...waits);
    },
    async recordFailure(email, ip) {
      await Promise.all([bump(accountKey(email)), ip ? bump(ipKey(ip)) : Promise.resolve()]);
    },
    async recordSuccess(email) {
      await options.redis.del(accountKey(email));
    },
  };
}
