import { appendEvent, type Clock, coreEventSchemas, type DomainEvent, defineEvents, type Redis } from "@clearbook/kit";
import { z } from "zod";

/**
 * What the signer appends to `evt:chain`. The kit's core `TransactionCommitted`/`TransactionRejected`
 * fields come first (a service parsing with the core registry reads those), extended with the
 * command id and the tx id the service announced, so a service can match the outcome to its row.
 */
export const chainEventSchemas = {
  ...coreEventSchemas,
  TransactionCommitted: coreEventSchemas.TransactionCommitted.extend({
    commandId: z.string().min(1),
    userId: z.string().min(1),
    /** The id the service announced; differs from `txId` after an MVCC retry. */
    originalTxId: z.string().min(1),
    attempts: z.number().int().positive(),
    /** The transaction function's JSON result, as text ("" when replayed from the record). */
    result: z.string(),
  }),
  TransactionRejected: coreEventSchemas.TransactionRejected.extend({
    commandId: z.string().min(1),
    userId: z.string().min(1),
    originalTxId: z.string(),
    attempts: z.number().int().nonnegative(),
    /** False when the chaincode refused at endorsement: nothing reached a block (`blockNumber` is "0"). */
    inBlock: z.boolean(),
    message: z.string(),
  }),
  IdentityEnrolled: z.object({
    commandId: z.string().min(1),
    userId: z.string().min(1),
    mspId: z.string().min(1),
    role: z.string().min(1),
    certPem: z.string().min(1),
  }),
} as const;

/** The registry to parse `evt:chain` entries with. */
export const chainEvents = defineEvents(chainEventSchemas);
export type ChainOutcome = DomainEvent<typeof chainEventSchemas>;

/** `validationCode` of a transaction the chaincode refused at endorsement (never ordered). */
export const NOT_ENDORSED = "NOT_ENDORSED";

/** Appends outcomes where services will see them. Throwing leaves the command pending (it is retried). */
export type OutcomePublisher = (outcome: ChainOutcome) => Promise<void>;

/** Publishes through the kit's `appendEvent` to `evt:chain`, checked against `chainEventSchemas`. */
export function createRedisOutcomePublisher(
  redis: Redis,
  options: {
    namespace?: string;
    /** Entries kept for readers without a group; groups' unread entries are kept beyond it. Default 100 000. */
    maxLen?: number;
    clock?: Clock;
    /** Told when consumer groups (the services' outcome consumers) hold `evt:chain` above `maxLen`. */
    onGroupsBehind?: (info: { stream: string; groups: string[] }) => void;
  } = {},
): OutcomePublisher {
  return async (outcome) => {
    await appendEvent(redis, "chain", outcome, {
      registry: chainEvents,
      maxLen: options.maxLen ?? 100_000,
      ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onGroupsBehind ? { onGroupsBehind: options.onGroupsBehind } : {}),
    });
  };
}
