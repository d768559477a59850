import { type EntityManager, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.js";
import type { Resource } from "./lifecycle.js";
import type { OrmHandle } from "./orm.js";
import { ProcessedCommand } from "./outbox.entity.js";

export type ApplyOnceResult<R> = { applied: true; result: R } | { applied: false };

/**
 * Runs `work` and records `(group, commandId)` as processed in ONE transaction: the effects and the
 * mark commit together or not at all. A redelivered command finds the mark and is skipped; two
 * consumers racing on the same command cannot both commit (the unique key stops the second).
 *
 * @returns `{ applied: true, result }`, or `{ applied: false }` when the command was already applied.
 * @throws whatever `work` throws (the transaction is rolled back, nothing is marked).
 */
export async function applyOnce<R>(
  orm: OrmHandle,
  group: string,
  commandId: string,
  work: (em: EntityManager) => Promise<R>,
  clock: Clock = systemClock,
): Promise<ApplyOnceResult<R>> {
  try {
    return await orm.fork().transactional(async (em): Promise<ApplyOnceResult<R>> => {
      const seen = await em.count(ProcessedCommand, { consumerGroup: group, commandId });
      if (seen > 0) return { applied: false };
      // Insert the mark first: a racing transaction blocks on the unique key here, before doing work.
      em.create(ProcessedCommand, { consumerGroup: group, commandId, processedAt: new Date(clock.now()) });
      await em.flush();
      return { applied: true, result: await work(em) };
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && (await isProcessed(orm, group, commandId))) {
      return { applied: false };
    }
    throw error;
  }
}

/** Whether `(group, commandId)` has been applied. */
export async function isProcessed(orm: OrmHandle, group: string, commandId: string): Promise<boolean> {
  return (await orm.fork().count(ProcessedCommand, { consumerGroup: group, commandId })) > 0;
}

/**
 * A Redis set of processed ids, for handlers whose effects live outside MySQL (a Fabric submission).
 * Weaker than `applyOnce`: a crash between the effect and `mark` repeats the effect once, so such
 * handlers must also be idempotent downstream (Fabric refuses a reused transaction id).
 */
export interface RedisDedupe {
  seen(commandId: string): Promise<boolean>;
  mark(commandId: string): Promise<void>;
}

export function createRedisDedupe(redis: Redis, key: string, ttlSeconds = 7 * 24 * 3600): RedisDedupe {
  return {
    async seen(commandId) {
      return (await redis.exists(`${key}:${commandId}`)) === 1;
    },
    async mark(commandId) {
      await redis.set(`${key}:${commandId}`, "1", "EX", ttlSeconds);
    },
  };
}

/**
 * Forgets `processed_command` marks written before `before`, `batch` rows per statement (short
 * locks beside live consumers). A mark only matters while its command or event can still be
 * delivered again — a stream entry still pending, a chain event after the indexer's checkpoint — which
 * is minutes in practice; a retention of days leaves a wide margin.
 *
 * Ids grow with insertion time, so the old marks are the ones below the first id marked at or after
 * `before`: that boundary is found by walking the primary key from its low end (as many rows as there
 * are to delete, no index on the time), and each delete is a range of the primary key.
 * @returns how many marks were deleted.
 */
export async function pruneProcessedCommands(orm: OrmHandle, before: Date, batch = 1000): Promise<number> {
  const connection = orm.fork().getConnection();
  const [first] = await connection.execute<{ id: string }[]>(
    "select id from processed_command where processed_at >= ? order by id limit 1",
    [before],
  );
  let deleted = 0;
  for (;;) {
    const result = await connection.execute<{ affectedRows: number }>(
      first
        ? "delete from processed_command where id < ? and processed_at < ? order by id limit ?"
        : "delete from processed_command where processed_at < ? order by id limit ?",
      first ? [first.id, before, batch] : [before, batch],
      "run",
    );
    deleted += result.affectedRows;
    if (result.affectedRows < batch) return deleted;
  }
}

export interface ProcessedCommandPruningOptions {
  orm: OrmHandle;
  logger: Pick<Logger, "info" | "error">;
  /** How long a mark is kept; `PROCESSED_COMMAND_RETENTION_DAYS` of the kit's config. */
  retentionMs: number;
  /** Default one hour; the first pass runs one interval after start. */
  intervalMs?: number;
  clock?: Clock;
}

/** Prunes `processed_command` every `intervalMs` until disposed; register it with the lifecycle. */
export function startProcessedCommandPruning(options: ProcessedCommandPruningOptions): Resource & {
  /** One pass now (what the timer runs). */
  runOnce(): Promise<number>;
} {
  const clock = options.clock ?? systemClock;
  let running: Promise<unknown> = Promise.resolve();
  const runOnce = async () => {
    const deleted = await pruneProcessedCommands(options.orm, new Date(clock.now() - options.retentionMs));
    if (deleted > 0) options.logger.info({ deleted }, "pruned processed_command marks past their retention");
    return deleted;
  };
  const timer = setInterval(() => {
    running = runOnce().catch((error) => options.logger.error({ err: error }, "pruning processed_command failed"));
  }, options.intervalMs ?? 3_600_000);
  timer.unref();
  return {
    name: "processed-command-pruning",
    runOnce,
    async dispose() {
      clearInterval(timer);
      await running;
    },
  };
}
