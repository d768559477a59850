import {
  backoffDelay,
  type ChainClient,
  type CommittedTransaction,
  inspectProposal,
  isRetryable,
  type ProposalSummary,
  type RetryPolicy,
  type SigningIdentity,
  sleep,
  TransactionRejectedError,
} from "@clearbook/client";
import { AppError, type Clock, PermanentError, systemClock } from "@clearbook/kit";
import type { Logger } from "pino";
import { type KeyVault, MissingIdentityError } from "../vault/key-vault.js";
import type { ChainCommand } from "./chain-command.js";
import { NOT_ENDORSED, type OutcomePublisher } from "./chain-outcome.js";
import { SignedTxStatus } from "./signed-tx.entity.js";
import type { SignedTxRow, SignedTxStore } from "./signed-tx.store.js";
import { type StageTimings, SubmissionStage } from "./stage-timings.js";

export interface SubmissionServiceOptions {
  chain: ChainClient;
  vault: KeyVault;
  store: SignedTxStore;
  publish: OutcomePublisher;
  /** Fresh proposals after read conflicts, per delivery. */
  retry: RetryPolicy;
  /**
   * A service's proposal whose timestamp is further than this from `clock` is refused: the chaincode
   * takes the proposal's timestamp as its clock (ballot windows, expiries). Default 120 s.
   */
  maxProposalSkewMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Receives the duration of each stage of each command (metrics, benchmarks). */
  timings?: Pick<StageTimings, "observe">;
}

export interface SubmissionService {
  /**
   * Brings one command to a final outcome on chain and publishes it: resolves once the outcome is
   * recorded and appended to `evt:chain` (so the command can be acked).
   * @throws PermanentError when no retry can help (unknown user key); anything else is transient
   *   (the command stays pending and is redelivered).
   */
  handle(command: ChainCommand): Promise<void>;
  /**
   * Publishes the outcome of a command the consumer gave up on (dead-lettered), so the service that
   * waits for it leaves PENDING: the recorded outcome if an earlier delivery decided it, else a
   * `TransactionRejected` with validation code `DEAD_LETTERED` and the reason.
   * @throws when publishing fails (the entry stays pending and this runs again).
   */
  deadLettered(command: ChainCommand, reason: string, attempts: number): Promise<void>;
}

/** The default bound on a service proposal's timestamp, either way from the signer's clock. */
export const DEFAULT_MAX_PROPOSAL_SKEW_MS = 120_000;

/** `validationCode` of a command the signer gave up on (dead-lettered); nothing reached a block. */
export const DEAD_LETTERED = "DEAD_LETTERED";

type FinalState = Pick<SignedTxRow, "txId" | "status" | "block" | "validationCode" | "reason" | "attempts">;

