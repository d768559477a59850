import { defineEntity, type InferEntity, p } from "@mikro-orm/core";

/**
 * A command waiting to leave the service: written in the same transaction as the business row
 * that caused it, moved to `cmd:<domain>` by the relay. `commandId` is the idempotency key.
 */
export const OutboxCommand = defineEntity({
  name: "OutboxCommand",
  tableName: "outbox",
  properties: {
    id: p.bigint("string").primary().autoincrement(),
    domain: p.string().length(64),
    type: p.string().length(128),
    commandId: p.string().length(128).unique("outbox_command_id_unique"),
    /** The command's payload as JSON text: written once, never queried into. */
    payload: p.text(),
    createdAt: p.datetime(3),
    /** Null until the relay has appended the row to its stream. */
    relayedAt: p.datetime(3).nullable(),
    /** The stream entry id the relay got back, for tracing a command end to end. */
    streamId: p.string().length(32).nullable(),
  },
  indexes: [{ name: "outbox_unrelayed_idx", properties: ["relayedAt", "id"] }],
});
export type OutboxCommand = InferEntity<typeof OutboxCommand>;

/**
 * A command (or event) a consumer group has applied. Inserted in the handler's own transaction,
 * so the handler's effects and the mark commit together: a redelivered entry finds the row and
 * is skipped, and two consumers racing on one entry cannot both commit.
 */
export const ProcessedCommand = defineEntity({
  name: "ProcessedCommand",
  tableName: "processed_command",
  properties: {
    id: p.bigint("string").primary().autoincrement(),
    consumerGroup: p.string().length(128),
    commandId: p.string().length(128),
    processedAt: p.datetime(3),
  },
  uniques: [{ name: "processed_command_group_id_unique", properties: ["consumerGroup", "commandId"] }],
});
export type ProcessedCommand = InferEntity<typeof ProcessedCommand>;

/** Tables the kit owns inside every service database; `createOrm` registers them. */
export const kitEntities = [OutboxCommand, ProcessedCommand] as const;
