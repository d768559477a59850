import type { EntitySchema } from "@mikro-orm/core";
import { createOrm, dropTestDatabase, type OrmHandle, syncSchemaForTests } from "../src/orm.js";
import { createRedis, type RedisHandle } from "../src/redis.js";

export const MYSQL_URL = process.env.MYSQL_URL ?? "mysql://root@127.0.0.1:3306";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A database `clearbook_test_kit_<name>_<pid>` with the schema in place; dropped by `dispose`. */
export async function testOrm(name: string, entities: EntitySchema[] = []): Promise<OrmHandle> {
  const dbName = `clearbook_test_kit_${name}_${process.pid}`;
  const handle = await createOrm({ mysqlUrl: MYSQL_URL, dbName, entities });
  await handle.orm.schema.drop();
  await syncSchemaForTests(handle.orm);
  return {
    ...handle,
    async dispose() {
      await dropTestDatabase(handle.orm, dbName);
      await handle.dispose();
    },
  };
}

/** A Redis connection and a key namespace `test:kit:<name>:<pid>:`; `dispose` deletes its keys. */
export async function testRedis(name: string): Promise<RedisHandle & { namespace: string }> {
  const handle = await createRedis(REDIS_URL, `kit-test-${name}`);
  const namespace = `test:kit:${name}:${process.pid}:`;
  return {
    ...handle,
    namespace,
    async dispose() {
      const keys = await handle.client.keys(`${namespace}*`);
      if (keys.length > 0) await handle.client.del(...keys);
      await handle.dispose();
    },
  };
}

/** Polls `check` every 20 ms until it holds; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
