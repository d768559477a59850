import type { Redis } from "ioredis";
import { z } from "zod";
import { type Clock, systemClock } from "./clock.js";
import { trimStream } from "./stream-trim.js";
import { StreamKind, streamKey } from "./streams.js";

/** Payload schemas of the domain events every service may emit. Services add theirs with `defineEvents`. */
export const coreEventSchemas = {
  LedgerEntryChanged: z.object({ orgId: z.string().min(1), entryId: z.string().min(1) }),
  TransactionCommitted: z.object({
    txId: z.string().min(1),
    blockNumber: z.string().regex(/^\d+$/),
    validationCode: z.string().min(1),
    function: z.string().min(1),
  }),
  TransactionRejected: z.object({
    txId: z.string().min(1),
    blockNumber: z.string().regex(/^\d+$/),
    validationCode: z.string().min(1),
    function: z.string().min(1),
    reason: z.string(),
  }),
  VoteTallyChanged: z.object({
    ballotId: z.string().min(1),
    orgId: z.string().min(1),
    approve: z.number().int().nonnegative(),
    reject: z.number().int().nonnegative(),
    eligible: z.number().int().nonnegative(),
    /** ISO-8601 UTC, as the API's DateTime. */
    updatedAt: z.iso.datetime(),
  }),
  BallotClosed: z.object({
    ballotId: z.string().min(1),
    orgId: z.string().min(1),
    status: z.string().min(1),
  }),
} as const;

export type EventSchemas = Record<string, z.ZodType>;
export type CoreEventSchemas = typeof coreEventSchemas;

/** `{ type, data }` for one event type of a registry, as a union over all its types. */
export type DomainEvent<S extends EventSchemas = CoreEventSchemas> = {
  [K in keyof S & string]: { type: K; data: z.output<S[K]> };
}[keyof S & string];

/** An event read back from `evt:<domain>`: its stream id and the time it was appended. */
export type StoredEvent<S extends EventSchemas = CoreEventSchemas> = DomainEvent<S> & { id: string; at: number };

/** An event the registry does not know, or whose data does not match its schema. */
export class EventParseError extends Error {
  override readonly name = "EventParseError";
}

export interface EventRegistry<S extends EventSchemas> {
  readonly schemas: S;
  /** Event type names, e.g. for matching subscriptions. */
  readonly types: ReadonlyArray<keyof S & string>;
  /**
   * Parses stream entry fields (`type`, `data` JSON, `at`).
   * @throws EventParseError for deleted entries, unknown types and bad payloads.
   */
  parse(id: string, fields: Record<string, string> | null): StoredEvent<S>;
}

/** Builds a registry; extend the core one with `defineEvents({ ...coreEventSchemas, MyEvent: schema })`. */
export function defineEvents<S extends EventSchemas>(schemas: S): EventRegistry<S> {
  return {
    schemas,
    types: Object.keys(schemas),
    parse(id, fields) {
      if (!fields) throw new EventParseError(`event ${id} was deleted`);
      const { type, data, at } = fields;
      const schema = type === undefined ? undefined : schemas[type];
      if (!type || !schema) throw new EventParseError(`event ${id} has unknown type ${JSON.stringify(type)}`);
      let json: unknown;
      try {
        json = JSON.parse(data ?? "");
      } catch {
        throw new EventParseError(`event ${id} (${type}) has data that is not JSON`);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new EventParseError(`event ${id} (${type}) has bad data: ${parsed.error.message}`);
      // The generic union cannot be narrowed from a runtime key; the schema above checked it.
      return { id, at: Number(at), type, data: parsed.data } as StoredEvent<S>;
    },
  };
}

export const coreEvents = defineEvents(coreEventSchemas);

/** Parses a core event; for a service's own events use its registry's `parse`. */
export function parseEvent(id: string, fields: Record<string, string> | null): StoredEvent<CoreEventSchemas> {
  return coreEvents.parse(id, fields);
}

export interface AppendEventOptions<S extends EventSchemas> {
  registry?: EventRegistry<S>;
  /**
   * Stream length kept for readers without a group (the gateway's tailers). Entries a consumer group
   * has not read or acknowledged are kept beyond it (decision 0380). Default 10 000.
   */
  maxLen?: number;
  /**
   * Called when consumer groups hold the stream above `maxLen` (they have fallen behind): the alert
   * hook. Throwing is ignored.
   */
  onGroupsBehind?: (info: { stream: string; groups: string[] }) => void;
  /** Key prefix for tests (`test:<pkg>:`). */
  namespace?: string;
  clock?: Clock;
}

/**
 * Validates an event against its schema and appends it (`XADD evt:<domain> * type <type> data <json> at <ms>`).
 * Once the stream is a little past `maxLen` it is trimmed back, never past an entry a consumer group
 * still needs (`trimStream`).
 * @returns the stream entry id.
 * @throws EventParseError when the data does not match the type's schema (nothing is appended).
 */
export async function appendEvent<S extends EventSchemas = CoreEventSchemas>(
  redis: Redis,
  domain: string,
  event: NoInfer<DomainEvent<S>>,
  options: AppendEventOptions<S> = {},
): Promise<string> {
  const registry = options.registry ?? (coreEvents as unknown as EventRegistry<S>);
  const schema = registry.schemas[event.type];
  if (!schema) throw new EventParseError(`unknown event type ${event.type}`);
  const checked = schema.safeParse(event.data);
  if (!checked.success) throw new EventParseError(`event ${event.type} has bad data: ${checked.error.message}`);
  const stream = streamKey(StreamKind.event, domain, options.namespace);
  const maxLen = options.maxLen ?? 10_000;
  const replies = await redis
    .pipeline()
    .xadd(
      stream,
      "*",
      "type",
      event.type,
      "data",
      JSON.stringify(checked.data),
      "at",
      String((options.clock ?? systemClock).now()),
    )
    .xlen(stream)
    .exec();
  const [added, length] = replies ?? [];
  if (added?.[0]) throw added[0];
  const id = added?.[1];
  if (typeof id !== "string") throw new Error("XADD returned no id");
  // Trimming costs a few commands, so it runs once per `slack` appends rather than on each (as `MAXLEN ~` did).
  const slack = Math.max(1, Math.min(1000, Math.floor(maxLen / 10)));
  if (Number(length?.[1] ?? 0) > maxLen + slack) {
    const { heldBy } = await trimStream(redis, stream, { keep: maxLen, withoutGroups: "cap" });
    if (heldBy.length > 0) {
      try {
        options.onGroupsBehind?.({ stream, groups: heldBy });
      } catch {}
    }
  }
  return id;
}
