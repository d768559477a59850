import type { Redis } from "ioredis";

/** Event types the signer appends to `evt:chain`. */
export const ChainOutcomeType = {
  TransactionCommitted: "TransactionCommitted",
  TransactionRejected: "TransactionRejected",
  IdentityEnrolled: "IdentityEnrolled",
} as const;
export type ChainOutcomeType = (typeof ChainOutcomeType)[keyof typeof ChainOutcomeType];

export interface TransactionCommitted {
  type: "TransactionCommitted";
  commandId: string;
  userId: string;
  transaction: string;
  /** The id the service announced; differs from `txId` after an MVCC retry. */
  originalTxId: string;
  txId: string;
  blockNumber: string;
  validationCode: number;
  attempts: number;
  /** The transaction function's JSON result, as text. */
  result: string;
}

export interface TransactionRejected {
  type: "TransactionRejected";
  commandId: string;
  userId: string;
  transaction: string;
  originalTxId: string;
  txId: string;
  /** Present when the transaction reached a block (and was marked invalid there). */
  blockNumber: string | null;
  validationCode: number | null;
  /** `MVCC_READ_CONFLICT`, or the GraphQL error code of a chaincode refusal (`INSUFFICIENT_FUNDS`…). */
  reason: string;
  message: string;
  attempts: number;
}

export interface IdentityEnrolled {
  type: "IdentityEnrolled";
  commandId: string;
  userId: string;
  mspId: string;
  role: string;
  certPem: string;
}

export type ChainOutcome = TransactionCommitted | TransactionRejected | IdentityEnrolled;

/** Appends outcomes where services will see them. Throwing leaves the command pending (it is retried). */
export type OutcomePublisher = (outcome: ChainOutcome) => Promise<void>;

/**
 * Publishes to a Redis stream (`evt:chain`) as `type`, `data` (JSON), `at`; trimmed approximately
 * to `maxLength` so the stream never grows without bound.
 */
export function createRedisOutcomePublisher(
  redis: Redis,
  stream: string,
  options: { maxLength?: number; now?: () => number } = {},
): OutcomePublisher {
  const maxLength = options.maxLength ?? 100_000;
  const now = options.now ?? Date.now;
  return async (outcome) => {
    await redis.xadd(
      stream,
      "MAXLEN",
      "~",
      String(maxLength),
      "*",
      "type",
      outcome.type,
      "data",
      JSON.stringify(outcome),
      "at",
      String(now()),
    );
  };
}
