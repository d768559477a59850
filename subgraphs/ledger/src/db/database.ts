import { MikroORM } from "@mikro-orm/mariadb";
import { Migrator } from "@mikro-orm/migrations";
import { ledgerMigrations } from "../../migrations/index.js";
import { ledgerEntities } from "./entities.js";

export interface LedgerDatabase {
  orm: MikroORM;
  /** Applies pending migrations. */
  migrate(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Connects the ledger's MikroORM to `dbName` on the server at `mysqlUrl` (the database must
 * exist; `ops/local` creates it, tests create their own).
 */
export async function createLedgerDatabase(deps: {
  mysqlUrl: string;
  dbName: string;
  debug?: boolean;
}): Promise<LedgerDatabase> {
  const url = new URL(deps.mysqlUrl);
  url.pathname = `/${deps.dbName}`;
  const orm = await MikroORM.init({
    clientUrl: url.toString(),
    entities: ledgerEntities,
    extensions: [Migrator],
    migrations: {
      migrationsList: ledgerMigrations,
      tableName: "ledger_migrations",
      transactional: true,
      silent: true,
      snapshot: false,
    },
    debug: deps.debug ?? false,
    // The explorer and lists read fresh data; nothing is cached between requests.
    allowGlobalContext: false,
    forceUtcTimezone: true,
  });
  return {
    orm,
    async migrate() {
      await orm.migrator.up();
    },
    async dispose() {
      await orm.close(true);
    },
  };
}
