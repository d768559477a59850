import type { Redis } from "@clearbook/kit";

export interface LoginThrottleOptions {
  redis: Redis;
  /** Key prefix, e.g. `ledger:login:` (tests use `test:ledger:…`). */
  prefix: string;
  /** Attempts one IP may make at one account before each further attempt has to wait. */
  maxPerAccount: number;
  /** Failed attempts one IP may make (at any accounts) within the window. */
  maxPerIp: number;
  /** The IP counter's window, the longest wait, and how long an account-and-IP pair's failures are remembered. */
  windowSeconds: number;
  /** The first wait after the free attempts; each further failure doubles it (default 2 s). */
  baseDelayMs?: number;
}

export interface LoginThrottle {
  /**
   * Counts an attempt before the password is verified, atomically, so concurrent guesses cannot all
   * pass the check before any failure is recorded.
   * @returns milliseconds to wait before a log-in from this IP to this account may be tried (the
   * attempt was not counted), or 0 when it may go ahead (it was counted).
   */
  begin(email: string, ip: string | null): Promise<number>;
  /** A right password: forgets the pair's failures and gives the IP its attempt back. */
  recordSuccess(email: string, ip: string | null): Promise<void>;
}

/**
 * KEYS: the pair's attempt counter, the pair's wait marker, the IP's counter.
 * ARGV: free attempts, base delay ms, longest wait ms, window seconds, max per IP, "1" when there is an IP.
 * The wait marker is a key with a PX expiry, so the script needs no clock.
 */
const BEGIN = `
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return wait end
if ARGV[6] == '1' then
  local perIp = redis.call('INCR', KEYS[3])
  if perIp == 1 then redis.call('EXPIRE', KEYS[3], ARGV[4]) end
  if perIp > tonumber(ARGV[5]) then
    redis.call('DECR', KEYS[3])
    local ttl = redis.call('PTTL', KEYS[3])
    if ttl > 0 then return ttl end
    return tonumber(ARGV[4]) * 1000
  end
end
local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local free = tonumber(ARGV[1])
if n >= free then
  local delay = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * (2 ^ math.min(n - free, 30)))
  redis.call('SET', KEYS[2], '1', 'PX', math.floor(delay))
end
return 0
`;

/**
 * Brute-force protection in Redis, shared by every ledger replica. Each attempt is counted by one
 * Lua script before its password is verified. An IP gets `maxPerAccount` attempts at an account,
 * then waits that grow (2 s, 4 s, 8 s … up to the window) before each further one; other IPs, and
 * so the account's owner, are not affected, so nobody can lock someone else out. An IP that fails
 * `maxPerIp` times across accounts (spraying) waits out the window.
 */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const pair = (email: string, ip: string | null) => `${options.prefix}pair:${email.toLowerCase()}|${ip ?? "unknown"}`;
  const ipKey = (ip: string | null) => `${options.prefix}ip:${ip ?? "unknown"}`;
  const baseDelayMs = options.baseDelayMs ?? 2000;
  const capMs = options.windowSeconds * 1000;

  return {
    async begin(email, ip) {
      const key = pair(email, ip);
      const wait = await options.redis.eval(
        BEGIN,
        3,
        `${key}:n`,
        `${key}:wait`,
        ipKey(ip),
        options.maxPerAccount,
        baseDelayMs,
        capMs,
        options.windowSeconds,
        options.maxPerIp,
        ip ? "1" : "0",
      );
      return Number(wait);
    },
    async recordSuccess(email, ip) {
      const key = pair(email, ip);
      const tx = options.redis.multi().del(`${key}:n`, `${key}:wait`);
      if (ip) tx.decr(ipKey(ip));
      await tx.exec();
    },
  };
}
