import { type ChainClient, type ChainGuard, createChainGuard } from "@clearbook/client";
import {
  appendEvent,
  createSqlClient,
  isDeadlock,
  isDuplicateKey,
  type Logger,
  type OrmHandle,
  type Redis,
  type SqlClient,
  type SqlExecutor,
  sqlTime,
} from "@clearbook/kit";
import { type ParsedChainEvent, parseChainEvent } from "./chain-events.js";
import { createIndexerCheckpoint, type RawChaincodeEvent } from "./indexer-checkpoint.js";
import { VOTING_EVENT_DOMAIN, type VotingEvent } from "./voting-events.js";
import { applyChainEvents } from "./voting-projector.js";

/** The consumer name under which applied chain transactions are remembered (`processed_command`). */
export const INDEXER_CONSUMER = "voting-indexer";
/** The `chain_checkpoint` row of this indexer. */
export const INDEXER_CHECKPOINT = "voting-indexer";
/** What the chain-mismatch error tells the operator to run. */
export const VOTING_REINDEX_FIX =
  "run `npm run reindex -- voting` to rebuild the voting read models from this chain (in development, `npm start -- --reset` starts everything over).";
/** Most chain events applied in one database transaction. */
const MAX_BATCH = 500;
/**
 * Least time between the starts of two batches. Under a vote burst blocks arrive every few tens of
 * milliseconds, and a transaction per block cost a dozen statements and a commit each; waiting for
 * the next block or two halves them (bench:votes, docs/performance/0170). The gateway pushes a
 * ballot's tally at most 4 times a second anyway, so a push waits at most this much longer. A
 * change after a quiet spell is applied at once.
 */
const MIN_BATCH_INTERVAL_MS = 100;

export interface ProjectionDeps {
  orm: OrmHandle;
  redis: Redis;
  logger: Logger;
  /** Key prefix for tests (`test:voting:`). */
  namespace?: string;
  /** Told after each applied change (the finalizer re-checks its ballots). */
  onApplied?(events: readonly VotingEvent[]): void;
}

/**
 * Applies chain events in one transaction, each at most once: a `processed_command` row per chain
 * transaction is inserted with its effects, so a replay after a crash, or another replica's indexer
 * on the same events, is refused by its unique key (a replica racing on the same rows waits on it),
 * and the retry finds them done and skips them. `saveCheckpoint` runs in the same transaction.
 * Publishing follows the commit: a crash in between loses pushes, never a read-model change, and the
 * next change of the ballot carries the whole tally again. Under a burst only each ballot's latest
 * tally of the batch is published: it supersedes the others.
 * @returns the published events.
 */
export async function projectChainEvents(
  deps: ProjectionDeps,
  events: readonly ParsedChainEvent[],
  saveCheckpoint?: (tx: SqlExecutor) => Promise<void>,
): Promise<VotingEvent[]> {
  const sql = sqlOf(deps.orm);
  const applied = await withRetries((attempt) =>
    sql.transaction(async (tx) => {
      const ids = [...new Set(events.map((e) => e.txId))];
      // The first attempt takes every event as new: the marks' unique key refuses the batch if any
      // is done (a replay, another replica), and the retry then reads which ones to skip. A single
      // indexer never replays, so this saves a statement per batch where it matters (bench:votes).
      const done = new Set(
        ids.length === 0 || attempt === 1
          ? []
          : (
              await tx.rows<{ command_id: string }>(
                `select command_id from processed_command
                  where consumer_group = ? and command_id in (${ids.map(() => "?").join(", ")})`,
                [INDEXER_CONSUMER, ...ids],
              )
            ).map((p) => p.command_id),
      );
      const fresh: ParsedChainEvent[] = [];
      for (const e of events) {
        if (done.has(e.txId)) continue;
        done.add(e.txId);
        fresh.push(e);
      }
      // Marks first: a replica applying the same events blocks here, before doing any work. One
      // multi-row insert into the kit's `processed_command`.
      if (fresh.length) {
        const processedAt = sqlTime(Date.now());
        await tx.run(
          `insert into processed_command (consumer_group, command_id, processed_at)
           values ${fresh.map(() => "(?, ?, ?)").join(", ")}`,
          fresh.flatMap((e) => [INDEXER_CONSUMER, e.txId, processedAt]),
        );
      }
      const out = await applyChainEvents(tx, fresh);
      await saveCheckpoint?.(tx);
      return out;
    }),
  );
  const published = latestTallies(applied);
  for (const domainEvent of published) {
    await appendEvent(deps.redis, VOTING_EVENT_DOMAIN, domainEvent, { namespace: deps.namespace ?? "" });
  }
  if (published.length) deps.onApplied?.(published);
  return published;
}

/** Plain SQL on an ORM handle's pool, one client per handle. */
const sqlClients = new WeakMap<OrmHandle, SqlClient>();
function sqlOf(orm: OrmHandle): SqlClient {
  let sql = sqlClients.get(orm);
  if (!sql) {
    sql = createSqlClient(orm);
    sqlClients.set(orm, sql);
  }
  return sql;
}

