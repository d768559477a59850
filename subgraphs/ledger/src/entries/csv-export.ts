import type { LedgerEntry } from "../db/ledger-entry.entity.js";

const HEADER = [
  "entry_id",
  "created_at",
  "kind",
  "status",
  "event_name",
  "year",
  "semester",
  "amount",
  "submitted_by",
  "decided_by",
  "tx_id",
  "evidence_sha256",
];

/**
 * RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. A value a
 * spreadsheet would run as a formula (starting with =, +, -, @, tab or CR, as OWASP lists them) gets
 * a leading apostrophe first (a negative integer stays a number): event names are member input, and the export is opened in Excel.
 */
export function csvField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) && !/^-\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(inert) ? `"${inert.replaceAll('"', '""')}"` : inert;
}

/**
 * An organization's books as CSV (RFC 4180: CRLF line ends, header row). Amounts are integers of
 * minor units; evidence hashes are joined with spaces so anyone can check each file.
 */
export function booksCsv(entries: LedgerEntry[], evidenceHashes: Map<string, string>): string {
  const lines = [HEADER.join(",")];
  for (const e of entries) {
    lines.push(
      [
        e.id,
        e.createdAt.toISOString(),
        e.kind,
        e.status,
        e.eventName,
        String(e.year),
        String(e.semester),
        e.amount.toString(),
        e.submittedBy,
        e.decidedBy ?? "",
        e.txId ?? "",
        e.evidenceIds.map((id) => evidenceHashes.get(id) ?? "").join(" "),
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
