import { type EntityManager, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { Redis } from "ioredis";
import { type Clock, systemClock } from "./clock.js";
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
