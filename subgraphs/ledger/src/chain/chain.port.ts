import type { SubmitTransactionName, TransactionArgs } from "@clearbook/contracts";
import type { EntityManager } from "@mikro-orm/mariadb";

export interface ChainCommand<N extends SubmitTransactionName = SubmitTransactionName> {
  /** The user whose Fabric identity signs the transaction. */
  actorId: string;
  name: N;
  /** Chaincode arguments in wire form (strings), typed by the contracts' table. */
  args: TransactionArgs<N>;
  /** Retries of the same mutation carry the same key; the outbox applies it once. */
  idempotencyKey: string;
  /** What must commit before this command may run (see `dependencyOn`); none when absent. */
  after?: CommandDependency | null;
  /** The row the command acts on, updated when a deferred command is sent or fails. */
  target?: CommandTarget;
}

/** A pending transaction, or a command still deferred, that another command waits for (decision 0300). */
export type CommandDependency = { txId: string } | { deferredId: string };

/** The read-model row a command acts on. */
export interface CommandTarget {
  kind: "entry" | "request" | "org";
  id: string;
}

/**
 * Where a submitted command stands: sent under `txId`, or deferred (`txId` null) until its actor's
 * identity exists and its dependency commits.
 */
export interface SubmittedCommand {
  txId: string | null;
}

/**
 * Writes to the chain. `submit` records the command in the caller's unit of work (the
 * transactional outbox), so the command exists exactly when the caller's rows commit, and
 * returns the transaction id it will be committed under (known up front with offline signing), or
 * null when the command is deferred: accepted and recorded, and sent by the releaser once the
 * actor's identity has been issued and the command's dependency has committed (decision 0300).
 */
export interface ChainCommands {
  submit<N extends SubmitTransactionName>(em: EntityManager, command: ChainCommand<N>): Promise<SubmittedCommand>;
  /**
   * Asks the signer to enroll a member's Fabric identity (also through the outbox). Never for a platform
   * admin: the signer refuses admin identities from a stream; an operator issues them with
   * `npm run enroll-admin -w @clearbook/signer -- <userId>` (decision 0361).
   */
  enroll(em: EntityManager, userId: string): Promise<void>;
}

/** A block as the explorer shows it (hashes hex-encoded). */
export interface ChainBlock {
  number: number;
  previousHash: string;
  dataHash: string;
  /** The block's data entries (envelope bytes), from which the data hash is recomputed. */
  data: Uint8Array[];
  transactions: ChainBlockTransaction[];
}

export interface ChainBlockTransaction {
  txId: string;
  function: string;
  validationCode: string;
  creator: string;
  timestamp: string | null;
}

/** Reads from the chain (evaluate and qscc queries). */
export interface ChainReads {
  /** The treasury balance of an organization, minor units. */
  treasuryBalance(orgId: string): Promise<bigint>;
  /** Number of blocks. */
  height(): Promise<number>;
  block(number: number): Promise<ChainBlock | null>;
  /** A transaction the peer has recorded (valid or not), or null when it has none by that id. */
  transaction(txId: string): Promise<(ChainBlockTransaction & { blockNumber: number | null }) | null>;
}
