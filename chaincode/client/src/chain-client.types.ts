import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable } from "@hyperledger/fabric-gateway";
import type { common } from "@hyperledger/fabric-protos";
import type { ChainArg } from "./args.js";
import type { ConnectionProfile } from "./connection-profile.js";
import type { Identity, SigningIdentity } from "./identity.js";
import type { RetryPolicy } from "./retry.js";

/** Deadlines for each gRPC call, in milliseconds. */
export interface ChainTimeouts {
  evaluateMs: number;
  endorseMs: number;
  submitMs: number;
  commitStatusMs: number;
}

export const defaultTimeouts: ChainTimeouts = {
  evaluateMs: 5_000,
  endorseMs: 15_000,
  submitMs: 5_000,
  commitStatusMs: 60_000,
};

export interface ChainClientOptions {
  profile: ConnectionProfile;
  /** The identity evaluations and event streams run as (a read-only service identity will do). */
  reader: SigningIdentity;
  timeouts?: Partial<ChainTimeouts>;
  /** Retries of read conflicts in `submit` (a fresh proposal each time). */
  retry?: RetryPolicy;
  /**
   * How fresh submissions learn their outcome: from one filtered-block stream shared by all ("blocks",
   * the default, with CommitStatus as the fallback), or one CommitStatus call each ("status").
   */
  commitWatch?: "blocks" | "status";
}

/** An unsigned proposal: its transaction id is fixed now, only the signature needs the key. */
export interface PreparedProposal {
  txId: string;
  proposalBytes: Uint8Array;
}

/** A transaction that committed as VALID. */
export interface CommittedTransaction {
  txId: string;
  blockNumber: bigint;
  /** What the transaction function returned at endorsement. */
  result: Uint8Array;
}

export interface SubmitHooks {
  /**
   * Called with the signed envelope before it is sent, so a caller can record it and, after a crash,
   * resubmit that very transaction (a peer commits a transaction id at most once). Throwing aborts the submit.
   */
  onSigned?(signed: { txId: string; envelope: Uint8Array }): Promise<void>;
}

export interface ChainClient {
  readonly profile: ConnectionProfile;
  /**
   * Runs a transaction function on a peer without ordering it.
   * @returns the function's result bytes.
   * @throws AppError (coded chaincode error), ChainUnavailableError.
   */
  evaluate(transaction: string, args: readonly ChainArg[], as?: SigningIdentity): Promise<Uint8Array>;
  /** Builds the unsigned proposal for `identity`; pure, no network. */
  prepareProposal(request: { identity: Identity; transaction: string; args: readonly ChainArg[] }): PreparedProposal;
  /**
   * Signs a prepared proposal with `signer`, endorses it, signs and submits the transaction and
   * waits for its commit status.
   * @throws AppError (chaincode said no: final), TransactionRejectedError (invalid in its block),
   *   ChainUnavailableError (transport; the envelope, if `onSigned` saw it, may be resubmitted).
   */
  signAndSubmit(proposalBytes: Uint8Array, signer: SigningIdentity, hooks?: SubmitHooks): Promise<CommittedTransaction>;
  /**
   * Sends an already signed envelope (again) and waits for its commit status. A transaction that had
   * committed before reports its first outcome, not DUPLICATE_TXID.
   * @throws TransactionRejectedError, ChainUnavailableError.
   */
  resubmit(envelope: Uint8Array, signer: SigningIdentity): Promise<CommittedTransaction>;
  /**
   * Prepares, signs and submits, and on an MVCC or phantom read conflict starts over with a fresh
   * proposal (new transaction id), with bounded, jittered retries.
   * @returns the committed transaction and every transaction id tried.
   */
  submit(
    signer: SigningIdentity,
    transaction: string,
    args: readonly ChainArg[],
    hooks?: SubmitHooks,
  ): Promise<CommittedTransaction & { attempts: number; txIds: string[] }>;
  /** Chaincode events of the channel's chaincode, from the checkpoint or `startBlock` (else the next block). */
  chaincodeEvents(options?: {
    checkpoint?: Checkpoint;
    startBlock?: bigint;
  }): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  /** Full blocks, from the checkpoint or `startBlock` (else the next block). */
  blockEvents(options?: {
    checkpoint?: Checkpoint;
    startBlock?: bigint;
  }): Promise<CloseableAsyncIterable<common.Block>>;
  /** How outcomes were learnt so far: from the shared block stream, or by a CommitStatus call each. */
  stats(): { outcomesFromBlocks: number; outcomesFromStatus: number };
  /** The number of blocks on the channel, block 0 included (qscc GetChainInfo). */
  height(): Promise<bigint>;
  /** Block `number` of the channel (qscc GetBlockByNumber). @throws when the peer has no such block. */
  block(number: bigint): Promise<common.Block>;
  /** The validation code and block of a transaction, from the peer's ledger (qscc). */
  transactionStatus(txId: string): Promise<{ validationCode: number; blockNumber: bigint | undefined }>;
  dispose(): void;
}
