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

/** `ECONNREFUSED`, `timeout` or `failed`: never an error's message. */
export function failureClass(error: unknown): string {
  if (error instanceof ReadinessTimeout) return "timeout";
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : "failed";
}

class ReadinessTimeout extends Error {}

/** The `publicMessage` of an error that carries one (meant for operators and anonymous probes alike). */
function publicMessageOf(error: unknown): string | undefined {
  const message =
    typeof error === "object" && error !== null && "publicMessage" in error ? error.publicMessage : undefined;
  return typeof message === "string" ? message.slice(0, 1000) : undefined;
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
            timer = setTimeout(() => reject(new ReadinessTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, "ok"];
      } catch (error) {
        // A public probe names the failure class only (an error code such as ECONNREFUSED, or a
        // timeout): messages carry hosts, ports, paths and connection strings. An error that says it
        // is fit to be shown (`publicMessage`: a chain mismatch names both chains and the fix, all
        // public facts) is shown, up to 1,000 characters.
        return [name, publicMessageOf(error) ?? failureClass(error)];
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
