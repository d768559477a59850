import { runMigrationCli } from "@clearbook/kit";
import { LEDGER_MIGRATIONS_PATH } from "../db/database.js";
import { ledgerEntities } from "../db/entities.js";

// `npm run migrate -w @clearbook/ledger [up|down|pending|create <name>|initial]`; reads MYSQL_URL and LEDGER_DB_NAME.
process.exitCode = await runMigrationCli({
  service: "ledger",
  dbName: process.env.LEDGER_DB_NAME || "clearbook_ledger",
  entities: ledgerEntities,
  migrationsPath: LEDGER_MIGRATIONS_PATH,
});
