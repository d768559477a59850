import { type Clock, createSqlClient, type Logger, type OrmHandle, sqlTime } from "@clearbook/kit";
import { CAST_VOTE, COMMAND_DOMAIN } from "./outbox-voting-commands.js";

/**
 * Marks for relaying again the votes that were relayed at least `afterMs` ago and are still PENDING
 * (their entry was lost with Redis: flushed, or trimmed before the signer read it). The relay appends
 * them again under the same command id (the transaction id); the signer is idempotent by it, so a
 * vote that did arrive is not signed twice and its recorded outcome is published again. Only rows
 * relayed within the last `10 × afterMs` are looked at, as the ledger's (decision 0301, 0382).
 * @returns how many rows it marked.
 */
export async function rerelayPendingVotes(orm: OrmHandle, clock: Clock, afterMs: number): Promise<number> {
  const sql = createSqlClient(orm);
  const now = clock.now();
  const rows = await sql.rows<{ id: string | number }>(
    `select o.id from outbox o join vote v on v.tx_id = o.command_id
      where o.relayed_at >= ? and o.relayed_at < ? and o.domain = ? and o.type = ? and v.status = 'PENDING'
      limit 500`,
    [sqlTime(now - 10 * afterMs), sqlTime(now - afterMs), COMMAND_DOMAIN, CAST_VOTE],
  );
  if (rows.length === 0) return 0;
  const ids = rows.map((row) => row.id);
  const { affectedRows } = await sql.run(
    `update outbox set relayed_at = null, stream_id = null
      where id in (${ids.map(() => "?").join(", ")}) and relayed_at < ?`,
    [...ids, sqlTime(now - afterMs)],
  );
  return affectedRows;
}

/** Runs `rerelayPendingVotes` every `afterMs / 2`; `onMarked` wakes the relay. */
export function startVoteRerelay(deps: {
  orm: OrmHandle;
  clock: Clock;
  afterMs: number;
  logger?: Logger;
  onMarked: () => void;
}): { name: string; dispose(): Promise<void> } {
  let running: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (running) return;
      running = rerelayPendingVotes(deps.orm, deps.clock, deps.afterMs)
        .then((marked) => {
          if (marked === 0) return;
          deps.logger?.warn({ marked }, "votes without an outcome relayed again");
          deps.onMarked();
        })
        .catch((error: unknown) => deps.logger?.error({ err: error }, "re-relaying pending votes failed"))
        .finally(() => {
          running = undefined;
        });
    },
    Math.max(100, Math.floor(deps.afterMs / 2)),
  );
  timer.unref();
  return {
    name: "vote re-relay",
    async dispose() {
      clearInterval(timer);
      await running;
    },
  };
}
