/**
 * Redis Stream names, from one table: commands travel on `cmd:<domain>`, domain events on
 * `evt:<domain>`, and commands that could not be handled rest on `dlq:<domain>`.
 */
export const StreamKind = {
  command: "cmd",
  event: "evt",
  deadLetter: "dlq",
} as const;
export type StreamKind = (typeof StreamKind)[keyof typeof StreamKind];

/**
 * The key of a stream. `namespace` prefixes every key a component touches; production leaves it
 * empty, tests pass `test:<pkg>:` so parallel packages never share a stream.
 */
export function streamKey(kind: StreamKind, domain: string, namespace = ""): string {
  return `${namespace}${kind}:${domain}`;
}

/** One stream entry as read from Redis. `fields` is null when the entry was deleted (XDEL/trim). */
export interface RawStreamEntry {
  id: string;
  fields: Record<string, string> | null;
}

function fieldsOf(value: unknown): Record<string, string> | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) throw new TypeError("stream entry fields are not an array");
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < value.length; i += 2) {
    const key: unknown = value[i];
    const field: unknown = value[i + 1];
    fields[String(key)] = Buffer.isBuffer(field) ? field.toString("utf8") : String(field);
  }
  return fields;
}

/** Parses `[[id, [field, value, …] | null], …]`, the entry list of XRANGE, XREADGROUP and XAUTOCLAIM. */
export function parseEntryList(value: unknown): RawStreamEntry[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError("stream entry list is not an array");
  return value.map((item: unknown): RawStreamEntry => {
    if (!Array.isArray(item) || item.length < 2) throw new TypeError("stream entry is not an [id, fields] pair");
    return { id: String(item[0]), fields: fieldsOf(item[1]) };
  });
}

/**
 * Parses an XREAD/XREADGROUP reply for one stream. An empty blocking read is `null`. RESP3 may
 * answer a map (`{stream: entries}`) where RESP2 answers `[[stream, entries]]`; both are accepted.
 */
export function parseReadReply(value: unknown): RawStreamEntry[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    const entries: RawStreamEntry[] = [];
    for (const pair of value) {
      if (!Array.isArray(pair) || pair.length < 2) throw new TypeError("stream read reply is not [stream, entries]");
      entries.push(...parseEntryList(pair[1]));
    }
    return entries;
  }
  if (typeof value === "object") return Object.values(value).flatMap((entries: unknown) => parseEntryList(entries));
  throw new TypeError("unexpected stream read reply");
}

/** Parses XAUTOCLAIM's `[nextId, entries, deletedIds]`. */
export function parseAutoClaimReply(value: unknown): { next: string; entries: RawStreamEntry[]; deleted: string[] } {
  if (!Array.isArray(value) || value.length < 2) throw new TypeError("unexpected XAUTOCLAIM reply");
  const deleted: unknown = value[2];
  return {
    next: String(value[0]),
    entries: parseEntryList(value[1]),
    deleted: Array.isArray(deleted) ? deleted.map(String) : [],
  };
}

/** Parses the extended XPENDING form: `[[id, consumer, idleMs, deliveries], …]` → deliveries by id. */
export function parseDeliveryCounts(value: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(value)) return counts;
  for (const row of value) {
    if (Array.isArray(row) && row.length >= 4) counts.set(String(row[0]), Number(row[3]));
  }
  return counts;
}
