import type {
  ChainEvent,
  ContractName,
  EvaluateTransactionName,
  EventName,
  SubmitTransactionName,
  TransactionArgs,
  TransactionName,
  TransactionResult,
} from "@clearbook/contracts";
import type { ChaincodeEvent } from "@hyperledger/fabric-gateway";
import { decodeResult } from "./args.js";
import type { ChainClient, CommittedTransaction, PreparedProposal } from "./chain-client.types.js";
import type { Identity, SigningIdentity } from "./identity.js";

/** `api.voting.GetBallot(ballotId)`: every read-only transaction function as a typed method. */
export type EvaluateApi = {
  [C in ContractName]: {
    [N in EvaluateTransactionName as N extends `${C}:${infer F}` ? F : never]: (
      ...args: TransactionArgs<N>
    ) => Promise<TransactionResult<N>>;
  };
};

/** `proposalsFor(identity).voting.CastVote(ballotId, choice)`: every submit function, as an unsigned proposal. */
export type ProposalApi = {
  [C in ContractName]: {
    [N in SubmitTransactionName as N extends `${C}:${infer F}` ? F : never]: (
      ...args: TransactionArgs<N>
    ) => PreparedProposal & { transaction: N; args: TransactionArgs<N> };
  };
};

/** Builds `api.<contract>.<Function>(...)` over a call taking the full transaction name. */
function byContract<T extends object>(call: (transaction: string, args: string[]) => unknown): T {
  return new Proxy({} as T, {
    get: (_target, contract) =>
      new Proxy(
        {},
        {
          get:
            (_inner, fn) =>
            (...args: string[]) =>
              call(`${String(contract)}:${String(fn)}`, args),
        },
      ),
  });
}

/** A committed transaction with its decoded result. */
export interface TypedCommit<N extends TransactionName> extends CommittedTransaction {
  value: TransactionResult<N>;
  attempts: number;
  txIds: string[];
}

/** The typed face of the chain client, keyed by the contracts' own transaction table. */
export interface TypedChain {
  /** Read-only functions, run as the client's reader identity. */
  readonly query: EvaluateApi;
  evaluate<N extends TransactionName>(name: N, ...args: TransactionArgs<N>): Promise<TransactionResult<N>>;
  /** Typed proposal builders for one identity; the result also carries the name and arguments for the command. */
  proposalsFor(identity: Identity): ProposalApi;
  /** The unsigned proposal a service records with its command (it knows the tx id at once). */
  prepare<N extends SubmitTransactionName>(identity: Identity, name: N, ...args: TransactionArgs<N>): PreparedProposal;
  /** Signs, submits and waits for the commit, retrying read conflicts with fresh proposals. */
  submit<N extends SubmitTransactionName>(
    signer: SigningIdentity,
    name: N,
    ...args: TransactionArgs<N>
  ): Promise<TypedCommit<N>>;
}

/** Wraps a chain client with the contracts' types; results are decoded from JSON. */
export function createTypedChain(chain: ChainClient): TypedChain {
  const evaluate = async <N extends TransactionName>(name: N, ...args: TransactionArgs<N>) =>
    decodeResult(await chain.evaluate(name, args)) as TransactionResult<N>;
  const query = byContract<EvaluateApi>((transaction, args) =>
    evaluate(transaction as TransactionName, ...(args as never)),
  );
  return {
    query,
    evaluate,
    proposalsFor: (identity) =>
      byContract<ProposalApi>((transaction, args) => ({
        ...chain.prepareProposal({ identity, transaction, args }),
        transaction,
        args,
      })),
    prepare: (identity, name, ...args) => chain.prepareProposal({ identity, transaction: name, args }),
    async submit(signer, name, ...args) {
      const committed = await chain.submit(signer, name, args);
      return { ...committed, value: decodeResult(committed.result) as TransactionResult<typeof name> };
    },
  };
}

/** Every event name the contracts declare; the compiler fails here when one is added and not listed. */
const knownEventNames = {
  OrgCreated: true,
  OrgMembershipRequested: true,
  OrgMembershipApproved: true,
  OrgCouncilGranted: true,
  OrgCouncilRevoked: true,
  OrgSettingsUpdated: true,
  LedgerDepositSubmitted: true,
  LedgerDepositApproved: true,
  LedgerDepositRejected: true,
  LedgerSpendingProposed: true,
  VotingVoteCast: true,
  VotingBallotFinalized: true,
  TokenAccountOpened: true,
  TokenMinted: true,
  TokenTransferred: true,
  TokenEscrowLocked: true,
  TokenEscrowReleased: true,
  TokenEscrowRefunded: true,
  TokenBurned: true,
  TokenSpendingPaid: true,
} as const satisfies Record<EventName, true>;

function isEventName(name: string): name is EventName {
  return Object.hasOwn(knownEventNames, name);
}

/** A chaincode event with its payload decoded and its name checked against the contracts' table. */
export type DecodedChainEvent = ChainEvent & { txId: string; blockNumber: bigint };

/**
 * Decodes a chaincode event's JSON payload.
 * @returns the typed event, or `undefined` for a name this client does not know (a newer chaincode).
 */
export function decodeChainEvent(event: ChaincodeEvent): DecodedChainEvent | undefined {
  if (!isEventName(event.eventName)) return undefined;
  return {
    name: event.eventName,
    payload: decodeResult(event.payload),
    txId: event.transactionId,
    blockNumber: event.blockNumber,
  } as DecodedChainEvent;
}
