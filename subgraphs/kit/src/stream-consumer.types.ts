import type { EntityManager } from "@mikro-orm/core";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { Clock } from "./clock.js";
import type { LiveStreamEntry } from "./command-entry.js";
import type { ApplyOnceResult, RedisDedupe } from "./idempotency.js";
import type { ServiceMetrics } from "./metrics.js";
import type { OrmHandle } from "./orm.js";

export interface HandlerContext {
  entryId: string;
  /** 1 on first delivery; grows with every claim after a failure or a crash. */
  deliveries: number;
  logger: Logger | undefined;
  /** Aborted when the consumer gives up waiting for this handler at shutdown. */
  signal: AbortSignal;
  /**
   * Runs `work` and marks this message's id processed for this group in ONE transaction (see
   * `applyOnce`); resolves `{ applied: false }` for a message already applied.
   * @throws when the consumer has no `orm` or no `idOf`.
   */
  once<R>(work: (em: EntityManager) => Promise<R>): Promise<ApplyOnceResult<R>>;
}

export interface StreamConsumerOptions<T> {
  /** Used for acks, claims and dead letters; a duplicate connection does the blocking reads. */
  redis: Redis;
  stream: string;
  group: string;
  /** This process's name in the group; must be unique per live process (e.g. `host-pid`). */
  consumer: string;
  deadLetterStream: string;
  /** Parses an entry at the edge. Throwing sends it to the dead-letter stream (no retry fixes it). */
  parse: (entry: LiveStreamEntry) => T;
  /**
   * Applies one message. Resolving acks the entry; throwing `PermanentError` dead-letters it;
   * throwing anything else leaves it pending, to be claimed again after `claimIdleMs`, until
   * `maxDeliveries` is reached.
   */
  handle: (message: T, context: HandlerContext) => Promise<void>;
  /**
   * Called before an entry goes to the dead-letter stream, with the parsed message when the entry
   * was readable: a producer waiting for an outcome learns of the failure here (the signer publishes
   * a rejected outcome). Throwing leaves the entry pending, so it is dead-lettered (and this is
   * called) again on a later claim: make it idempotent.
   */
  onDeadLetter?: (letter: DeadLetterInfo<T>) => Promise<void>;
  /** The idempotency key of a message, for `dedupe` and dead-letter records. */
  idOf?: (message: T) => string;
  /** Skips messages already handled (see `createRedisDedupe`; `context.once` is the stronger tool). */
  dedupe?: RedisDedupe;
  /** The service database, for `context.once`. */
  orm?: OrmHandle;
  /** Handlers running at once. Default 4. */
  concurrency?: number;
  /** How long one XREADGROUP blocks. Default 1000 ms (also bounds how late a claim check can be). */
  blockMs?: number;
  /** Entries pending longer than this are taken over (their consumer died or failed). Default 30 s. */
  claimIdleMs?: number;
  /** How often to look for such entries. Default `min(claimIdleMs, 5000)`. */
  claimIntervalMs?: number;
  /** Deliveries before an entry goes to the dead-letter stream. Default 5. */
  maxDeliveries?: number;
  /** Consumers of the group idle this long with nothing pending are removed. Default 1 hour. */
  pruneIdleConsumersMs?: number;
  /**
   * Trims the stream, on each claim check, of the entries every group of it has acknowledged
   * (`trimStream` with nothing kept beyond them; decision 0381). For streams only groups read, such as
   * `cmd:*`; a stream with readers outside any group must not set it. Default false.
   */
  trimAcknowledged?: boolean;
  /** How long `dispose` waits for running handlers. Default 5000 ms. */
  shutdownTimeoutMs?: number;
  logger?: Logger;
  clock?: Clock;
  /** Counts outcomes in `stream_entries_total`. */
  metrics?: Pick<ServiceMetrics, "streamEntries">;
}

/** What `onDeadLetter` learns about an entry being dead-lettered. */
export interface DeadLetterInfo<T> {
  entryId: string;
  fields: Record<string, string>;
  /** The parsed message; undefined when the entry could not be parsed. */
  message: T | undefined;
  commandId: string | undefined;
  reason: string;
  deliveries: number;
}

export interface ConsumerStats {
  handled: number;
  failed: number;
  deadLettered: number;
  duplicates: number;
  claimed: number;
}

export interface StreamConsumer {
  /** Creates the group if needed and starts reading; resolves once reading has begun. */
  start(): Promise<void>;
  readonly stats: Readonly<ConsumerStats>;
  /**
   * Stops reading, waits up to `shutdownTimeoutMs` for running handlers, then returns. Entries
   * whose handlers did not finish stay pending, for another consumer to claim.
   */
  dispose(): Promise<void>;
}
