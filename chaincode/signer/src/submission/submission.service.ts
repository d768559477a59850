import {
  backoffDelay,
  type ChainClient,
  type CommittedTransaction,
  isRetryable,
  type RetryPolicy,
  type SigningIdentity,
  sleep,
  TransactionRejectedError,
} from "@clearbook/client";
import { AppError, type Clock, PermanentError, systemClock } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/mariadb";
import type { Logger } from "pino";
import { type KeyVault, MissingIdentityError } from "../vault/key-vault.js";
import type { ChainCommand } from "./chain-command.js";
import { NOT_ENDORSED, type OutcomePublisher } from "./chain-outcome.js";
import { SignedTx, SignedTxStatus } from "./signed-tx.entity.js";

export interface SubmissionServiceOptions {
  chain: ChainClient;
  vault: KeyVault;
  /** A fresh EntityManager of the signer's database. */
  fork: () => EntityManager;
  publish: OutcomePublisher;
  /** Fresh proposals after read conflicts, per delivery. */
  retry: RetryPolicy;
  clock?: Clock;
  logger?: Logger;
}

export interface SubmissionService {
  /**
   * Brings one command to a final outcome on chain and publishes it: resolves once the outcome is
   * recorded and appended to `evt:chain` (so the command can be acked).
   * @throws PermanentError when no retry can help (unknown user key); anything else is transient
   *   (the command stays pending and is redelivered).
   */
  handle(command: ChainCommand): Promise<void>;
}

/** Signs, submits and tracks chain commands, one row of `signed_tx` per command. */
export function createSubmissionService(options: SubmissionServiceOptions): SubmissionService {
  const { chain, vault, fork, publish, retry, logger } = options;
  const clock = options.clock ?? systemClock;
  const now = () => new Date(clock.now());

  const publishRow = async (row: SignedTx, result = "", message = row.reason ?? "") => {
    const common = {
      txId: row.txId,
      blockNumber: String(row.block ?? 0n),
      function: row.transaction,
      commandId: row.commandId,
      userId: row.userId,
      originalTxId: row.originalTxId,
    };
    if (row.status === SignedTxStatus.COMMITTED) {
      await publish({
        type: "TransactionCommitted",
        data: { ...common, validationCode: "VALID", attempts: Math.max(row.attempts, 1), result },
      });
      return;
    }
    const inBlock = row.block !== null && row.block !== undefined;
    await publish({
      type: "TransactionRejected",
      data: {
        ...common,
        validationCode: inBlock ? (row.reason ?? "INVALID") : NOT_ENDORSED,
        reason: row.reason ?? "UNKNOWN",
        attempts: row.attempts,
        inBlock,
        message,
      },
    });
  };

  /** Records the final state (the envelope is no longer needed), then publishes it. */
  const finish = async (
    command: ChainCommand,
    state: Pick<SignedTx, "txId" | "status" | "block" | "validationCode" | "reason" | "attempts">,
    message: string,
    result = "",
  ) => {
    const em = fork();
    const row = await em.upsert(SignedTx, {
      commandId: command.commandId,
      userId: command.userId,
      originalTxId: command.txId ?? state.txId,
      transaction: command.transaction,
      envelope: null,
      ...state,
      updatedAt: now(),
    });
    await em.flush();
    await publishRow(row, result, message);
  };

  const recordSigned = async (command: ChainCommand, txId: string, envelope: Uint8Array, attempts: number) => {
    const em = fork();
    await em.upsert(SignedTx, {
      commandId: command.commandId,
      userId: command.userId,
      txId,
      originalTxId: command.txId ?? txId,
      transaction: command.transaction,
      envelope: Buffer.from(envelope),
      status: SignedTxStatus.SIGNED,
      block: null,
      validationCode: null,
      reason: null,
      attempts,
      updatedAt: now(),
    });
    await em.flush();
  };

  const signerFor = async (userId: string): Promise<SigningIdentity> => {
    try {
      return await vault.signingIdentity(userId);
    } catch (error) {
      if (error instanceof MissingIdentityError) throw new PermanentError(`KEY_NOT_FOUND: ${error.message}`);
      throw error;
    }
  };

  return {
    async handle(command) {
      const existing = await fork().findOne(SignedTx, { commandId: command.commandId });
      if (existing && existing.status !== SignedTxStatus.SIGNED) {
        // Decided by an earlier delivery that died before acking: publish again (consumers dedupe by commandId).
        return publishRow(existing);
      }
      const signer = await signerFor(command.userId);
      let attempts = existing?.attempts ?? 0;
      let committed: CommittedTransaction | undefined;
      let lastTxId = existing?.txId ?? command.txId ?? "";

      if (existing?.envelope) {
        // A redelivery: that very transaction may have committed. The peer commits a tx id at most once.
        try {
          committed = await chain.resubmit(existing.envelope, signer);
        } catch (error) {
          if (!(error instanceof TransactionRejectedError && error.isReadConflict)) return settleFailure(error);
          logger?.debug({ txId: existing.txId }, "recorded transaction lost an MVCC race; proposing afresh");
        }
      }

      async function settleFailure(error: unknown): Promise<void> {
        if (error instanceof TransactionRejectedError) {
          return finish(
            command,
            {
              txId: error.transactionId,
              status: SignedTxStatus.REJECTED,
              block: error.blockNumber,
              validationCode: error.validationCode,
              reason: error.validationName,
              attempts,
            },
            error.message,
          );
        }
        if (error instanceof AppError) {
          const chainCode = typeof error.details.chainCode === "string" ? error.details.chainCode : error.code;
          return finish(
            command,
            {
              txId: lastTxId,
              status: SignedTxStatus.FAILED,
              block: null,
              validationCode: null,
              reason: chainCode,
              attempts,
            },
            error.message,
          );
        }
        throw error; // transport trouble: stay pending, be redelivered
      }

      for (let round = 1; !committed; round++) {
        // The service's own proposal first (its tx id is the one it announced); fresh ones after a conflict.
        const useCommandProposal = round === 1 && !existing?.envelope && command.proposal !== undefined;
        const proposalBytes = useCommandProposal
          ? (command.proposal as Uint8Array)
          : chain.prepareProposal({ identity: signer.identity, transaction: command.transaction, args: command.args })
              .proposalBytes;
        try {
          committed = await chain.signAndSubmit(proposalBytes, signer, {
            onSigned: async ({ txId, envelope }) => {
              attempts += 1;
              lastTxId = txId;
              await recordSigned(command, txId, envelope, attempts);
            },
          });
        } catch (error) {
          const conflict = error instanceof TransactionRejectedError && error.isReadConflict;
          if (conflict && round < retry.maxAttempts) {
            await sleep(backoffDelay(retry, round));
            continue;
          }
          if (!isRetryable(error) || conflict) return settleFailure(error);
          throw error;
        }
      }
      await finish(
        command,
        {
          txId: committed.txId,
          status: SignedTxStatus.COMMITTED,
          block: committed.blockNumber,
          validationCode: 0,
          reason: null,
          attempts: Math.max(attempts, 1),
        },
        "",
        new TextDecoder().decode(committed.result),
      );
    },
  };
}
