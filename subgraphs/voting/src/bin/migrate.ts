import { runMigrationCli } from "@clearbook/kit";
import { MIGRATIONS_PATH } from "../db/database.js";
import { votingEntities } from "../db/entities.js";

// `npm run migrate -w @clearbook/voting [up|down|pending|create <name>]`; reads MYSQL_URL and VOTING_DB_NAME.
process.exitCode = await runMigrationCli({
  service: "voting",
  dbName: process.env.VOTING_DB_NAME || "clearbook_voting",
  entities: [...votingEntities],
  migrationsPath: MIGRATIONS_PATH,
});
