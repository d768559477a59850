import type { RawStreamEntry } from "./streams.js";

/**
 * A handler error that retrying cannot fix (a malformed command, a rule the chain will always
 * refuse). The consumer sends the entry to the dead-letter stream at once instead of retrying.
 */
export class PermanentError extends Error {
  override readonly name = "PermanentError";
}

/** A command as read from `cmd:<domain>` (written by the outbox relay). */
export interface CommandEnvelope {
  /** The stream entry id. */
  entryId: string;
  /** The idempotency key. */
  commandId: string;
  type: string;
  payload: unknown;
  /** When the command was recorded, ms since the epoch. */
  at: number;
  /** The service that signed the entry (`svc`), when signed; trust it only after verifying (decision 0360). */
  producer?: string;
}

/**
 * Parses a command stream entry.
 * @throws PermanentError when a field is missing or the payload is not JSON (no retry can fix it).
 */
export function parseCommandEntry(entry: { id: string; fields: Record<string, string> }): CommandEnvelope {
  const { id, type, payload, at } = entry.fields;
  if (!id || !type || payload === undefined || !at) {
    throw new PermanentError(`command entry ${entry.id} lacks one of id, type, payload, at`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw new PermanentError(`command entry ${entry.id} has a payload that is not JSON`);
  }
  const ms = Number(at);
  if (!Number.isSafeInteger(ms)) throw new PermanentError(`command entry ${entry.id} has a bad "at"`);
  const envelope: CommandEnvelope = { entryId: entry.id, commandId: id, type, payload: parsed, at: ms };
  if (entry.fields.svc) envelope.producer = entry.fields.svc;
  return envelope;
}

/** Entries with their fields; deleted entries (null fields) never reach a parser. */
export type LiveStreamEntry = RawStreamEntry & { fields: Record<string, string> };
