import type { EntitySchema } from "@mikro-orm/core";
import { z } from "zod";
import { loadConfig } from "./config.js";
import { createOrm, migrate, type OrmHandle } from "./orm.js";

export interface MigrationCliOptions {
  /** The service, for messages (`ledger`). */
  service: string;
  /** Its database (`clearbook_ledger`). */
  dbName: string;
  entities: ReadonlyArray<EntitySchema>;
  /** Absolute path of the service's `migrations/` folder. */
  migrationsPath: string;
  /** Defaults to `process.argv.slice(2)`. */
  argv?: string[];
  /** Defaults to `process.env` (only MYSQL_URL is read). */
  env?: Record<string, string | undefined>;
  /** Where messages go; stdout by default. */
  print?: (line: string) => void;
}

const USAGE = `usage: migrate [up | down | pending | create <name> | initial]
  up        apply pending migrations (default)
  down      revert the last migration
  pending   list migrations not yet applied
  create    write a migration for the difference between entities and the last snapshot
  initial   write the first migration of a service`;

/**
 * The command behind each service's `npm run migrate`: a service's `src/bin/migrate.ts` calls it
 * with its entities and migrations folder. Reads MYSQL_URL from the environment.
 * @returns the process exit code.
 */
export async function runMigrationCli(options: MigrationCliOptions): Promise<number> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const [command = "up", name] = options.argv ?? process.argv.slice(2);
  const env = loadConfig(
    z.object({ MYSQL_URL: z.string().default("mysql://root@127.0.0.1:3306") }),
    options.env ?? process.env,
  );
  let orm: OrmHandle | undefined;
  try {
    orm = await createOrm({
      mysqlUrl: env.MYSQL_URL,
      dbName: options.dbName,
      entities: options.entities,
      migrationsPath: options.migrationsPath,
    });
    const migrator = orm.orm.migrator;
    switch (command) {
      case "up": {
        const ran = await migrate(orm.orm);
        print(ran.length ? `${options.service}: applied ${ran.join(", ")}` : `${options.service}: up to date`);
        return 0;
      }
      case "down": {
        const reverted = await migrator.down();
        print(`${options.service}: reverted ${reverted.map((m) => m.name).join(", ") || "nothing"}`);
        return 0;
      }
      case "pending": {
        const pending = await migrator.getPending();
        print(pending.length ? pending.map((m) => m.name).join("\n") : `${options.service}: nothing pending`);
        return 0;
      }
      case "create":
      case "initial": {
        const result =
          command === "initial"
            ? await migrator.create(undefined, false, true, name)
            : await migrator.create(undefined, false, false, name);
        print(result.fileName ? `${options.service}: wrote ${result.fileName}` : `${options.service}: no changes`);
        return 0;
      }
      default:
        print(USAGE);
        return 2;
    }
  } catch (error) {
    print(`${options.service}: migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await orm?.dispose();
  }
}
