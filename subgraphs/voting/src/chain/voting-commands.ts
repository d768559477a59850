import type { EntityManager } from "@mikro-orm/core";
import type { VoteChoice } from "../db/vote.entity.js";

/**
 * How the voting service asks the chain to change state. Each call records a command inside the
 * caller's transaction (the outbox), so the command leaves if and only if the business rows commit;
 * the signer submits it later.
 */
export interface VotingCommands {
  /**
   * `voting:CastVote` as each member, with the proposals built now from their certificates.
   * @returns per vote, in order: the transaction id it will have on chain, or null when the member's
   *   Fabric identity has not been issued yet (nothing is recorded for that vote, and the signer is
   *   asked to announce the identity).
   */
  castVotes(
    em: EntityManager,
    votes: readonly { userId: string; ballotId: string; choice: VoteChoice }[],
  ): Promise<({ txId: string } | null)[]>;
  /** `voting:FinalizeBallot` as the service identity; `attempt` makes each retry its own command. */
  finalizeBallot(em: EntityManager, command: { ballotId: string; attempt: number }): Promise<{ commandId: string }>;
}
