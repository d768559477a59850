import type { OrmHandle } from "./orm.js";

/**
 * Plain SQL on the ORM's own mysql2 pool, for paths that run per command or per vote under load:
 * there the unit of work (hydration, change sets, query building) cost more CPU than the statements
 * themselves (bench:votes). Statements go to mysql2 with their parameters and are formatted once;
 * MikroORM's `execute` would inline them into the SQL text first, and mysql2 would scan that text again.
 * Keep the ORM for everything else: schema, migrations, code that does not run per request.
 */

/** A statement's rows (select), or what it changed (insert, update, delete). */
export interface SqlResult {
  affectedRows: number;
  insertId: number;
}

/** Statements on one connection: inside a transaction when obtained from `SqlClient.transaction`. */
export interface SqlExecutor {
  /** Runs a select. @returns its rows, column names as in the statement, dates as strings. */
  rows<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs an insert, update or delete. */
  run(sql: string, params?: readonly unknown[]): Promise<SqlResult>;
}

export type SqlIsolationLevel = "READ COMMITTED" | "REPEATABLE READ";

export interface SqlClient extends SqlExecutor {
  /**
   * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled back
   * when it throws (the error is rethrown as is; see `isDeadlock`, `isDuplicateKey`).
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>, options?: { isolationLevel?: SqlIsolationLevel }): Promise<T>;
}

/** The part of mysql2's callback API used here (MikroORM's `getNativeClient()` on MySQL and MariaDB). */
interface NativeConnection {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
  release(): void;
  destroy(): void;
}
interface NativePool {
  query(sql: string, values: unknown[], callback: (error: Error | null, result: unknown) => void): void;
  getConnection(callback: (error: Error | null, connection: NativeConnection) => void): void;
}

function call(target: Pick<NativePool, "query">, sql: string, params: readonly unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) =>
    target.query(sql, params as unknown[], (error, result) => (error ? reject(error) : resolve(result))),
  );
}

function executor(target: Pick<NativePool, "query">): SqlExecutor {
  return {
    async rows<T>(sql: string, params: readonly unknown[] = []) {
      const result = await call(target, sql, params);
      return (Array.isArray(result) ? result : []) as T[];
    },
    async run(sql: string, params: readonly unknown[] = []) {
      const result = (await call(target, sql, params)) as Partial<SqlResult> | null;
      return { affectedRows: Number(result?.affectedRows ?? 0), insertId: Number(result?.insertId ?? 0) };
    },
  };
}

/** Plain SQL on `orm`'s connection pool (shared with the ORM: size it for both). */
export function createSqlClient(orm: OrmHandle): SqlClient {
  const pool = orm.fork().getConnection().getNativeClient() as Promise<NativePool>;
  pool.catch(() => {}); // a pool that cannot connect fails each statement, not the process
  const lazy: Pick<NativePool, "query"> = {
    query: (sql, values, callback) => {
      pool.then(
        (native) => {
          // Not returned: mysql2's Query object is thenable only to complain about being awaited.
          native.query(sql, values, callback);
        },
        (error: Error) => callback(error, undefined),
      );
    },
  };
  return {
    ...executor(lazy),
    async transaction(work, options = {}) {
      const native = await pool;
      const connection = await new Promise<NativeConnection>((resolve, reject) =>
        native.getConnection((error, c) => (error ? reject(error) : resolve(c))),
      );
      const tx = executor(connection);
      let healthy = true;
      try {
        // `set transaction` applies to the next transaction of this connection only, so a pooled
        // connection goes back with the server's default isolation.
        if (options.isolationLevel) await tx.run(`set transaction isolation level ${options.isolationLevel}`);
        await tx.run("begin");
        const result = await work(tx);
        await tx.run("commit");
        return result;
      } catch (error) {
        await tx.run("rollback").catch(() => {
          healthy = false;
        });
        throw error;
      } finally {
        // A connection whose rollback failed may still hold the transaction: never reuse it.
        if (healthy) connection.release();
        else connection.destroy();
      }
    },
  };
}

const errnoOf = (error: unknown): number | undefined =>
  typeof error === "object" && error !== null && "errno" in error && typeof error.errno === "number"
    ? error.errno
    : undefined;

/** True for MySQL's "deadlock found" (1213): the transaction was rolled back and may be retried. */
export const isDeadlock = (error: unknown): boolean => errnoOf(error) === 1213;

/** True for MySQL's "duplicate entry" (1062) on a unique key. */
export const isDuplicateKey = (error: unknown): boolean => errnoOf(error) === 1062;

/**
 * DATETIME(3) values in plain SQL, as the ORM writes and reads them (`forceUtcTimezone`): UTC text
 * `YYYY-MM-DD hh:mm:ss.mmm`. The ORM's mysql2 pool returns dates as such strings (`dateStrings`).
 */
export const sqlTime = (time: Date | number): string => new Date(time).toISOString().replace("T", " ").replace("Z", "");

/** A DATETIME read back through the ORM's pool (a UTC string), or a Date from another pool. */
export const fromSqlTime = (value: string | Date): Date =>
  value instanceof Date ? value : new Date(`${value.replace(" ", "T")}Z`);
