import type { Redis } from "ioredis";
import type { OrmHandle } from "./orm.js";

/** A dependency `/ready` must reach. `check` resolves when it is reachable and throws otherwise. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ReadinessResult {
  ready: boolean;
  checks: Record<string, "ok" | string>;
}

/** Runs every check at once, each bounded by `timeoutMs`. */
export async function runReadiness(checks: ReadinessCheck[], timeoutMs: number): Promise<ReadinessResult> {
  const outcomes = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, "ok"];
      } catch (error) {
        // The reason names the failure class only; connection strings stay out of a public probe. A
        // chain mismatch names both chains and the fix in one sentence, hence room for 1,000 characters.
        return [name, error instanceof Error ? error.message.slice(0, 1000) : "failed"];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: outcomes.every(([, outcome]) => outcome === "ok"), checks: Object.fromEntries(outcomes) };
}

/** The database answers `select 1`. */
export function databaseCheck(orm: OrmHandle, name = "mysql"): ReadinessCheck {
  return {
    name,
    async check() {
      await orm.orm.em.getConnection().execute("select 1");
    },
  };
}

/** Redis answers PING. */
export function redisCheck(redis: Redis, name = "redis"): ReadinessCheck {
  return {
    name,
    async check() {
      await redis.ping();
    },
  };
}
