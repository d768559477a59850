import { z } from "zod";

/** A fixed, public secret for development and tests; refused outright in production. */
export const DEV_INTERNAL_SECRET = "clearbook-dev-internal-secret-not-for-production";

/** Variables whose values must never be printed, not even in a config error. */
const SECRET_NAME = /secret|password|passwd|token|key|credential/i;

/**
 * The variables every service reads. Services extend them through `serviceEnv`, which adds the
 * production rule for the internal secret: `serviceEnv({ PORT: z.coerce.number().int().default(4001) })`.
 */
export const baseEnv = {
  /**
   * Unset means production: security must not depend on remembering a variable (issue 16, item 4).
   * Development conveniences (the public internal secret, generated keys, verbose errors) need an
   * explicit `development` or `test`; `npm start` and `npm test` set it.
   */
  NODE_ENV: z.enum(["development", "test", "production"]).default("production"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MYSQL_URL: z.url({ protocol: /^(mysql|mariadb)$/ }).default("mysql://root@127.0.0.1:3306"),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default("redis://127.0.0.1:6379"),
  CLEARBOOK_INTERNAL_SECRET: z.string().optional(),
  /** How long consumers remember an applied command or event (`processed_command`) before pruning it. */
  PROCESSED_COMMAND_RETENTION_DAYS: z.coerce.number().positive().default(7),
};

/**
 * Builds a service's env schema from `baseEnv` plus its own variables, and enforces the rules that
 * span variables: the internal secret falls back to a dev default in development and tests; in
 * production (the default) it is required, at least 32 characters long, and not the dev default.
 */
export function serviceEnv<S extends z.ZodRawShape>(extra: S) {
  return z
    .object({ ...baseEnv, ...extra })
    .superRefine(
      (parsed, ctx) => {
        // Runs even when other variables are bad (`when`), so one run reports every problem;
        // the object may then hold raw, unparsed values, hence the untyped view.
        const env: Record<string, unknown> = parsed;
        if (env.NODE_ENV !== "production") return;
        const secret = env.CLEARBOOK_INTERNAL_SECRET;
        if (typeof secret !== "string" || secret.length < 32 || secret === DEV_INTERNAL_SECRET) {
          ctx.addIssue({
            code: "custom",
            path: ["CLEARBOOK_INTERNAL_SECRET"],
            message:
              secret === DEV_INTERNAL_SECRET
                ? "is the public development secret, refused in production"
                : secret
                  ? "must be at least 32 characters in production"
                  : "is required in production (NODE_ENV unset means production)",
          });
        }
      },
      { when: () => true },
    )
    .transform((env) => {
      const secret: unknown = (env as Record<string, unknown>).CLEARBOOK_INTERNAL_SECRET;
      return { ...env, CLEARBOOK_INTERNAL_SECRET: typeof secret === "string" && secret ? secret : DEV_INTERNAL_SECRET };
    });
}

/** True for `development` and `test`, the only modes that may use development conveniences. */
export function isDevelopmentMode(nodeEnv: string | undefined): boolean {
  return nodeEnv === "development" || nodeEnv === "test";
}

/**
 * The variable of a service that writes `cmd:*` entries: the key it signs them with (decision 0360).
 * Spread into `serviceEnv(...)` and call `requireCommandKeyInProduction` from its refinement.
 */
export const commandKeyEnv = {
  CLEARBOOK_COMMAND_KEY: z.string().min(32, "must be at least 32 characters").optional(),
};

/** Adds the issue "required in production" (anything not development or test) when the command key is missing. */
export function requireCommandKeyInProduction(env: Record<string, unknown>, ctx: z.RefinementCtx): void {
  if (!isDevelopmentMode(env.NODE_ENV as string | undefined) && !env.CLEARBOOK_COMMAND_KEY) {
    ctx.addIssue({ code: "custom", path: ["CLEARBOOK_COMMAND_KEY"], message: "is required in production" });
  }
}

/** The base config alone, for services that add nothing. */
export const baseEnvSchema = serviceEnv({});
export type BaseEnv = z.output<typeof baseEnvSchema>;

/** One bad variable: its name, what is wrong, and its value unless it is a secret. */
export interface ConfigProblem {
  variable: string;
  problem: string;
  value: string | undefined;
}

/** Thrown by `parseEnv`; the message lists every bad variable, one per line. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems
        .map((p) => `  ${p.variable}: ${p.problem}${p.value === undefined ? "" : ` (got ${JSON.stringify(p.value)})`}`)
        .join("\n")}`,
    );
  }
}

function isSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A value fit to print: none for secrets, and URLs (`mysql://user:pw@host`) without their password. */
function printable(variable: string, raw: string | undefined): string | undefined {
  if (raw === undefined || isSecret(variable)) return undefined;
  return raw.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
}

/**
 * Parses the environment with a zod schema.
 * @returns the typed config.
 * @throws ConfigError listing every bad variable (secret values are never shown).
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.output<T> {
  // Empty strings mean "unset", so `FOO=` in a .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue): ConfigProblem => {
    const variable = issue.path.map(String).join(".") || "(environment)";
    const raw = cleaned[variable];
    return {
      variable,
      problem: raw === undefined && issue.code === "invalid_type" ? "is required" : issue.message,
      value: printable(variable, raw),
    };
  });
  throw new ConfigError(problems);
}

/**
 * `parseEnv` for `main.ts`: on a bad environment it prints every problem and exits with status 1.
 */
export function loadConfig<T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): z.output<T> {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
