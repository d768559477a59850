import { randomUUID } from "node:crypto";
import type { SubmitTransactionName } from "@clearbook/contracts";
import type { Clock } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import { ChainTransactionEntity } from "../db/chain-transaction.entity.js";
import type { ChainCommand, ChainCommands } from "./chain.port.js";

export const TxStatus = { PENDING: "PENDING", COMMITTED: "COMMITTED", REJECTED: "REJECTED" } as const;
export type TxStatus = (typeof TxStatus)[keyof typeof TxStatus];

/**
 * Submits a command through the outbox and records the transaction as PENDING in the same unit of
 * work, so the explorer knows it before the signer has even picked it up.
 * @returns the transaction id, or null for a deferred command (the releaser records it when sent).
 */
export async function submitRecorded<N extends SubmitTransactionName>(
  em: EntityManager,
  chain: ChainCommands,
  clock: Clock,
  command: Omit<ChainCommand<N>, "idempotencyKey"> & { idempotencyKey?: string },
): Promise<string | null> {
  const { txId } = await chain.submit(em, { ...command, idempotencyKey: command.idempotencyKey ?? randomUUID() });
  if (txId === null || (await em.findOne(ChainTransactionEntity, { txId }))) return txId;
  em.create(ChainTransactionEntity, {
    txId,
    function: command.name,
    creatorId: command.actorId,
    status: TxStatus.PENDING,
    validationCode: null,
    blockNumber: null,
    createdAt: new Date(clock.now()),
    committedAt: null,
  });
  return txId;
}
