import type { SqlExecutor } from "@clearbook/kit";
import { createBatcher } from "./batcher.js";
import type { SignedTxStatus } from "./signed-tx.entity.js";

/** A `signed_tx` row as the submission service uses it (see `SignedTx` for the schema). */
export interface SignedTxRow {
  commandId: string;
  userId: string;
  txId: string;
  originalTxId: string;
  transaction: string;
  envelope: Uint8Array | null;
  status: SignedTxStatus;
  block: bigint | null;
  validationCode: number | null;
  reason: string | null;
  attempts: number;
}

/** Reads and writes `signed_tx`; concurrent calls are batched into single statements. */
export interface SignedTxStore {
  find(commandId: string): Promise<SignedTxRow | undefined>;
  /** Inserts or replaces the command's row; resolves once it is committed. */
  save(row: SignedTxRow): Promise<void>;
  /**
   * Deletes the rows of decided commands (every status but `SIGNED`) last written before `before`,
   * `batch` rows per statement; `SIGNED` rows stay until their command is decided. A row only matters
   * while its command can be delivered again (decision 0206).
   * @returns how many rows were deleted.
   */
  prune(before: Date, batch?: number): Promise<number>;
  /** Statements sent and rows they carried so far (each statement is its own commit). */
  stats(): { statements: number; rows: number };
}

const COLUMNS = [
  "command_id",
  "user_id",
  "tx_id",
  "original_tx_id",
  "transaction",
  "envelope",
  "status",
  "block",
  "validation_code",
  "reason",
  "attempts",
  "updated_at",
] as const;

/**
 * The envelope travels as base64 text that MariaDB decodes: mysql2's text protocol would otherwise send
 * a Buffer as a hex literal, twice its size. Writing those statements into the socket was the signer's
 * largest cost after its signatures (7.5 % of its CPU in bench:chain); base64 sends a third fewer bytes
 * and formats faster (docs/performance/0160). `from_base64(null)` is null.
 */
const ENVELOPE_PLACEHOLDER = "from_base64(?)";

function parseRow(raw: Record<string, unknown>): SignedTxRow {
  const envelope = raw.envelope;
  return {
    commandId: String(raw.command_id),
    userId: String(raw.user_id),
    txId: String(raw.tx_id),
    originalTxId: String(raw.original_tx_id),
    transaction: String(raw.transaction),
    envelope: envelope instanceof Uint8Array ? envelope : null,
    status: String(raw.status) as SignedTxStatus,
    block: raw.block === null || raw.block === undefined ? null : BigInt(String(raw.block)),
    validationCode:
      raw.validation_code === null || raw.validation_code === undefined ? null : Number(raw.validation_code),
    reason: raw.reason === null || raw.reason === undefined ? null : String(raw.reason),
    attempts: Number(raw.attempts),
  };
}

/**
 * A store over plain SQL (the kit's `SqlExecutor` on the signer's pool): the ORM's unit of work costs
 * more CPU than these three statements need, and batching needs multi-row statements anyway.
 */
export function createSignedTxStore(sql: SqlExecutor, options: { maxBatch?: number } = {}): SignedTxStore {
  const maxItems = options.maxBatch ?? 200;
  const counts = { statements: 0, rows: 0 };
  const count = (rows: number) => {
    counts.statements += 1;
    counts.rows += rows;
  };

  const find = createBatcher<string, SignedTxRow | undefined>(
    async (ids) => {
      const unique = [...new Set(ids)];
      count(unique.length);
      const rows = await sql.rows<Record<string, unknown>>(
        `select ${COLUMNS.join(", ")} from signed_tx where command_id in (${unique.map(() => "?").join(", ")})`,
        unique,
      );
      const byId = new Map(rows.map((raw) => [String(raw.command_id), parseRow(raw)]));
      return ids.map((id) => byId.get(id));
    },
    { maxItems },
  );

  const save = createBatcher<SignedTxRow, void>(
    async (rows) => {
      // The last write for a command in one batch wins, as it would have sequentially.
      const latest = [...new Map(rows.map((row) => [row.commandId, row])).values()];
      const now = new Date();
      const values = latest.flatMap((row) => [
        row.commandId,
        row.userId,
        row.txId,
        row.originalTxId,
        row.transaction,
        // Base64, decoded by the server (`from_base64`, see ENVELOPE_PLACEHOLDER).
        row.envelope
          ? Buffer.from(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength).toString("base64")
          : null,
        row.status,
        row.block === null ? null : row.block.toString(),
        row.validationCode,
        row.reason,
        row.attempts,
        now,
      ]);
      const updates = COLUMNS.filter((c) => c !== "command_id").map((c) => `${c} = values(${c})`);
      count(latest.length);
      await sql.run(
        `insert into signed_tx (${COLUMNS.join(", ")}) values ${latest
          .map(() => `(${COLUMNS.map((c) => (c === "envelope" ? ENVELOPE_PLACEHOLDER : "?")).join(", ")})`)
          .join(", ")} on duplicate key update ${updates.join(", ")}`,
        values,
      );
      return rows.map(() => undefined);
    },
    { maxItems },
  );

  const prune = async (before: Date, batch = 1000): Promise<number> => {
    let deleted = 0;
    for (;;) {
      // `signed_tx_updated_at_idx` keeps each statement to the rows it deletes.
      const result = await sql.run(
        "delete from signed_tx where updated_at < ? and status <> 'SIGNED' order by updated_at limit ?",
        [before, batch],
      );
      deleted += result.affectedRows;
      if (result.affectedRows < batch) return deleted;
    }
  };

  return { find, save, prune, stats: () => ({ ...counts }) };
}
