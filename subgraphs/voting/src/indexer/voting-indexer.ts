import { type ChainClient, createSqlCheckpointer, type Follower, followChaincodeEvents } from "@clearbook/client";
import { appendEvent, applyOnce, type Logger, type OrmHandle, type Redis } from "@clearbook/kit";
import { type ParsedChainEvent, parseChainEvent } from "./chain-events.js";
import { VOTING_EVENT_DOMAIN, type VotingEvent } from "./voting-events.js";
import { applyChainEvent } from "./voting-projector.js";

/** The consumer name under which applied chain transactions are remembered (`processed_command`). */
export const INDEXER_CONSUMER = "voting-indexer";
/** The `chain_checkpoint` row of this indexer. */
export const INDEXER_CHECKPOINT = "voting-indexer";

export interface ProjectionDeps {
  orm: OrmHandle;
  redis: Redis;
  logger: Logger;
  /** Key prefix for tests (`test:voting:`). */
  namespace?: string;
  /** Told after each applied change (the finalizer re-checks its ballots). */
  onApplied?(events: readonly VotingEvent[]): void;
}

/**
 * Applies one chain event exactly once (`applyOnce` keyed by its transaction id: a replay after a
 * crash, or another replica's indexer, finds it done) and then publishes the resulting domain events.
 * Publishing after the commit means a crash in between loses those pushes, never a read-model change;
 * the next change of the same ballot carries the full tally again.
 * @returns the published events (none when the event was already applied).
 */
export async function projectChainEvent(deps: ProjectionDeps, event: ParsedChainEvent): Promise<VotingEvent[]> {
  const outcome = await applyOnce(deps.orm, INDEXER_CONSUMER, event.txId, (em) => applyChainEvent(em, event));
  if (!outcome.applied) return [];
  for (const domainEvent of outcome.result) {
    await appendEvent(deps.redis, VOTING_EVENT_DOMAIN, domainEvent, { namespace: deps.namespace ?? "" });
  }
  if (outcome.result.length) deps.onApplied?.(outcome.result);
  return outcome.result;
}

export interface VotingIndexerDeps extends ProjectionDeps {
  chain: ChainClient;
  /** Where to start when there is no checkpoint yet (a fresh database): the genesis block by default. */
  startBlock?: bigint;
}

/**
 * Follows the chaincode's events from the MySQL checkpoint and projects those the voting read
 * model uses. The checkpoint moves after each event is applied, so a restarted indexer resumes
 * after the last event it finished; one applied but not yet checkpointed comes again and is skipped.
 */
export async function startVotingIndexer(deps: VotingIndexerDeps): Promise<Follower> {
  const checkpointer = await createSqlCheckpointer(deps.orm.fork(), INDEXER_CHECKPOINT);
  return followChaincodeEvents(deps.chain, {
    checkpointer,
    startBlock: deps.startBlock ?? 0n,
    async handle(raw) {
      const event = parseChainEvent(raw);
      if (event) await projectChainEvent(deps, event);
    },
    onError: (error) => deps.logger.warn({ err: error }, "voting indexer stream failed; resuming from the checkpoint"),
  });
}
