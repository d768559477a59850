import {
  type Clock,
  createStreamConsumer,
  type Logger,
  type Redis,
  type StreamConsumer,
  StreamKind,
  streamKey,
} from "@clearbook/kit";
import { z } from "zod";
import { TxStatus } from "../chain/transactions.js";
import { ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import type { LedgerDatabase } from "../db/database.js";
import { FabricIdentityEntity } from "../db/fabric-identity.entity.js";
import { UserEntity } from "../db/user.entity.js";
import { applyRejection, type LedgerEntryChanged } from "./projection.js";

/** What the ledger reads from the signer's `evt:chain` (a subset of its fields; decisions 0042/0043). */
const outcomeSchemas = {
  IdentityEnrolled: z.object({ userId: z.string().min(1), mspId: z.string().min(1), certPem: z.string().min(1) }),
  TransactionCommitted: z.object({
    txId: z.string().min(1),
    originalTxId: z.string().default(""),
    blockNumber: z.string().regex(/^\d+$/),
    validationCode: z.string(),
    function: z.string().default(""),
    userId: z.string().default(""),
  }),
  TransactionRejected: z.object({
    txId: z.string(),
    originalTxId: z.string().default(""),
    blockNumber: z.string().regex(/^\d+$/),
    function: z.string(),
    validationCode: z.string(),
    message: z.string().default(""),
  }),
} as const;

type Schemas = typeof outcomeSchemas;
export type ChainOutcome =
  | { [K in keyof Schemas]: { type: K; data: z.output<Schemas[K]>; at: number } }[keyof Schemas]
  | { type: "ignored" };

/** @throws Error for an entry of a used type with a bad payload (the consumer dead-letters it). */
export function parseOutcome(fields: Record<string, string>): ChainOutcome {
  const { type, data, at } = fields;
  if (type !== "IdentityEnrolled" && type !== "TransactionCommitted" && type !== "TransactionRejected") {
    return { type: "ignored" };
  }
  const parsed = outcomeSchemas[type].safeParse(JSON.parse(data ?? ""));
  if (!parsed.success) throw new Error(`${type} entry has bad data: ${parsed.error.message}`);
  return { type, data: parsed.data, at: Number(at) } as ChainOutcome;
}

/**
 * Applies one outcome in its own unit of work; each is idempotent (upserts and conditional updates).
 * @returns the entries that changed (a rejected submission), for `evt:ledger`.
 */
export async function applyOutcome(
  db: LedgerDatabase,
  outcome: ChainOutcome,
  clock: Clock,
): Promise<LedgerEntryChanged[]> {
  const em = db.fork();
  switch (outcome.type) {
    case "IdentityEnrolled": {
      const { userId, mspId, certPem } = outcome.data;
      await em.upsert(FabricIdentityEntity, { userId, mspId, certPem, enrolledAt: new Date(outcome.at) });
      await em.nativeUpdate(UserEntity, { id: userId, enrolledAt: null }, { enrolledAt: new Date(outcome.at) });
      return [];
    }
    case "TransactionCommitted": {
      // The signer retries a read conflict under a new id: the id the client holds still commits.
      const ids = [outcome.data.originalTxId, outcome.data.txId].filter(Boolean);
      const committed = {
        status: TxStatus.COMMITTED,
        validationCode: outcome.data.validationCode,
        blockNumber: Number(outcome.data.blockNumber),
        committedAt: new Date(outcome.at),
      };
      const updated = await em.nativeUpdate(
        ChainTransactionEntity,
        { txId: { $in: ids }, status: TxStatus.PENDING },
        committed,
      );
      if (updated === 0 && !(await em.findOne(ChainTransactionEntity, { txId: { $in: ids } }))) {
        // Another service's transaction (a vote): record it, so references to it resolve from here.
        await em.upsert(ChainTransactionEntity, {
          txId: outcome.data.originalTxId || outcome.data.txId,
          function: outcome.data.function.slice(0, 64),
          creatorId: outcome.data.userId.slice(0, 128),
          createdAt: new Date(outcome.at),
          ...committed,
        });
      }
      return [];
    }
    case "TransactionRejected": {
      const txId = outcome.data.originalTxId || outcome.data.txId;
      return em.transactional((tx) =>
        applyRejection(
          tx,
          {
            txId,
            validationCode: outcome.data.validationCode,
            blockNumber: outcome.data.blockNumber === "0" ? null : Number(outcome.data.blockNumber),
            reason: outcome.data.message,
          },
          clock,
        ),
      );
    }
    default:
      return [];
  }
}

export interface ChainOutcomeConsumerDeps {
  db: LedgerDatabase;
  redis: Redis;
  logger: Logger;
  clock: Clock;
  /** This process's name in the consumer group. */
  consumer: string;
  /** Called with the entries a rejection changed (the indexer appends them to `evt:ledger`). */
  onChanged: (changed: LedgerEntryChanged[]) => Promise<void>;
  /** Key prefix for tests. */
  namespace?: string;
  /** Called after each outcome is applied (an identity or a commit may release deferred commands). */
  onApplied?: () => void;
}

/** Follows `evt:chain` in the consumer group `ledger` (every replica shares the work). */
export function createChainOutcomeConsumer(deps: ChainOutcomeConsumerDeps): StreamConsumer {
  return createStreamConsumer<ChainOutcome>({
    redis: deps.redis,
    stream: streamKey(StreamKind.event, "chain", deps.namespace),
    group: "ledger",
    consumer: deps.consumer,
    deadLetterStream: streamKey(StreamKind.deadLetter, "ledger", deps.namespace),
    parse: (entry) => parseOutcome(entry.fields),
    handle: async (outcome) => {
      const changed = await applyOutcome(deps.db, outcome, deps.clock);
      if (changed.length) await deps.onChanged(changed);
      if (outcome.type !== "ignored") deps.onApplied?.();
    },
    logger: deps.logger,
    clock: deps.clock,
  });
}
