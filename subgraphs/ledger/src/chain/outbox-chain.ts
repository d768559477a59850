import type { SubmitTransactionName } from "@clearbook/contracts";
import { type Clock, enqueueCommand, errors } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { FabricIdentityEntity } from "../db/fabric-identity.entity.js";
import type { ChainCommand, ChainCommands } from "./chain.port.js";

/** Builds the unsigned proposal for a certificate (the chain client's `prepareProposal`: pure, no network). */
export type PrepareProposal = (
  identity: { mspId: string; certPem: string },
  transaction: string,
  args: readonly string[],
) => { txId: string; proposalBytes: Uint8Array };

/** The stream the ledger's chain commands go to (`cmd:ledger`), and the signer's own (`cmd:signer`). */
export const LEDGER_COMMAND_DOMAIN = "ledger";
export const SIGNER_COMMAND_DOMAIN = "signer";

/** The payload of a `cmd:ledger` entry, as the signer reads it (decision 0042). */
export interface ChainCommandPayload {
  actor: { kind: "user"; userId: string };
  transaction: SubmitTransactionName;
  args: string[];
  txId: string;
  /** The unsigned proposal, base64. */
  proposal: string;
}

/**
 * `ChainCommands` over the kit's transactional outbox: the relay carries commands to `cmd:ledger`
 * (and enrollments to `cmd:signer`) after the caller's transaction commits.
 */
export function createOutboxChain(deps: { prepare: PrepareProposal; clock: Clock }): ChainCommands {
  return {
    async submit<N extends SubmitTransactionName>(em: EntityManager, command: ChainCommand<N>) {
      const identity = await em.findOne(FabricIdentityEntity, { userId: command.actorId });
      if (!identity) throw errors.conflict("Your chain identity is still being issued; try again in a moment.");
      const args = [...command.args] as string[];
      const { txId, proposalBytes } = deps.prepare(identity, command.name, args);
      const payload: ChainCommandPayload = {
        actor: { kind: "user", userId: command.actorId },
        transaction: command.name,
        args,
        txId,
        proposal: Buffer.from(proposalBytes).toString("base64"),
      };
      const { command: recorded, duplicate } = await enqueueCommand(
        em,
        { domain: LEDGER_COMMAND_DOMAIN, type: command.name, commandId: command.idempotencyKey, payload },
        deps.clock,
      );
      // A retried mutation gets the transaction id it was first given, not a new one.
      if (duplicate) return { txId: (JSON.parse(recorded.payload) as ChainCommandPayload).txId };
      return { txId };
    },

    async enroll(em: EntityManager, userId: string, role: "user" | "admin" = "user") {
      await enqueueCommand(
        em,
        {
          domain: SIGNER_COMMAND_DOMAIN,
          type: "EnrollUser",
          commandId: `enroll:${userId}`,
          payload: { userId, role },
        },
        deps.clock,
      );
    },
  };
}
