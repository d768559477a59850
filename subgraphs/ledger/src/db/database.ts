import { fileURLToPath } from "node:url";
import { createOrm, migrate, type OrmHandle } from "@clearbook/kit";
import type { Logger } from "pino";
import { ledgerEntities } from "./entities.js";

/** The ledger's migrations folder (inside the package, as MikroORM requires). */
export const LEDGER_MIGRATIONS_PATH = fileURLToPath(new URL("../../migrations", import.meta.url));

export interface LedgerDatabase extends OrmHandle {
  /** Applies pending migrations. @returns their names. */
  migrate(): Promise<string[]>;
}

/** The ledger's database (`dbName` on the server at `mysqlUrl`), with the kit's outbox tables. */
export async function createLedgerDatabase(deps: {
  mysqlUrl: string;
  dbName: string;
  logger?: Logger;
  poolMax?: number;
}): Promise<LedgerDatabase> {
  const handle = await createOrm({
    mysqlUrl: deps.mysqlUrl,
    dbName: deps.dbName,
    entities: ledgerEntities,
    migrationsPath: LEDGER_MIGRATIONS_PATH,
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.poolMax ? { poolMax: deps.poolMax } : {}),
  });
  return { ...handle, migrate: () => migrate(handle.orm) };
}
