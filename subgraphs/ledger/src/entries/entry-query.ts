import { errors } from "@clearbook/kit";
import type { EntityManager, FilterQuery } from "@mikro-orm/mariadb";
import { type LedgerEntry, LedgerEntryEntity } from "../db/ledger-entry.entity.js";

export interface EntryFilter {
  kind?: string | null;
  status?: string | null;
  year?: number | null;
  semester?: number | null;
}

export interface EntryPage {
  edges: { node: LedgerEntry; cursor: string }[];
  hasNextPage: boolean;
  endCursor: string | null;
  totalCount: number;
}

/** Opaque cursor: the position (createdAt, id) of the last entry seen, newest first. */
export function encodeCursor(entry: Pick<LedgerEntry, "createdAt" | "id">): string {
  return Buffer.from(JSON.stringify([entry.createdAt.getTime(), entry.id])).toString("base64url");
}

/** @throws BAD_USER_INPUT for a cursor this service did not make. */
export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && typeof value[0] === "number" && typeof value[1] === "string") {
      return { at: new Date(value[0]), id: value[1] };
    }
  } catch {
    // fall through
  }
  throw errors.badInput("The cursor is not valid.", "after");
}

/** One page of an organization's entries, newest first, with keyset pagination. */
export async function listEntries(
  em: EntityManager,
  orgId: string,
  filter: EntryFilter,
  first: number,
  after: string | null,
): Promise<EntryPage> {
  if (!Number.isInteger(first) || first < 1 || first > 100)
    throw errors.badInput("first must be between 1 and 100.", "first");
  const where: FilterQuery<LedgerEntry> = { orgId };
  if (filter.kind) where.kind = filter.kind;
  if (filter.status) where.status = filter.status;
  if (filter.year != null) where.year = filter.year;
  if (filter.semester != null) where.semester = filter.semester;
  const totalCount = await em.count(LedgerEntryEntity, where);
  const page: FilterQuery<LedgerEntry> = after
    ? (() => {
        const c = decodeCursor(after);
        return { ...where, $or: [{ createdAt: { $lt: c.at } }, { createdAt: c.at, id: { $lt: c.id } }] };
      })()
    : where;
  const rows = await em.find(LedgerEntryEntity, page, { orderBy: { createdAt: "desc", id: "desc" }, limit: first + 1 });
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(node) }));
  return { edges, hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null, totalCount };
}

/** Every entry of an organization in a year (and semester), oldest first, for the CSV export. */
export function booksOf(
  em: EntityManager,
  orgId: string,
  year: number,
  semester: number | null,
): Promise<LedgerEntry[]> {
  const where: FilterQuery<LedgerEntry> = { orgId, year };
  if (semester !== null) where.semester = semester;
  return em.find(LedgerEntryEntity, where, { orderBy: { createdAt: "asc", id: "asc" } });
}
