import { z } from "zod";

/** The event streams the realtime layer tails, one per owning domain (`evt:<domain>`). */
export const EventDomain = {
  ledger: "ledger",
  voting: "voting",
  chain: "chain",
  wallet: "wallet",
  marketplace: "marketplace",
  withdrawal: "withdrawal",
} as const;
export type EventDomain = (typeof EventDomain)[keyof typeof EventDomain];

/** Event types that drive subscriptions. */
export const EventType = {
  VoteTallyChanged: "VoteTallyChanged",
  BallotClosed: "BallotClosed",
  LedgerEntryChanged: "LedgerEntryChanged",
  TransactionCommitted: "TransactionCommitted",
  TransactionRejected: "TransactionRejected",
  WalletActivity: "WalletActivity",
  OrderUpdated: "OrderUpdated",
  DropStockChanged: "DropStockChanged",
  WithdrawalStatusChanged: "WithdrawalStatusChanged",
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export const streamKey = (prefix: string, domain: EventDomain): string => `${prefix}evt:${domain}`;

/** One entry of an `evt:*` stream, parsed. `data` keeps only its string and number fields. */
export interface DomainEvent {
  domain: EventDomain;
  /** The stream entry id; clients resume from it. */
  id: string;
  type: string;
  data: Readonly<Record<string, string>>;
  /** When the indexer appended it, ms since the epoch. */
  at: number;
}

const entrySchema = z.object({
  type: z.string().min(1),
  data: z.string(),
  at: z.coerce.number().int().nonnegative(),
});
const dataSchema = z.record(z.string(), z.unknown());

/**
 * Parses a raw stream entry (`type <EventType> data <json> at <ms>`, as the kit's `appendEvent` writes it).
 * @returns the event, or null for an entry that does not have that shape (logged and skipped by the caller).
 */
export function parseStreamEntry(
  domain: EventDomain,
  id: string,
  fields: readonly string[] | null,
): DomainEvent | null {
  if (!fields) return null;
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]!] = fields[i + 1]!;
  const entry = entrySchema.safeParse(record);
  if (!entry.success) return null;
  let json: unknown;
  try {
    json = JSON.parse(entry.data.data);
  } catch {
    return null;
  }
  const parsed = dataSchema.safeParse(json);
  if (!parsed.success) return null;
  const data: Record<string, string> = {};
  // Ids are matched as strings; numbers (block numbers, counters) are kept in their decimal form.
  for (const [key, value] of Object.entries(parsed.data)) {
    if (typeof value === "string") data[key] = value;
    else if (typeof value === "number" || typeof value === "bigint") data[key] = String(value);
  }
  return { domain, id, type: entry.data.type, data, at: entry.data.at };
}

/** Stream ids compare as `<ms>-<seq>` pairs. */
export function compareStreamIds(a: string, b: string): number {
  const [am = "0", as = "0"] = a.split("-");
  const [bm = "0", bs = "0"] = b.split("-");
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

const streamIdPattern = /^\d{1,20}-\d{1,20}$/;
export const isStreamId = (value: unknown): value is string => typeof value === "string" && streamIdPattern.test(value);
