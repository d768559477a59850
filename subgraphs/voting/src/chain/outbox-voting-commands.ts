import { type Clock, enqueueCommand } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import type { VotingCommands } from "./voting-commands.js";

/** Who signs a command: a member (with their enrolled Fabric identity) or the voting service itself. */
export type Actor = { kind: "user"; userId: string } | { kind: "service" };

/**
 * Builds the unsigned proposal for a transaction as `actor`; the transaction id is fixed by it.
 * Backed by the chain client's `prepareProposal` with the actor's certificate.
 */
export type PrepareProposal = (
  actor: Actor,
  transaction: string,
  args: readonly string[],
) => Promise<{ txId: string; proposalBytes: Uint8Array }>;

export const COMMAND_DOMAIN = "voting";

/** The payload of a `cmd:voting` entry, as the signer reads it. */
export interface ChainCommandPayload {
  actor: Actor;
  transaction: string;
  args: string[];
  txId: string;
  /** The unsigned proposal, base64. */
  proposal: string;
}

/** `VotingCommands` over the kit's transactional outbox: the relay carries them to `cmd:voting`. */
export function createOutboxVotingCommands(deps: { prepare: PrepareProposal; clock: Clock }): VotingCommands {
  /**
   * Prepares the proposal and records the command. `commandId` defaults to the transaction id: a
   * vote is one transaction, and the service itself never records the same vote twice.
   */
  async function record(em: EntityManager, actor: Actor, transaction: string, args: string[], commandId?: string) {
    const { txId, proposalBytes } = await deps.prepare(actor, transaction, args);
    const payload: ChainCommandPayload = {
      actor,
      transaction,
      args,
      txId,
      proposal: Buffer.from(proposalBytes).toString("base64"),
    };
    const { command, duplicate } = await enqueueCommand(
      em,
      { domain: COMMAND_DOMAIN, type: transaction, commandId: commandId ?? txId, payload },
      deps.clock,
    );
    // A known command id means this very request was recorded before: its transaction id stands.
    if (duplicate) return { txId: (JSON.parse(command.payload) as ChainCommandPayload).txId };
    return { txId };
  }

  return {
    castVote: (em, { userId, ballotId, choice }) =>
      record(em, { kind: "user", userId }, "voting:CastVote", [ballotId, choice]),
    finalizeBallot: (em, { ballotId, attempt }) =>
      record(em, { kind: "service" }, "voting:FinalizeBallot", [ballotId], `finalize:${ballotId}:${attempt}`),
  };
}
