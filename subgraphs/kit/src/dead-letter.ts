import type { Redis } from "ioredis";
import { parseEntryList, StreamKind, streamKey } from "./streams.js";

/** A dead-lettered command as an admin queue shows it. */
export interface DeadLetter {
  /** The entry id in `dlq:<domain>`. */
  id: string;
  commandId: string;
  type: string;
  reason: string;
  attempts: number;
  consumer: string;
  failedAt: number;
  /** The original command fields (`id`, `type`, `payload`, `at`, and `svc`, `sig` when signed), for a retry. */
  command: Record<string, string>;
}

/** The command's own fields, with its producer's signature (decision 0360), so a retry is still authentic. */
const COMMAND_FIELDS = ["id", "type", "payload", "at", "svc", "sig"] as const;

function toDeadLetter(id: string, fields: Record<string, string>): DeadLetter {
  const command: Record<string, string> = {};
  for (const name of COMMAND_FIELDS) if (fields[name] !== undefined) command[name] = fields[name];
  return {
    id,
    commandId: fields.commandId || fields.id || "",
    type: fields.type ?? "",
    reason: fields.reason ?? "",
    attempts: Number(fields.attempts ?? 0),
    consumer: fields.consumer ?? "",
    failedAt: Number(fields.failedAt ?? 0),
    command,
  };
}

/** Lists dead letters of a domain, oldest first. */
export async function listDeadLetters(
  redis: Redis,
  domain: string,
  options: { count?: number; after?: string; namespace?: string } = {},
): Promise<DeadLetter[]> {
  const start = options.after ? `(${options.after}` : "-";
  const reply = await redis.xrange(
    streamKey(StreamKind.deadLetter, domain, options.namespace),
    start,
    "+",
    "COUNT",
    options.count ?? 100,
  );
  return parseEntryList(reply).flatMap((entry) => (entry.fields ? [toDeadLetter(entry.id, entry.fields)] : []));
}

/**
 * Puts a dead-lettered command back on `cmd:<domain>` (same command id, so a handler that already
 * applied it skips it) and removes it from the dead-letter stream, atomically.
 * @returns the new command entry id, or null when no such dead letter exists.
 */
export async function retryDeadLetter(
  redis: Redis,
  domain: string,
  id: string,
  options: { namespace?: string } = {},
): Promise<string | null> {
  const dlq = streamKey(StreamKind.deadLetter, domain, options.namespace);
  const [found] = parseEntryList(await redis.xrange(dlq, id, id));
  if (!found?.fields) return null;
  const letter = toDeadLetter(found.id, found.fields);
  const result = await redis
    .multi()
    .xadd(streamKey(StreamKind.command, domain, options.namespace), "*", ...Object.entries(letter.command).flat())
    .xdel(dlq, id)
    .exec();
  const added = result?.[0]?.[1];
  return typeof added === "string" ? added : null;
}

/** Drops a dead letter for good. @returns whether it existed. */
export async function discardDeadLetter(
  redis: Redis,
  domain: string,
  id: string,
  options: { namespace?: string } = {},
): Promise<boolean> {
  return (await redis.xdel(streamKey(StreamKind.deadLetter, domain, options.namespace), id)) === 1;
}
