import { systemClock } from "./clock.js";
import { PermanentError } from "./command-entry.js";
import { pruneIdleConsumers } from "./consumer-pruning.js";
import { applyOnce } from "./idempotency.js";
import type { ConsumerStats, StreamConsumer, StreamConsumerOptions } from "./stream-consumer.types.js";
import { trimStream } from "./stream-trim.js";
import { parseAutoClaimReply, parseDeliveryCounts, parseReadReply, type RawStreamEntry } from "./streams.js";

export type {
  ConsumerStats,
  DeadLetterInfo,
  HandlerContext,
  StreamConsumer,
  StreamConsumerOptions,
} from "./stream-consumer.types.js";

type Delivery = RawStreamEntry & { deliveries: number };

/** A consumer-group runner for one stream. See `StreamConsumerOptions` for the delivery rules. */
export function createStreamConsumer<T>(options: StreamConsumerOptions<T>): StreamConsumer {
  const { redis, stream, group, consumer, logger } = options;
  const clock = options.clock ?? systemClock;
  const concurrency = options.concurrency ?? 4;
  const blockMs = options.blockMs ?? 1000;
  const claimIdleMs = options.claimIdleMs ?? 30_000;
  const claimIntervalMs = options.claimIntervalMs ?? Math.min(claimIdleMs, 5000);
  const maxDeliveries = options.maxDeliveries ?? 5;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? 5000;
  const stats: ConsumerStats = { handled: 0, failed: 0, deadLettered: 0, duplicates: 0, claimed: 0 };
  const count = (outcome: string, n = 1) => options.metrics?.streamEntries.inc({ stream, group, outcome }, n);
  const inflight = new Set<Promise<void>>();
  const inflightIds = new Set<string>();
  const abort = new AbortController();
  const reader = redis.duplicate();
  reader.on("error", () => {});
  let running = false;
  let closed = false;
  let loop: Promise<void> | undefined;
  let slotFreed: (() => void) | undefined;
  let claimCursor = "0-0";
  let lastClaimAt = Number.NEGATIVE_INFINITY;
  const pruneIdleMs = options.pruneIdleConsumersMs ?? 3600_000;
  let lastPruneAt = Number.NEGATIVE_INFINITY;

  async function ensureGroup(): Promise<void> {
    try {
      await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM");
    } catch (error) {
      if (!(error instanceof Error && error.message.includes("BUSYGROUP"))) throw error;
    }
  }

  async function ack(id: string): Promise<void> {
    if (!closed) await redis.xack(stream, group, id);
  }

  async function deadLetter(
    entry: Delivery,
    reason: string,
    commandId: string | undefined,
    message?: T,
  ): Promise<void> {
    if (closed) return;
    if (options.onDeadLetter) {
      try {
        await options.onDeadLetter({
          entryId: entry.id,
          fields: entry.fields ?? {},
          message,
          commandId,
          reason,
          deliveries: entry.deliveries,
        });
      } catch (error) {
        // Left pending: claimed again, dead-lettered again, and the hook runs again.
        logger?.warn({ entryId: entry.id, commandId, err: error }, "dead-letter hook failed; entry left pending");
        return;
      }
    }
    const original = Object.entries(entry.fields ?? {}).flat();
    // One MULTI: the dead letter is written and the entry acked together, or neither.
    await redis
      .multi()
      .xadd(
        options.deadLetterStream,
        "*",
        ...original,
        "sourceStream",
        stream,
        "sourceId",
        entry.id,
        "commandId",
        commandId ?? "",
        "group",
        group,
        "consumer",
        consumer,
        "attempts",
        String(entry.deliveries),
        "reason",
        reason,
        "failedAt",
        String(clock.now()),
      )
      .xack(stream, group, entry.id)
      .exec();
    stats.deadLettered++;
    count("dead_lettered");
    logger?.warn({ entryId: entry.id, commandId, attempts: entry.deliveries, reason }, "dead-lettered");
  }

  async function handleEntry(entry: Delivery): Promise<void> {
    if (entry.fields === null) return ack(entry.id); // deleted while pending: nothing to do
    let message: T;
    try {
      message = options.parse({ id: entry.id, fields: entry.fields });
    } catch (error) {
      return deadLetter(entry, `unreadable entry: ${messageOf(error)}`, entry.fields.id);
    }
    const commandId = options.idOf?.(message);
    if (entry.deliveries > maxDeliveries) {
      // Claimed again after its consumers kept dying mid-handler: stop feeding it to the group.
      return deadLetter(
        entry,
        `gave up after ${entry.deliveries - 1} deliveries without an outcome`,
        commandId,
        message,
      );
    }
    if (options.dedupe && commandId && (await options.dedupe.seen(commandId))) {
      stats.duplicates++;
      count("duplicate");
      return ack(entry.id);
    }
    try {
      await options.handle(message, {
        entryId: entry.id,
        deliveries: entry.deliveries,
        logger: logger?.child({ entryId: entry.id, commandId }),
        signal: abort.signal,
        once: (work) => {
          if (!options.orm || !commandId) throw new Error("context.once needs the consumer's orm and idOf options");
          return applyOnce(options.orm, group, commandId, work, clock);
        },
      });
    } catch (error) {
      stats.failed++;
      count("failed");
      if (error instanceof PermanentError) return deadLetter(entry, messageOf(error), commandId, message);
      if (entry.deliveries >= maxDeliveries) return deadLetter(entry, messageOf(error), commandId, message);
      logger?.warn(
        { entryId: entry.id, commandId, attempt: entry.deliveries, err: error },
        "handler failed; will retry",
      );
      return;
    }
    if (options.dedupe && commandId) await options.dedupe.mark(commandId);
    await ack(entry.id);
    stats.handled++;
    count("handled");
  }

  function dispatch(entries: Delivery[]): void {
    for (const entry of entries) {
      // A handler slower than claimIdleMs gets its own entry back from XAUTOCLAIM: do not run it twice.
      if (inflightIds.has(entry.id)) continue;
      inflightIds.add(entry.id);
      const task: Promise<void> = handleEntry(entry)
        .catch((error: unknown) => logger?.error({ entryId: entry.id, err: error }, "stream entry processing failed"))
        .finally(() => {
          inflight.delete(task);
          inflightIds.delete(entry.id);
          slotFreed?.();
        });
      inflight.add(task);
    }
  }

  async function claim(max: number): Promise<Delivery[]> {
    const reply = await redis.xautoclaim(stream, group, consumer, claimIdleMs, claimCursor, "COUNT", max);
    const { next, entries } = parseAutoClaimReply(reply);
    claimCursor = next;
    if (entries.length === 0) return [];
    stats.claimed += entries.length;
    count("claimed", entries.length);
    const first = entries[0]?.id ?? "-";
    const last = entries[entries.length - 1]?.id ?? "+";
    const counts = parseDeliveryCounts(await redis.xpending(stream, group, first, last, entries.length * 2, consumer));
    return entries.map((entry) => ({ ...entry, deliveries: counts.get(entry.id) ?? maxDeliveries + 1 }));
  }

  async function waitForSlot(): Promise<void> {
    while (running && inflight.size >= concurrency) {
      await new Promise<void>((resolve) => {
        slotFreed = resolve;
      });
      slotFreed = undefined;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      try {
        await waitForSlot();
        if (!running) break;
        const free = concurrency - inflight.size;
        if (clock.now() - lastClaimAt >= claimIntervalMs) {
          const claimed = await claim(free);
          // Keep claiming while there is a backlog; otherwise wait for the next interval.
          if (claimed.length < free) lastClaimAt = clock.now();
          if (clock.now() - lastPruneAt >= Math.min(pruneIdleMs, 600_000)) {
            lastPruneAt = clock.now();
            const removed = await pruneIdleConsumers(redis, stream, group, { idleMs: pruneIdleMs, except: consumer });
            if (removed.length > 0) logger?.info({ removed, stream, group }, "removed idle consumers");
          }
          if (options.trimAcknowledged) {
            // A failed trim is retried at the next check; it must not hold up reading.
            await trimStream(redis, stream, { keep: 0, withoutGroups: "keep" }).then(
              (trimmed) => {
                if (trimmed.removed > 0) logger?.debug({ removed: trimmed.removed, stream }, "trimmed acknowledged");
              },
              (error: unknown) => logger?.warn({ err: error, stream }, "trimming acknowledged entries failed"),
            );
          }
          if (claimed.length > 0) {
            dispatch(claimed);
            continue;
          }
        }
        const block = Math.max(1, Math.min(blockMs, claimIntervalMs));
        const reply: unknown = await reader.xreadgroup(
          "GROUP",
          group,
          consumer,
          "COUNT",
          free,
          "BLOCK",
          block,
          "STREAMS",
          stream,
          ">",
        );
        dispatch(parseReadReply(reply).map((entry) => ({ ...entry, deliveries: 1 })));
      } catch (error) {
        if (!running) break;
        if (error instanceof Error && error.message.includes("NOGROUP")) {
          await ensureGroup().catch(() => {});
          continue;
        }
        logger?.error({ err: error, stream, group }, "stream read failed; retrying in 1 s");
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  return {
    stats,
    async start() {
      if (running) return;
      await ensureGroup();
      running = true;
      loop = run();
    },
    async dispose() {
      running = false;
      // Cuts a blocking XREADGROUP short. Entries Redis delivered but we never received stay pending
      // under this consumer's name, and another consumer claims them after claimIdleMs.
      reader.disconnect();
      slotFreed?.();
      await loop;
      if (inflight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inflight]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, shutdownTimeoutMs);
          }),
        ]);
        clearTimeout(timer);
      }
      if (inflight.size > 0) {
        logger?.warn({ unfinished: inflight.size }, "left unfinished entries pending for another consumer");
        abort.abort();
      }
      closed = true;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
