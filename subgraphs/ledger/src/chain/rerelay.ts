import { type Clock, createSqlClient, sqlTime } from "@clearbook/kit";
import type { LedgerDatabase } from "../db/database.js";
import { LEDGER_COMMAND_DOMAIN } from "./outbox-chain.js";
import { TxStatus } from "./transactions.js";

/**
 * Marks for relaying again the ledger's commands that were relayed at least `afterMs` ago and whose
 * transaction still has no outcome (lost from Redis, or from a signer that died before acking and
 * whose entry was trimmed). The relay then appends them again under the same command id; the signer
 * is idempotent by command and transaction id, so a command that did arrive is not signed twice, and
 * its recorded outcome is published again. Only rows relayed within the last `10 × afterMs` are
 * looked at (a range of the relay's own index): each re-relay moves a row back into that range, so a
 * command keeps being re-sent every `afterMs` until it has an outcome (decision 0301).
 * @returns how many rows it marked.
 */
export async function rerelayWithoutOutcome(db: LedgerDatabase, clock: Clock, afterMs: number): Promise<number> {
  const sql = createSqlClient(db);
  const now = clock.now();
  const rows = await sql.rows<{ id: string | number }>(
    `select o.id from outbox o
      join chain_transactions t on t.tx_id = json_value(o.payload, '$.txId')
     where o.relayed_at >= ? and o.relayed_at < ? and o.domain = ? and t.status = ?
     limit 500`,
    [sqlTime(now - 10 * afterMs), sqlTime(now - afterMs), LEDGER_COMMAND_DOMAIN, TxStatus.PENDING],
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
