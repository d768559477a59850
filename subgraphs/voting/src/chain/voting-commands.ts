import type { EntityManager } from "@mikro-orm/core";
import type { VoteChoice } from "../db/vote.entity.js";

/**
 * How the voting service asks the chain to change state. Each call records a command inside the
 * caller's transaction (the outbox), so the command leaves if and only if the business rows commit;
 * the signer submits it later.
 */
export interface VotingCommands {
  /**
   * `voting:CastVote` as the member, with the proposal built now from their certificate.
   * @returns the transaction id the vote will have on chain.
   * @throws AppError CONFLICT when the member's Fabric identity has not been issued yet.
   */
  castVote(
    em: EntityManager,
    command: { userId: string; ballotId: string; choice: VoteChoice },
  ): Promise<{ txId: string }>;
  /** `voting:FinalizeBallot` as the service identity; `attempt` makes each retry its own command. */
  finalizeBallot(em: EntityManager, command: { ballotId: string; attempt: number }): Promise<{ commandId: string }>;
}
