import type { Redis } from "ioredis";

export interface GroupConsumer {
  name: string;
  pending: number;
  idleMs: number;
}

/** Parses XINFO CONSUMERS (`[[name, n, pending, p, idle, ms, …], …]`; RESP3 maps also accepted). */
export function parseConsumers(value: unknown): GroupConsumer[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((row: unknown): GroupConsumer[] => {
    let fields: Record<string, unknown>;
    if (Array.isArray(row)) {
      fields = {};
      for (let i = 0; i + 1 < row.length; i += 2) fields[String(row[i])] = row[i + 1];
    } else if (row !== null && typeof row === "object") {
      fields = { ...row };
    } else {
      return [];
    }
    if (fields.name === undefined) return [];
    return [{ name: String(fields.name), pending: Number(fields.pending ?? 0), idleMs: Number(fields.idle ?? 0) }];
  });
}

/**
 * Removes consumers that left a group: idle longer than `idleMs` and holding no pending entries.
 * Consumers are named per process, so every deploy leaves names behind; a consumer that still
 * holds entries is kept, since deleting it would drop them from the pending list.
 * @returns the names it removed.
 */
export async function pruneIdleConsumers(
  redis: Redis,
  stream: string,
  group: string,
  options: { idleMs: number; except?: string },
): Promise<string[]> {
  const consumers = parseConsumers(await redis.xinfo("CONSUMERS", stream, group));
  const removed: string[] = [];
  for (const consumer of consumers) {
    if (consumer.name === options.except || consumer.pending > 0 || consumer.idleMs < options.idleMs) continue;
    await redis.xgroup("DELCONSUMER", stream, group, consumer.name);
    removed.push(consumer.name);
  }
  return removed;
}