/** Signs, submits and tracks chain commands, one row of `signed_tx` per command (docs/decisions/0042). */
export function createSubmissionService(options: SubmissionServiceOptions): SubmissionService {
  const { chain, vault, store, publish, retry, logger, timings } = options;
  const clock = options.clock ?? systemClock;
  const maxSkewMs = options.maxProposalSkewMs ?? DEFAULT_MAX_PROPOSAL_SKEW_MS;

  /** A stopwatch per command: `lap(stage)` records the time since the previous lap under `stage`. */
  const stopwatch = () => {
    let mark = performance.now();
    return (stage: SubmissionStage) => {
      const now = performance.now();
      timings?.observe(stage, now - mark);
      mark = now;
    };
  };

  const publishRow = async (row: SignedTxRow, result = "", message = row.reason ?? "") => {
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
    const inBlock = row.block !== null;
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

  const rowOf = (command: ChainCommand, state: FinalState, envelope: Uint8Array | null): SignedTxRow => ({
    commandId: command.commandId,
    userId: command.userId,
    originalTxId: command.txId ?? state.txId,
    transaction: command.transaction,
    envelope,
    ...state,
  });

  /**
   * Records the final state (the envelope is no longer needed) and publishes it at the same time: the
   * outcome is decided on chain, so consumers need not wait for the signer's own bookkeeping (about
   * a group commit of MariaDB under load, docs/performance/0190). The command is acknowledged only
   * after both, so a crash in between redelivers it, and the redelivery publishes the same outcome
   * again (consumers dedupe by command id, as for any redelivery).
   */
  const finish = async (command: ChainCommand, state: FinalState, message: string, result = "") => {
    const row = rowOf(command, state, null);
    await Promise.all([store.save(row), publishRow(row, result, message)]);
  };

  /**
   * The command's own proposal, if it is what the command says: same function, arguments and tx id
   * (a mismatch is a service bug: dead-letter it). A proposal made with a certificate the user no longer
   * has is replaced by a fresh one (`undefined`), since the peer would refuse the signature.
   */
  const checkedProposal = (command: ChainCommand, signer: SigningIdentity): Uint8Array | undefined => {
    const proposal = command.proposal as Uint8Array;
    let summary: ProposalSummary;
    try {
      summary = inspectProposal(proposal);
    } catch (error) {
      throw new PermanentError(`BAD_COMMAND: the proposal does not parse (${(error as Error).message})`);
    }
    if (summary.timestampMs === undefined) {
      throw new PermanentError("BAD_COMMAND: the proposal carries no timestamp");
    }
    const skewMs = summary.timestampMs - clock.now();
    if (Math.abs(skewMs) > maxSkewMs) {
      throw new PermanentError(
        `BAD_COMMAND: the proposal's timestamp is ${Math.round(skewMs / 1000)} s from the signer's clock (at most ${maxSkewMs / 1000} s)`,
      );
    }
    const expected = [command.transaction, ...command.args];
    if (summary.args.length !== expected.length || summary.args.some((arg, i) => arg !== expected[i])) {
      throw new PermanentError(
        `BAD_COMMAND: the proposal calls ${summary.args[0]}, not the command's ${command.transaction}(…)`,
      );
    }
    if (command.txId && summary.txId !== command.txId) {
      throw new PermanentError(
        `BAD_COMMAND: the proposal's tx id is ${summary.txId}, the command announced ${command.txId}`,
      );
    }
    if (
      !Buffer.from(summary.certBytes.buffer, summary.certBytes.byteOffset, summary.certBytes.byteLength).equals(
        signer.identity.credentials,
      ) &&
      summary.certPem.trim() !== new TextDecoder().decode(signer.identity.credentials).trim()
    ) {
      logger?.warn(
        { commandId: command.commandId },
        "proposal made with another certificate of the user; proposing afresh",
      );
      return undefined;
    }
    return proposal;
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
    async deadLettered(command, reason, attempts) {
      const existing = await store.find(command.commandId).catch(() => undefined);
      if (existing && existing.status !== SignedTxStatus.SIGNED) return publishRow(existing);
      const txId = existing?.txId || command.txId || command.commandId;
      await publish({
        type: "TransactionRejected",
        data: {
          txId,
          originalTxId: command.txId ?? txId,
          blockNumber: "0",
          function: command.transaction,
          commandId: command.commandId,
          userId: command.userId,
          validationCode: DEAD_LETTERED,
          reason: DEAD_LETTERED,
          attempts,
          inBlock: false,
          message: `${DEAD_LETTERED}: ${reason}`.slice(0, 1000),
        },
      });
    },

    async handle(command) {
      const lap = stopwatch();
      const existing = await store.find(command.commandId);
      if (existing && existing.status !== SignedTxStatus.SIGNED) {
        // Decided by an earlier delivery that died before acking: publish again (consumers dedupe by commandId).
        return publishRow(existing);
      }
      const signer = await signerFor(command.userId);
      lap(SubmissionStage.LOAD);
      let attempts = existing?.attempts ?? 0;
      let lastTxId = existing?.txId ?? command.txId ?? "";
      let committed: CommittedTransaction | undefined;

      const settleFailure = async (error: unknown): Promise<void> => {
        if (error instanceof TransactionRejectedError) {
          const state = {
            txId: error.transactionId,
            status: SignedTxStatus.REJECTED,
            block: error.blockNumber,
            validationCode: error.validationCode,
            reason: error.validationName,
            attempts,
          };
          return finish(command, state, error.message);
        }
        if (error instanceof AppError) {
          // The chaincode said no at endorsement: nothing was ordered, and asking again changes nothing.
          const chainCode = typeof error.details.chainCode === "string" ? error.details.chainCode : error.code;
          // The refused proposal's id (the client puts it in the details) names what was refused.
          const refused = typeof error.details.transactionId === "string" ? error.details.transactionId : lastTxId;
          const state = {
            txId: refused || "none",
            status: SignedTxStatus.FAILED,
            block: null,
            validationCode: null,
            reason: chainCode,
            attempts,
          };
          return finish(command, state, error.message);
        }
        throw error; // transport trouble: stay pending, be redelivered
      };

      if (existing?.envelope) {
        // A redelivery: that very transaction may have committed. The peer commits a tx id at most once.
        try {
          committed = await chain.resubmit(existing.envelope, signer);
        } catch (error) {
          if (!(error instanceof TransactionRejectedError && error.isReadConflict)) return settleFailure(error);
          logger?.debug({ txId: existing.txId }, "recorded transaction lost an MVCC race; proposing afresh");
        }
      }

      // The service's own proposal first (its tx id is the one it announced); fresh ones after a conflict.
      let own = !existing?.envelope && command.proposal ? checkedProposal(command, signer) : undefined;
      for (let round = 1; !committed; round++) {
        const proposalBytes =
          own ??
          chain.prepareProposal({ identity: signer.identity, transaction: command.transaction, args: command.args })
            .proposalBytes;
        own = undefined;
        try {
          committed = await chain.signAndSubmit(proposalBytes, signer, {
            onSigned: async ({ txId, envelope }) => {
              lap(SubmissionStage.ENDORSE);
              attempts += 1;
              lastTxId = txId;
              const state = {
                txId,
                status: SignedTxStatus.SIGNED,
                block: null,
                validationCode: null,
                reason: null,
                attempts,
              };
              await store.save(rowOf(command, state, envelope));
              lap(SubmissionStage.RECORD);
            },
          });
          lap(SubmissionStage.COMMIT);
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
      const state = {
        txId: committed.txId,
        status: SignedTxStatus.COMMITTED,
        block: committed.blockNumber,
        validationCode: 0,
        reason: null,
        attempts: Math.max(attempts, 1),
      };
      await finish(command, state, "", new TextDecoder().decode(committed.result));
      lap(SubmissionStage.FINISH);
    },
  };
}
