import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { runMigrationCli } from "../src/migrate-cli.js";
import { createOrm, dropTestDatabase, migrate } from "../src/orm.js";
import { Effect } from "./fixtures/effect.entity.js";
import { MYSQL_URL } from "./helpers.js";

const Migrations = suite("migrations");
const migrationsPath = fileURLToPath(new URL("./fixtures/migrations", import.meta.url));

Migrations("applies versioned migrations once, leaving the schema equal to the entities", async () => {
  const dbName = `clearbook_test_kit_migrate_${process.pid}`;
  const handle = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities: [Effect], migrationsPath });
  try {
    assert.equal(await migrate(handle.orm), ["Migration20261122040649_kit_tables"]);
    assert.equal(await migrate(handle.orm), []);
    const tables = await handle.orm.em.getConnection().execute<Array<Record<string, string>>>("show tables");
    const names = tables.map((row) => Object.values(row)[0]).sort();
    assert.equal(names, ["effect", "mikro_orm_migrations", "outbox", "processed_command"]);
    assert.is((await handle.orm.schema.getUpdateSchemaSQL()).trim(), "", "no drift between entities and migrations");
  } finally {
    await dropTestDatabase(handle.orm, dbName);
    await handle.dispose();
  }
});

Migrations("the migrate command lists, applies and reports", async () => {
  const dbName = `clearbook_test_kit_cli_${process.pid}`;
  const lines: string[] = [];
  const run = (...argv: string[]) =>
    runMigrationCli({
      service: "fixture",
      dbName,
      entities: [Effect],
      migrationsPath,
      argv,
      env: { MYSQL_URL },
      print: (line) => lines.push(line),
    });
  try {
    assert.is(await run("pending"), 0);
    assert.is(await run("up"), 0);
    assert.is(await run("up"), 0);
    assert.is(await run("sideways"), 2);
    assert.equal(lines.slice(0, 3), [
      "Migration20261122040649_kit_tables",
      "fixture: applied Migration20261122040649_kit_tables",
      "fixture: up to date",
    ]);
    assert.match(lines[3] ?? "", /usage: migrate/);
  } finally {
    const handle = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities: [Effect] });
    await dropTestDatabase(handle.orm, dbName);
    await handle.dispose();
  }
});

Migrations.run();
