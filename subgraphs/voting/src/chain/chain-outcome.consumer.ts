import {
  createStreamConsumer,
  type Logger,
  type OrmHandle,
  type Redis,
  type StreamConsumer,
  StreamKind,
  streamKey,
} from "@clearbook/kit";
import { z } from "zod";
import { MemberIdentity } from "../db/member-identity.entity.js";
import { Vote, VoteStatus } from "../db/vote.entity.js";
import type { IdentityCache } from "./identity-cache.js";
import { CAST_VOTE } from "./outbox-voting-commands.js";

/**
 * What the voting service reads from the signer's `evt:chain` (a subset of its fields; see decision
 * 0042/0043): certificates of newly enrolled users, and transactions the chain refused.
 */
const outcomeSchemas = {
  IdentityEnrolled: z.object({ userId: z.string().min(1), mspId: z.string().min(1), certPem: z.string().min(1) }),
  TransactionRejected: z.object({
    txId: z.string(),
    originalTxId: z.string(),
    function: z.string(),
    validationCode: z.string(),
  }),
} as const;

type Outcome =
  | { type: "IdentityEnrolled"; data: z.output<(typeof outcomeSchemas)["IdentityEnrolled"]>; at: number }
  | { type: "TransactionRejected"; data: z.output<(typeof outcomeSchemas)["TransactionRejected"]>; at: number }
  | { type: "ignored" };

/** @throws Error for an entry of a used type with a bad payload (the consumer dead-letters it). */
export function parseOutcome(fields: Record<string, string>): Outcome {
  const { type, data, at } = fields;
  if (type !== "IdentityEnrolled" && type !== "TransactionRejected") return { type: "ignored" };
  const parsed = outcomeSchemas[type].safeParse(JSON.parse(data ?? ""));
  if (!parsed.success) throw new Error(`${type} entry has bad data: ${parsed.error.message}`);
  return { type, data: parsed.data, at: Number(at) } as Outcome;
}

/**
 * Applies one outcome; each is idempotent (an upsert, a conditional update). A stored certificate
 * also goes into `identities`, so this replica's first vote of that member reads no certificate.
 */
export async function applyOutcome(orm: OrmHandle, outcome: Outcome, identities?: IdentityCache): Promise<void> {
  if (outcome.type === "IdentityEnrolled") {
    const { userId, mspId, certPem } = outcome.data;
    await orm.fork().upsert(MemberIdentity, { userId, mspId, certPem, enrolledAt: new Date(outcome.at) });
    identities?.set(userId, { mspId, certPem });
  } else if (outcome.type === "TransactionRejected" && outcome.data.function === CAST_VOTE) {
    // The vote never counted: it stops being the member's pending vote. (A read-conflict retry
    // under a new id is not a rejection; the signer reports that one as committed.)
    const ids = [outcome.data.txId, outcome.data.originalTxId].filter(Boolean);
    await orm
      .fork()
      .nativeUpdate(Vote, { txId: { $in: ids }, status: VoteStatus.PENDING }, { status: VoteStatus.REJECTED });
  }
}

export interface ChainOutcomeConsumerDeps {
  orm: OrmHandle;
  redis: Redis;
  logger: Logger;
  /** This process's name in the consumer group. */
  consumer: string;
  /** Key prefix for tests. */
  namespace?: string;
  /** Where certificates this replica stores are cached for building proposals. */
  identities?: IdentityCache;
}

/**
 * Entries handled at once. Most `evt:chain` entries are other commands' outcomes that this service
 * only acknowledges (a vote burst brings one per vote): reading them many at a time keeps that to a
 * few reads per burst instead of one per four entries.
 */
const CONCURRENCY = 64;

/** Follows `evt:chain` in the consumer group `voting` (every replica shares the work). */
export function createChainOutcomeConsumer(deps: ChainOutcomeConsumerDeps): StreamConsumer {
  return createStreamConsumer<Outcome>({
    redis: deps.redis,
    stream: streamKey(StreamKind.event, "chain", deps.namespace),
    group: "voting",
    consumer: deps.consumer,
    deadLetterStream: streamKey(StreamKind.deadLetter, "voting", deps.namespace),
    parse: (entry) => parseOutcome(entry.fields),
    handle: (outcome) => applyOutcome(deps.orm, outcome, deps.identities),
    concurrency: CONCURRENCY,
    logger: deps.logger,
  });
}
