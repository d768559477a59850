/**
 * DATETIME(3) values in plain SQL, as the ORM writes and reads them (`forceUtcTimezone`): UTC text
 * `YYYY-MM-DD hh:mm:ss.mmm`. The ORM's mysql2 pool returns dates as such strings (`dateStrings`).
 */
export const sqlTime = (time: Date | number): string => new Date(time).toISOString().replace("T", " ").replace("Z", "");

/** A DATETIME read back through the ORM's pool (a UTC string), or a Date from another pool. */
export const fromSqlTime = (value: string | Date): Date =>
  value instanceof Date ? value : new Date(`${value.replace(" ", "T")}Z`);
