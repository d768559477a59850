import { fileURLToPath } from "node:url";
import { createOrm, type Logger, migrate, type OrmHandle } from "@clearbook/kit";
import { votingEntities } from "./entities.js";

/** The package's versioned migrations (discovered by file name, applied in order). */
export const MIGRATIONS_PATH = fileURLToPath(new URL("../../migrations", import.meta.url));

/** The voting service's MikroORM on its own database (which must exist: `ops/local` creates it). */
export function createVotingOrm(config: {
  mysqlUrl: string;
  dbName: string;
  logger?: Logger;
  poolMax?: number;
}): Promise<OrmHandle> {
  return createOrm({ ...config, entities: [...votingEntities], migrationsPath: MIGRATIONS_PATH });
}

export { migrate };
