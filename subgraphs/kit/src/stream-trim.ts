import type { Redis } from "ioredis";

/**
 * Trimming that never drops an entry a consumer group still needs (issue 16, decision 0380).
 *
 * A group needs every entry it has not been delivered yet (after its `last-delivered-id`) and every
 * entry it was delivered but has not acknowledged (its pending list). The oldest such entry is the
 * group's floor; the stream may be cut only below the lowest floor of all its groups.
 */

/** Compares two stream ids (`ms-seq`) numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split("-").map((part) => BigInt(part));
  const [bm = 0n, bs = 0n] = b.split("-").map((part) => BigInt(part));
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

/** The id right after `id`: trimming with `MINID` of it removes `id` and everything older. */
export function nextStreamId(id: string): string {
  const [ms = "0", seq = "0"] = id.split("-");
  return `${ms}-${BigInt(seq) + 1n}`;
}

export interface GroupPosition {
  name: string;
  /** The oldest entry the group still needs: its oldest pending entry, else the one after its last delivery. */
  floor: string;
  pending: number;
}

function recordOf(row: unknown): Record<string, unknown> {
  if (Array.isArray(row)) {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i + 1 < row.length; i += 2) fields[String(row[i])] = row[i + 1];
    return fields;
  }
  return row !== null && typeof row === "object" ? { ...row } : {};
}

/** Where each consumer group of `stream` stands (XINFO GROUPS, and XPENDING for groups with pending entries). */
export async function groupPositions(redis: Redis, stream: string): Promise<GroupPosition[]> {
  let rows: unknown;
  try {
    rows = await redis.xinfo("GROUPS", stream);
  } catch (error) {
    // No stream, no groups.
    if (error instanceof Error && /no such key/i.test(error.message)) return [];
    throw error;
  }
  if (!Array.isArray(rows)) return [];
  const positions: GroupPosition[] = [];
  for (const row of rows) {
    const fields = recordOf(row);
    if (fields.name === undefined) continue;
    const name = String(fields.name);
    const pending = Number(fields.pending ?? 0);
    let floor = nextStreamId(String(fields["last-delivered-id"] ?? "0-0"));
    if (pending > 0) {
      const summary: unknown = await redis.xpending(stream, name);
      const oldest = Array.isArray(summary) ? summary[1] : undefined;
      if (oldest !== null && oldest !== undefined && compareStreamIds(String(oldest), floor) < 0)
        floor = String(oldest);
    }
    positions.push({ name, floor, pending });
  }
  return positions;
}

export interface TrimOptions {
  /**
   * Entries to keep at least (for readers without a group: the gateway's tailers resume from them).
   * 0 keeps none beyond what the groups still need, as for command streams.
   */
  keep: number;
  /**
   * What to do with a stream that has no consumer group: `cap` trims it to `keep` (event streams,
   * read with XREAD); `keep` leaves it alone (command streams: nobody has read them yet).
   */
  withoutGroups: "cap" | "keep";
}

export interface TrimResult {
  /** Entries removed. */
  removed: number;
  /** Groups whose floor kept the stream above `keep` (they have fallen behind); empty when none. */
  heldBy: string[];
}

/**
 * Trims `stream` to `keep` entries, but never past the oldest entry a consumer group still needs.
 * Safe to run concurrently and repeatedly (`XTRIM MINID` by id).
 */
export async function trimStream(redis: Redis, stream: string, options: TrimOptions): Promise<TrimResult> {
  const length = await redis.xlen(stream);
  if (length === 0) return { removed: 0, heldBy: [] };
  // The first entry to keep by length alone; undefined when the length is within `keep`.
  let capFloor: string | undefined;
  if (length > options.keep) {
    if (options.keep === 0) {
      const last = await redis.xrevrange(stream, "+", "-", "COUNT", 1);
      const lastId = last[0]?.[0];
      if (lastId !== undefined) capFloor = nextStreamId(lastId);
    } else {
      const excess = length - options.keep;
      const head = await redis.xrange(stream, "-", "+", "COUNT", excess + 1);
      capFloor = head[excess]?.[0];
    }
  }
  if (capFloor === undefined) return { removed: 0, heldBy: [] };
  const groups = await groupPositions(redis, stream);
  if (groups.length === 0 && options.withoutGroups === "keep") return { removed: 0, heldBy: [] };
  let floor = capFloor;
  const heldBy: string[] = [];
  for (const group of groups) {
    if (compareStreamIds(group.floor, capFloor) < 0) {
      heldBy.push(group.name);
      if (compareStreamIds(group.floor, floor) < 0) floor = group.floor;
    }
  }
  const removed = Number(await redis.xtrim(stream, "MINID", floor));
  return { removed, heldBy: options.keep > 0 ? heldBy : [] };
}
