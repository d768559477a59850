import type { LedgerEntry } from "../api/documents.js";
import type { ClearbookContext } from "../shared/context.js";
import { fail } from "../shared/errors.js";
import { KeyType } from "../shared/keys.js";

export async function getEntry(ctx: ClearbookContext, entryId: string): Promise<LedgerEntry> {
  const entry = await ctx.read(KeyType.ENTRY, entryId);
  if (!entry) throw fail.notFound("entry", entryId);
  return entry;
}
