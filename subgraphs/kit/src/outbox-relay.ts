import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { type Clock, systemClock } from "./clock.js";
import { type CommandSigningKey, signCommandEntry } from "./command-auth.js";
import type { ServiceMetrics } from "./metrics.js";
import type { OrmHandle } from "./orm.js";
import { purgeRelayedCommands } from "./outbox.js";
import { createSqlClient, fromSqlTime, sqlTime } from "./sql.js";
import { StreamKind, streamKey } from "./streams.js";

export interface OutboxRelayOptions {
  orm: OrmHandle;
  redis: Redis;
  logger?: Logger;
  clock?: Clock;
  /** How often to look for unrelayed rows when nobody kicks. Default 500 ms. */
  pollIntervalMs?: number;
  /** Rows per batch (one transaction, one pipeline). Default 100. */
  batchSize?: number;
  /** Key prefix for tests (`test:<pkg>:`). Default none. */
  namespace?: string;
  /**
   * Called after a batch was appended to Redis and before the rows are marked relayed.
   * For fault-injection tests: throwing here is a relay dying mid-batch (rows stay unrelayed).
   */
  afterAppend?: (commandIds: string[]) => Promise<void> | void;
  /** How long relayed rows are kept (for tracing) before the relay deletes them. Default 7 days. */
  retentionMs?: number;
  /** How often the relay purges old relayed rows. Default 1 hour. */
  purgeIntervalMs?: number;
  /**
   * The producing service's key: every entry is signed with it (`svc`, `sig`; decision 0360). The signer
   * refuses unsigned entries, so only tests of the relay alone leave it out.
   */
  signing?: CommandSigningKey;
  /** Counts relayed rows in `outbox_relayed_total`. */
  metrics?: Pick<ServiceMetrics, "outboxRelayed">;
}

/** An `outbox` row as the relay reads it (mysql2 returns DATETIME(3) as a string, bigint ids as strings or numbers). */
interface RelayRow {
  id: string | number;
  domain: string;
  type: string;
  command_id: string;
  payload: string;
  created_at: string | Date;
}

export interface OutboxRelay {
  /** Wakes the loop now (call after committing a transaction that enqueued commands). */
  kick(): void;
  /** Relays one batch. @returns how many rows it moved. */
  relayOnce(): Promise<number>;
  /** Starts the background loop. */
  start(): void;
  /** Stops the loop after the current batch. */
  dispose(): Promise<void>;
}

/**
 * Moves committed outbox rows to `cmd:<domain>` streams.
 *
 * A batch is claimed with `SELECT … FOR UPDATE SKIP LOCKED`, so relay replicas never append the same
 * row at the same time; rows are appended in id order and marked in the same transaction. A relay
 * that dies after XADD and before COMMIT appends those rows again on the next run: delivery is at
 * least once, and consumers dedupe by command id, which makes it once in effect.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { redis } = options;
  const sql = createSqlClient(options.orm);
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  const namespace = options.namespace ?? "";
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let kicked = false;
  const retentionMs = options.retentionMs ?? 7 * 24 * 3600 * 1000;
  const purgeIntervalMs = options.purgeIntervalMs ?? 3600 * 1000;
  let lastPurgeAt = clock.now();

  async function purgeIfDue(): Promise<void> {
    if (clock.now() - lastPurgeAt < purgeIntervalMs) return;
    lastPurgeAt = clock.now();
    const purged = await purgeRelayedCommands(options.orm.fork(), new Date(clock.now() - retentionMs));
    if (purged > 0) options.logger?.info({ purged }, "purged relayed outbox rows");
  }

  async function relayOnce(): Promise<number> {
    // Plain SQL rather than the unit of work: under a vote burst the relay moves hundreds of rows a
    // second, and hydrating each row and computing its change set cost more than the statements
    // (bench:votes, docs/performance/0170).
    const relayed = await sql.transaction(
      async (tx) => {
        const rows = await tx.rows<RelayRow>(
          `select id, domain, type, command_id, payload, created_at from outbox
          where relayed_at is null order by id limit ? for update skip locked`,
          [batchSize],
        );
        if (rows.length === 0) return [];
        const pipeline = redis.pipeline();
        for (const row of rows) {
          const fields = {
            id: row.command_id,
            type: row.type,
            payload: row.payload,
            at: String(fromSqlTime(row.created_at).getTime()),
          };
          pipeline.xadd(
            streamKey(StreamKind.command, row.domain, namespace),
            "*",
            "id",
            fields.id,
            "type",
            fields.type,
            "payload",
            fields.payload,
            "at",
            fields.at,
            ...(options.signing ? signCommandEntry(options.signing, row.domain, fields) : []),
          );
        }
        const results = (await pipeline.exec()) ?? [];
        const streamIds = rows.map((_, i) => {
          const [error, id] = results[i] ?? [new Error("no reply"), null];
          if (error) throw error;
          return String(id);
        });
        await options.afterAppend?.(rows.map((row) => row.command_id));
        await tx.run(
          `update outbox set relayed_at = ?, stream_id = case id ${rows.map(() => "when ? then ?").join(" ")} end
          where id in (${rows.map(() => "?").join(", ")})`,
          [sqlTime(clock.now()), ...rows.flatMap((row, i) => [row.id, streamIds[i]]), ...rows.map((row) => row.id)],
        );
        return rows;
        // READ COMMITTED: the claim locks only the rows it returns. Under REPEATABLE READ it also locked
        // the gaps of the unrelayed index, where concurrent transactions insert their commands, and the
        // relay's update deadlocked with those inserts under a vote burst (then appended again).
      },
      { isolationLevel: "READ COMMITTED" },
    );
    // Counted after COMMIT: a batch rolled back is appended again and counted then.
    for (const row of relayed) options.metrics?.outboxRelayed.inc({ domain: row.domain });
    return relayed.length;
  }

  function sleep(ms: number): Promise<void> {
    if (kicked) {
      kicked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      let moved = 0;
      try {
        moved = await relayOnce();
        if (moved > 0) options.logger?.debug({ moved }, "outbox relayed");
        await purgeIfDue();
      } catch (error) {
        options.logger?.error({ err: error }, "outbox relay batch failed; retrying");
      }
      // A full batch means there is probably more: go again at once.
      if (running && moved < batchSize) await sleep(pollIntervalMs);
    }
  }

  return {
    kick() {
      if (wake) wake();
      else kicked = true;
    },
    relayOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async dispose() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
