import type { SqlExecutor } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import type { VoteChoice } from "../db/vote.entity.js";

/**
 * How the voting service asks the chain to change state. Each call records a command inside the
 * caller's transaction (the outbox), so the command leaves if and only if the business rows commit;
 * the signer submits it later.
 */
export interface VotingCommands {
  /**
   * `voting:CastVote` as each member, with the proposals built now from their certificates, recorded
   * in `tx`'s transaction.
   * @returns per vote, in order: the transaction id it will have on chain, or null when this service
   *   does not have the member's Fabric identity yet (nothing is recorded for that vote; see
   *   `requestEnrollments`).
   */
  castVotes(
    tx: SqlExecutor,
    votes: readonly { userId: string; ballotId: string; choice: VoteChoice }[],
  ): Promise<({ txId: string } | null)[]>;
  /**
   * Records (once per user, idempotently) an `EnrollUser` for the signer, which announces an identity
   * it already issued on `evt:chain`: for eligible members whose certificate this database lacks
   * (it is newer than the trimmed `evt:chain`, say). Runs in its own transaction.
   */
  requestEnrollments(sql: SqlExecutor, userIds: readonly string[]): Promise<void>;
  /** `voting:FinalizeBallot` as the service identity; `attempt` makes each retry its own command. */
  finalizeBallot(em: EntityManager, command: { ballotId: string; attempt: number }): Promise<{ commandId: string }>;
}
