import type { MigrationObject } from "@mikro-orm/core";
import { InitialSchema } from "./0001-initial-schema.migration.js";

/** Every migration, in order (listed rather than discovered, so they run the same under tsx and tsc). */
export const ledgerMigrations: MigrationObject[] = [{ name: "0001-initial-schema", class: InitialSchema }];
