import { fileURLToPath } from "node:url";
import { runMigrationCli } from "@clearbook/kit";
import { signerEntities } from "../signer-entities.js";

// `npm run migrate [up|down|pending|create <name>|initial]` for the signer's own database.
process.exitCode = await runMigrationCli({
  service: "signer",
  dbName: process.env.SIGNER_DB || "clearbook_signer",
  entities: [...signerEntities],
  migrationsPath: fileURLToPath(new URL("../../migrations", import.meta.url)),
});
