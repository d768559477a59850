import type { EntityManager } from "@mikro-orm/core";
import type { VoteChoice } from "../db/vote.entity.js";

/**
 * How the voting service asks the chain to change state. Each call records a command inside the
 * caller's transaction (the outbox), so the command leaves if and only if the business rows commit;
 * the signer submits it later. The transaction id is fixed when the command is recorded.
 */
export interface VotingCommands {
  /** `voting:CastVote` as the member. */
  castVote(
    em: EntityManager,
    command: { userId: string; ballotId: string; choice: VoteChoice },
  ): Promise<{ txId: string }>;
  /** `voting:FinalizeBallot` as the service; `attempt` makes each retry its own command. */
  finalizeBallot(em: EntityManager, command: { ballotId: string; attempt: number }): Promise<{ txId: string }>;
}
