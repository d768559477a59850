import type { Redis } from "ioredis";

/**
 * A session ended before its access tokens expired: one device's session family (`sid`) or every
 * session of a user (`sub`). Tokens of it issued at or before `atMs` are refused.
 */
export interface SessionRevocation {
  kind: "sid" | "sub";
  id: string;
  atMs: number;
}

const CHANNEL = "session:revoked";
const KEY = "session:revoked:";
/** Access tokens live 15 minutes; a revocation older than this no longer matters. */
const FORGET_AFTER_MS = 60 * 60_000;

const keyOf = (prefix: string, r: Pick<SessionRevocation, "kind" | "id">) => `${prefix}${KEY}${r.kind}:${r.id}`;

function parseRevocation(text: string): SessionRevocation | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const { kind, id, atMs } = value as Record<string, unknown>;
    if ((kind !== "sid" && kind !== "sub") || typeof id !== "string" || !id || typeof atMs !== "number") return null;
    return { kind, id, atMs };
  } catch {
    return null;
  }
}

/**
 * Records a revocation (a key that outlives the access tokens it concerns, `ttlSeconds`) and tells
 * every gateway at once (pub/sub). `prefix` isolates tests; services and gateways must agree on it.
 */
export async function revokeSessions(
  redis: Redis,
  prefix: string,
  revocation: SessionRevocation,
  ttlSeconds: number,
): Promise<void> {
  await redis
    .multi()
    .set(keyOf(prefix, revocation), String(revocation.atMs), "EX", Math.max(1, Math.ceil(ttlSeconds)))
    .publish(`${prefix}${CHANNEL}`, JSON.stringify(revocation))
    .exec();
}

export interface RevocationList {
  /** True when a token of `sub`'s session `sid`, issued at `iatSeconds`, belongs to a revoked session. */
  isRevoked(sub: string, sid: string | null, iatSeconds: number): boolean;
  /** Called after each revocation that arrives (the realtime layer closes the sockets it ends). */
  onRevoked(listener: () => void): () => void;
  dispose(): Promise<void>;
}

/**
 * The gateway's view of revoked sessions: kept in memory (a lookup per request costs nothing),
 * filled from pub/sub and, on every (re)subscription, from the keys (so messages missed while
 * disconnected are not lost).
 * @param subscriber a connection of its own (it enters subscriber mode); closed by `dispose`.
 */
export async function createRevocationList(options: {
  redis: Redis;
  subscriber: Redis;
  prefix: string;
  now?: () => number;
}): Promise<RevocationList> {
  const now = options.now ?? Date.now;
  const revoked = new Map<string, number>();
  const listeners = new Set<() => void>();
  const remember = (r: SessionRevocation) => {
    const key = `${r.kind}:${r.id}`;
    revoked.set(key, Math.max(r.atMs, revoked.get(key) ?? 0));
    if (revoked.size > 10_000) {
      for (const [k, at] of revoked) if (at < now() - FORGET_AFTER_MS) revoked.delete(k);
    }
  };
  const load = async () => {
    let cursor = "0";
    do {
      const [next, keys] = await options.redis.scan(cursor, "MATCH", `${options.prefix}${KEY}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const values = await options.redis.mget(...keys);
      keys.forEach((key, i) => {
        const [kind, ...rest] = key.slice(options.prefix.length + KEY.length).split(":");
        const atMs = Number(values[i]);
        if ((kind === "sid" || kind === "sub") && Number.isFinite(atMs)) remember({ kind, id: rest.join(":"), atMs });
      });
    } while (cursor !== "0");
  };
  const channel = `${options.prefix}${CHANNEL}`;
  options.subscriber.on("message", (from: string, text: string) => {
    if (from !== channel) return;
    const revocation = parseRevocation(text);
    if (!revocation) return;
    remember(revocation);
    for (const listener of listeners) listener();
  });
  options.subscriber.on("ready", () => {
    // After a reconnect ioredis resubscribes; what was published meanwhile is read from the keys.
    load().catch(() => {});
  });
  await options.subscriber.subscribe(channel);
  await load();
  return {
    isRevoked(sub, sid, iatSeconds) {
      const issuedMs = iatSeconds * 1000;
      const bySub = revoked.get(`sub:${sub}`);
      if (bySub !== undefined && issuedMs <= bySub) return true;
      const bySid = sid ? revoked.get(`sid:${sid}`) : undefined;
      return bySid !== undefined && issuedMs <= bySid;
    },
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      listeners.clear();
      options.subscriber.disconnect();
    },
  };
}
