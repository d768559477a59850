import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createOrm, DatabaseUnavailableError, dropTestDatabase } from "../src/orm.js";
import { OutboxCommand } from "../src/outbox.entity.js";
import { MYSQL_URL } from "./helpers.js";

const Orm = suite("orm");

Orm("creates the service database at start when it is missing", async () => {
  const dbName = `clearbook_test_kit_orm_${process.pid}`;
  const handle = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities: [] });
  try {
    const [row] = await handle.fork().getConnection().execute<Array<{ db: string }>>("select database() as db");
    assert.is(row?.db, dbName);
    assert.ok(await handle.isReady());
  } finally {
    await dropTestDatabase(handle.orm, dbName);
    await handle.dispose();
  }
});

Orm("fails fast with a clear error when the database server is down", async () => {
  const started = Date.now();
  try {
    await createOrm({
      mysqlUrl: "mysql://root:hunter2@127.0.0.1:15003",
      dbName: "clearbook_test_kit_down",
      entities: [],
    });
    assert.unreachable("should not connect");
  } catch (error) {
    assert.instance(error, DatabaseUnavailableError);
    const message = (error as Error).message;
    assert.match(message, /127\.0\.0\.1:15003/);
    assert.match(message, /ECONNREFUSED/);
    assert.not.match(message, /hunter2/);
  }
  assert.ok(Date.now() - started < 5000);
});

Orm("refuses work on the global EntityManager (one unit of work per request)", async () => {
  const dbName = `clearbook_test_kit_orm_global_${process.pid}`;
  const handle = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities: [] });
  try {
    assert.throws(() => handle.orm.em.create(OutboxCommand, {} as never), /global/i);
  } finally {
    await dropTestDatabase(handle.orm, dbName);
    await handle.dispose();
  }
});

Orm("dropTestDatabase refuses a database that is not a test database", async () => {
  const handle = await createOrm({
    mysqlUrl: MYSQL_URL,
    dbName: `clearbook_test_kit_guard_${process.pid}`,
    entities: [],
  });
  try {
    await dropTestDatabase(handle.orm, "clearbook_ledger").then(
      () => assert.unreachable("dropped a real database"),
      (error: unknown) => assert.match(String(error), /not a test database/),
    );
  } finally {
    await dropTestDatabase(handle.orm, `clearbook_test_kit_guard_${process.pid}`);
    await handle.dispose();
  }
});

Orm.run();
