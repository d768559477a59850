import type { EntitySchema } from "@mikro-orm/core";
import { type EntityManager, MikroORM } from "@mikro-orm/mariadb";
import { Migrator } from "@mikro-orm/migrations";
import type { Logger } from "pino";
import { kitEntities } from "./outbox.entity.js";

export type { EntityManager } from "@mikro-orm/mariadb";
export type Orm = MikroORM;

/** Thrown by `createOrm` when the database server does not answer at start. */
export class DatabaseUnavailableError extends Error {
  override readonly name = "DatabaseUnavailableError";
}

/** `mysql://user:password@host` with the password blanked, for messages. */
function safeMysqlUrl(url: URL): string {
  const copy = new URL(url);
  if (copy.password) copy.password = "***";
  return copy.toString();
}

export interface OrmConfig {
  /** `mysql://user:password@host:port` (a database name in the path is ignored; `dbName` wins). */
  mysqlUrl: string;
  /** The service's own database, created when missing. */
  dbName: string;
  /** `defineEntity` entities of the service; the kit's outbox tables are added. */
  entities: ReadonlyArray<EntitySchema>;
  /** Folder of the service's migration files (inside its package). */
  migrationsPath?: string;
  /** Log every SQL statement (through `logger` at debug level when given). */
  debug?: boolean;
  logger?: Logger;
  /** Connection pool size; MikroORM's default otherwise. */
  poolMax?: number;
}

export interface OrmHandle {
  orm: MikroORM;
  /** A fresh unit of work: one per request, one per stream entry. Never share the global one. */
  fork(): EntityManager;
  /** True when the database answers; for `/ready`. */
  isReady(): Promise<boolean>;
  dispose(): Promise<void>;
}

/**
 * Boots MikroORM on MariaDB for one service: connects, creates the database if it is missing,
 * registers the service's entities plus the kit's (outbox, processed commands), and the migrator.
 * The schema is NOT created here: production runs versioned migrations (`migrate`), tests call
 * `syncSchemaForTests`.
 * @throws DatabaseUnavailableError when the server cannot be reached (password hidden in the message).
 */
export async function createOrm(config: OrmConfig): Promise<OrmHandle> {
  const url = new URL(config.mysqlUrl);
  url.pathname = "";
  const orm = await MikroORM.init({
    clientUrl: url.toString(),
    dbName: config.dbName,
    entities: [...config.entities, ...kitEntities],
    extensions: [Migrator],
    // Only the database itself: tables come from migrations, never from start-up.
    ensureDatabase: { create: false },
    // The identity map belongs to a request: the global EntityManager refuses work.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: config.debug ?? false,
    ...(config.logger ? { logger: (message: string) => config.logger?.debug({ orm: true }, message) } : {}),
    ...(config.poolMax ? { pool: { max: config.poolMax } } : {}),
    migrations: {
      path: config.migrationsPath ?? "./migrations",
      pathTs: config.migrationsPath ?? "./migrations",
      glob: "!(*.d).{js,ts}",
      silent: !(config.debug ?? false),
      transactional: true,
      allOrNothing: true,
      snapshot: true,
      // One snapshot name whatever the database is called (tests use per-run names), and never
      // written by `up`: production images may have a read-only file system.
      snapshotName: ".snapshot-schema",
      snapshotOnMigrate: false,
      emit: "ts",
    },
  });
  // MikroORM 7 connects lazily; connect now so a wrong MYSQL_URL stops the service at start, and so
  // the database is created before the first request.
  try {
    await orm.connect();
    const status = await orm.checkConnection();
    if (!status.ok) throw status.error ?? new Error(status.reason);
  } catch (error) {
    await orm.close(true).catch(() => {});
    const cause = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`MariaDB at ${safeMysqlUrl(url)} (${config.dbName}) is unreachable: ${cause}`, {
      cause: error,
    });
  }
  return {
    orm,
    fork: () => orm.em.fork(),
    isReady: () => orm.isConnected(),
    dispose: () => orm.close(),
  };
}

/** Applies pending migrations. @returns the names of the migrations it ran. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const ran = await orm.migrator.up();
  return ran.map((m) => m.name);
}

/**
 * Makes the tables match the entities without migrations. Tests only: it can drop columns.
 */
export async function syncSchemaForTests(orm: MikroORM): Promise<void> {
  await orm.schema.update();
}

/** Drops a test database (`clearbook_test_*` only, so a typo cannot drop a real one). */
export async function dropTestDatabase(orm: MikroORM, dbName: string): Promise<void> {
  if (!dbName.startsWith("clearbook_test_")) throw new Error(`refusing to drop ${dbName}: not a test database`);
  await orm.schema.dropDatabase(dbName);
}