/** One event, as `projectChainEvents` applies a batch. */
export const projectChainEvent = (deps: ProjectionDeps, event: ParsedChainEvent) => projectChainEvents(deps, [event]);

/** Keeps every event but only the last `VoteTallyChanged` of each ballot, in order. */
function latestTallies(events: readonly VotingEvent[]): VotingEvent[] {
  const last = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.type === "VoteTallyChanged") last.set(e.data.ballotId, i);
  });
  return events.filter((e, i) => e.type !== "VoteTallyChanged" || last.get(e.data.ballotId) === i);
}

async function withRetries<T>(work: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const contended = isDuplicateKey(error) || isDeadlock(error);
      if (!contended || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

export interface VotingIndexerDeps extends ProjectionDeps {
  chain: ChainClient;
  /** Where to start when there is no checkpoint yet (a fresh database): the genesis block by default. */
  startBlock?: bigint;
  /** Pause before reconnecting after a failure. Default 500 ms. */
  retryDelayMs?: number;
}

export interface VotingIndexer {
  /** The check that the peer serves the chain the checkpoint belongs to (`/ready` uses it). */
  readonly guard: ChainGuard;
  dispose(): Promise<void>;
}

/**
 * Follows the chaincode's events from the MySQL checkpoint and projects those the voting read model
 * uses. Events are read ahead while the previous batch is applied, then applied together with the
 * checkpoint in one transaction, so a restarted indexer resumes exactly after the last batch it
 * finished. A failure (the stream, the database) reconnects from the checkpoint.
 */
export async function startVotingIndexer(deps: VotingIndexerDeps): Promise<VotingIndexer> {
  const checkpointer = createIndexerCheckpoint(sqlOf(deps.orm), INDEXER_CHECKPOINT);
  const guard = createChainGuard({
    chain: deps.chain,
    em: deps.orm.orm.em,
    name: INDEXER_CHECKPOINT,
    fix: VOTING_REINDEX_FIX,
    onMismatch: (error) => deps.logger.error({ reason: error.reason }, error.message),
  });
  const stop = new AbortController();
  let current: { close(): void } | undefined;
  // Checked once before the server listens, so `/ready` refuses from the start; `follow` checks
  // again before every connection (a peer that restarted may serve another chain).
  await checkpointer.reload();
  await guard.verify(checkpointer.getBlockNumber()).catch(() => {});

  async function follow(): Promise<void> {
    await checkpointer.reload();
    await guard.verify(checkpointer.getBlockNumber());
    const stream = await deps.chain.chaincodeEvents({ checkpoint: checkpointer, startBlock: deps.startBlock ?? 0n });
    current = stream;
    const queue: RawChaincodeEvent[] = [];
    let ended = false;
    let failure: unknown;
    let notify: (() => void) | undefined;
    const pump = (async () => {
      try {
        for await (const event of stream) {
          queue.push(event);
          notify?.();
        }
      } catch (error) {
        failure = error;
      } finally {
        ended = true;
        notify?.();
      }
    })();
    let lastStart = Number.NEGATIVE_INFINITY;
    try {
      while (!stop.signal.aborted) {
        if (queue.length === 0) {
          if (ended) throw failure ?? new Error("the chaincode event stream ended");
          await new Promise<void>((resolve) => {
            notify = resolve;
          });
          notify = undefined;
          continue;
        }
        const wait = lastStart + MIN_BATCH_INTERVAL_MS - performance.now();
        if (wait > 0 && queue.length < MAX_BATCH && !ended) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        lastStart = performance.now();
        const batch = queue.splice(0, MAX_BATCH);
        const last = batch.at(-1);
        const parsed = batch.map(parseChainEvent).filter((e): e is ParsedChainEvent => e !== null);
        const started = performance.now();
        await projectChainEvents(deps, parsed, async (tx) => {
          if (last) await checkpointer.save(tx, last);
        });
        if (last) checkpointer.committed(last);
        deps.logger.debug(
          {
            events: batch.length,
            applied: parsed.length,
            waiting: queue.length,
            ms: Math.round(performance.now() - started),
          },
          "indexer batch",
        );
      }
    } finally {
      stream.close();
      await pump;
    }
  }

  const done = (async () => {
    while (!stop.signal.aborted) {
      try {
        await follow();
      } catch (error) {
        if (stop.signal.aborted) break;
        // A mismatch was logged once by the guard; repeating it every half second helps no one.
        if (guard.problem() !== error)
          deps.logger.warn({ err: error }, "voting indexer failed; resuming from the checkpoint");
      }
      await new Promise((r) => setTimeout(r, deps.retryDelayMs ?? 500));
    }
  })();

  return {
    guard,
    async dispose() {
      stop.abort();
      current?.close();
      await done;
    },
  };
}
