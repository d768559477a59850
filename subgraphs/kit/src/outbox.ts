import type { EntityManager } from "@mikro-orm/core";
import { type Clock, systemClock } from "./clock.js";
import { OutboxCommand } from "./outbox.entity.js";

export interface CommandInput {
  /** The stream the command goes to: `cmd:<domain>`. */
  domain: string;
  /** What to do, e.g. `CastVote`; the consumer dispatches on it. */
  type: string;
  /** The idempotency key. Retrying a mutation with the same key enqueues nothing new. */
  commandId: string;
  /** JSON-serialisable data; bigints must already be decimal strings. */
  payload: unknown;
}

export interface EnqueueResult {
  command: OutboxCommand;
  /** True when a command with this id was already recorded (a retried mutation). */
  duplicate: boolean;
}

/**
 * Records a command in the caller's unit of work, so it commits (or rolls back) together with the
 * business rows: call it inside `em.transactional`. Nothing is sent here; the relay moves the row
 * to Redis after the commit.
 *
 * @returns the recorded command, or the earlier one with `duplicate: true` for a known `commandId`.
 * @throws when a concurrent transaction records the same `commandId` (unique violation at flush).
 */
export async function enqueueCommand(
  em: EntityManager,
  input: CommandInput,
  clock: Clock = systemClock,
): Promise<EnqueueResult> {
  const existing = await em.findOne(OutboxCommand, { commandId: input.commandId });
  if (existing) return { command: existing, duplicate: true };
  const command = em.create(OutboxCommand, {
    domain: input.domain,
    type: input.type,
    commandId: input.commandId,
    payload: JSON.stringify(input.payload),
    createdAt: new Date(clock.now()),
  });
  return { command, duplicate: false };
}

/**
 * Deletes relayed commands recorded before `before`, at most `limit` rows per call (small deletes
 * keep locks short). Unrelayed rows are never touched.
 * @returns how many rows it deleted.
 */
export async function purgeRelayedCommands(em: EntityManager, before: Date, limit = 1000): Promise<number> {
  const rows = await em.find(
    OutboxCommand,
    { relayedAt: { $ne: null, $lt: before } },
    { fields: ["id"], orderBy: { id: "asc" }, limit },
  );
  if (rows.length === 0) return 0;
  return em.nativeDelete(OutboxCommand, { id: { $in: rows.map((row) => row.id) } });
}
