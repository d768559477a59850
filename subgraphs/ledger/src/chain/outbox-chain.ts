import type { SubmitTransactionName } from "@clearbook/contracts";
import { type Clock, enqueueCommand } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { FabricIdentityEntity } from "../db/fabric-identity.entity.js";
import type { ChainCommand, ChainCommands, SubmittedCommand } from "./chain.port.js";
import { deferCommand, findDeferred } from "./deferred-commands.js";

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

/** A command ready to go: its actor's certificate is known and nothing it depends on is pending. */
export interface SendableCommand {
  actorId: string;
  name: SubmitTransactionName;
  args: string[];
  commandId: string;
}

/**
 * Records `command` in the outbox under its proposal's transaction id.
 * @returns that id; for a command id recorded before, the id it was first given.
 */
export async function sendCommand(
  em: EntityManager,
  deps: { prepare: PrepareProposal; clock: Clock },
  identity: { mspId: string; certPem: string },
  command: SendableCommand,
): Promise<string> {
  const { txId, proposalBytes } = deps.prepare(identity, command.name, command.args);
  const payload: ChainCommandPayload = {
    actor: { kind: "user", userId: command.actorId },
    transaction: command.name,
    args: command.args,
    txId,
    proposal: Buffer.from(proposalBytes).toString("base64"),
  };
  const { command: recorded, duplicate } = await enqueueCommand(
    em,
    { domain: LEDGER_COMMAND_DOMAIN, type: command.name, commandId: command.commandId, payload },
    deps.clock,
  );
  // A retried mutation gets the transaction id it was first given, not a new one.
  return duplicate ? (JSON.parse(recorded.payload) as ChainCommandPayload).txId : txId;
}

/**
 * Records the enrollment command for a member (role `user`: admin identities never come from a stream,
 * decision 0361); `attempt` > 0 asks again after an attempt that brought
 * no identity (the signer enrolls once per user and announces the identity again on a repeat).
 * @returns false when that attempt was already recorded.
 */
export async function requestEnrollment(
  em: EntityManager,
  clock: Clock,
  userId: string,
  attempt = 0,
): Promise<boolean> {
  const { duplicate } = await enqueueCommand(
    em,
    {
      domain: SIGNER_COMMAND_DOMAIN,
      type: "EnrollUser",
      commandId: attempt === 0 ? `enroll:${userId}` : `enroll:${userId}:retry:${attempt}`,
      payload: { userId, role: "user" },
    },
    clock,
  );
  return !duplicate;
}

/**
 * `ChainCommands` over the kit's transactional outbox: the relay carries commands to `cmd:ledger`
 * (and enrollments to `cmd:signer`) after the caller's transaction commits. A command whose actor
 * has no identity yet, or that depends on a pending one, is deferred (decision 0300).
 */
export function createOutboxChain(deps: { prepare: PrepareProposal; clock: Clock }): ChainCommands {
  return {
    async submit<N extends SubmitTransactionName>(
      em: EntityManager,
      command: ChainCommand<N>,
    ): Promise<SubmittedCommand> {
      const args = [...command.args] as string[];
      const sendable = { actorId: command.actorId, name: command.name, args, commandId: command.idempotencyKey };
      const earlier = await findDeferred(em, command.idempotencyKey);
      if (earlier) return { txId: earlier.txId ?? null };
      const identity = await em.findOne(FabricIdentityEntity, { userId: command.actorId });
      if (!identity || command.after) {
        await deferCommand(em, deps.clock, sendable, command.after ?? null, command.target);
        return { txId: null };
      }
      return { txId: await sendCommand(em, deps, identity, sendable) };
    },

    async enroll(em: EntityManager, userId: string) {
      await requestEnrollment(em, deps.clock, userId);
    },
  };
}
