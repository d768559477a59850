import type { CallOptions } from "@grpc/grpc-js";
import {
  type CloseableAsyncIterable,
  connect,
  type Gateway,
  type GrpcClient,
  hash,
  type Identity,
  type Proposal,
  type Status,
  type Transaction,
} from "@hyperledger/fabric-gateway";
import { common, peer } from "@hyperledger/fabric-protos";
import { type ChainArg, encodeArg } from "./args.js";
import {
  type ChainClient,
  type ChainClientOptions,
  type CommittedTransaction,
  defaultTimeouts,
  type SubmitHooks,
} from "./chain-client.types.js";
import { TransactionRejectedError, toChainError, ValidationCode } from "./chain-errors.js";
import { type CommitWatcher, createCommitWatcher, type TxOutcome } from "./commit-watcher.js";
import { createEndpointPool, type EndpointPool, GrpcStatus, grpcCode } from "./endpoint-pool.js";
import type { SigningIdentity } from "./identity.js";
import { backoffDelay, defaultRetryPolicy, sleep } from "./retry.js";

/** An endorsed, signed transaction and the connection it was endorsed on. */
interface Endorsed {
  client: GrpcClient;
  transaction: Transaction;
}

/**
 * Puts `signature` on the endorsed transaction. fabric-gateway's transaction objects take it in place
 * (`setSignature`, not on the public interface); the public way, `newSignedTransaction`, parses the
 * whole envelope again, so it is only the fallback.
 */
function withSignature(gateway: Gateway, transaction: Transaction, signature: Uint8Array): Transaction {
  const settable = transaction as Transaction & { setSignature?: (signature: Uint8Array) => void };
  if (typeof settable.setSignature !== "function") {
    return gateway.newSignedTransaction(transaction.getBytes(), signature);
  }
  settable.setSignature(signature);
  return transaction;
}

/**
 * Puts `signature` on the proposal in place (`setSignature`, like `withSignature`), or parses it again
 * with the signature through the public `newSignedProposal`.
 */
function signedProposal(gateway: Gateway, proposal: Proposal, bytes: Uint8Array, signature: Uint8Array): Proposal {
  const settable = proposal as Proposal & { setSignature?: (signature: Uint8Array) => void };
  if (typeof settable.setSignature !== "function") return gateway.newSignedProposal(bytes, signature);
  settable.setSignature(signature);
  return proposal;
}

const deadline = (ms: number) => (): CallOptions => ({ deadline: Date.now() + ms });

/** Creates a client over every endpoint of the profile; `dispose()` closes the connections. */
export function createChainClient(options: ChainClientOptions): ChainClient {
  const { profile, reader } = options;
  const timeouts = { ...defaultTimeouts, ...options.timeouts };
  const retry = options.retry ?? defaultRetryPolicy;
  const pool: EndpointPool = createEndpointPool(profile);

  // The call options of every Gateway, built once (fabric-gateway calls them per gRPC call).
  const callOptions = {
    evaluateOptions: deadline(timeouts.evaluateMs),
    endorseOptions: deadline(timeouts.endorseMs),
    submitOptions: deadline(timeouts.submitMs),
    commitStatusOptions: deadline(timeouts.commitStatusMs),
  };

  // A Gateway is a cheap view of one identity over a shared gRPC connection: build one per use.
  const gatewayFor = (client: GrpcClient, as: SigningIdentity): Gateway =>
    connect({
      client,
      identity: as.identity,
      signer: as.sign,
      // The SignFn gets the message and hashes it itself (OpenSSL), see identity.ts.
      hash: hash.none,
      ...callOptions,
    });

  /**
   * Gateways without a signer, one per connection and identity, for `signAndSubmit`: it signs the
   * proposal and the transaction with the command's key itself, so the gateway never signs, and a
   * gateway (a copy and a serialization of the creator's certificate) need not be built per command.
   * Holding no signing function, it holds no key (decision 0041); were it asked to sign, it would fail.
   */
  const unsignedGateways = new WeakMap<GrpcClient, WeakMap<Identity, Gateway>>();
  const unsignedGateway = (client: GrpcClient, identity: Identity): Gateway => {
    let byIdentity = unsignedGateways.get(client);
    if (!byIdentity) {
      byIdentity = new WeakMap();
      unsignedGateways.set(client, byIdentity);
    }
    let gateway = byIdentity.get(identity);
    if (!gateway) {
      gateway = connect({ client, identity, hash: hash.none, ...callOptions });
      byIdentity.set(identity, gateway);
    }
    return gateway;
  };

  const evaluate = async (
    transaction: string,
    args: readonly ChainArg[],
    as = reader,
    chaincode = profile.chaincode,
  ): Promise<Uint8Array> => {
    try {
      return await pool.withFailover((client) =>
        gatewayFor(client, as)
          .getNetwork(profile.channel)
          .getContract(chaincode)
          .evaluateTransaction(transaction, ...args.map(encodeArg)),
      );
    } catch (error) {
      throw toChainError(error);
    }
  };

  const transactionStatus = async (txId: string) => {
    const bytes = await pool.withFailover((client) =>
      gatewayFor(client, reader)
        .getNetwork(profile.channel)
        .getContract("qscc")
        .evaluateTransaction("GetTransactionByID", profile.channel, txId),
    );
    const processed = peer.ProcessedTransaction.deserializeBinary(bytes);
    let blockNumber: bigint | undefined;
    try {
      const block = await pool.withFailover((client) =>
        gatewayFor(client, reader)
          .getNetwork(profile.channel)
          .getContract("qscc")
          .evaluateTransaction("GetBlockByTxID", profile.channel, txId),
      );
      blockNumber = BigInt(common.Block.deserializeBinary(block).getHeader()?.getNumber() ?? 0);
    } catch {
      blockNumber = undefined; // a peer without GetBlockByTxID: the status is what matters
    }
    return { validationCode: processed.getValidationcode(), blockNumber };
  };

  const settle = async (status: TxOutcome, result: Uint8Array): Promise<CommittedTransaction> => {
    let { code, blockNumber } = status;
    if (code === ValidationCode.DUPLICATE_TXID) {
      // This envelope had been sent before (a redelivered command): report what the first copy did.
      const first = await transactionStatus(status.transactionId);
      code = first.validationCode;
      blockNumber = first.blockNumber ?? blockNumber;
    }
    if (code !== ValidationCode.VALID) {
      throw new TransactionRejectedError(status.transactionId, code, validationName(code), blockNumber);
    }
    return { txId: status.transactionId, blockNumber, result };
  };

  /**
   * Opens an event stream on the current endpoint; when it breaks with UNAVAILABLE the pool moves on,
   * so the caller's reconnect (from its checkpoint) goes to the next peer.
   */
  const openStream = async <T>(
    open: (network: ReturnType<Gateway["getNetwork"]>) => Promise<CloseableAsyncIterable<T>>,
  ): Promise<CloseableAsyncIterable<T>> => {
    const { client, address } = pool.current();
    const inner = await open(gatewayFor(client, reader).getNetwork(profile.channel));
    return {
      async *[Symbol.asyncIterator]() {
        try {
          yield* inner;
        } catch (error) {
          if (grpcCode(error) === GrpcStatus.UNAVAILABLE) pool.failedOver(address);
          throw error;
        }
      },
      close: () => inner.close(),
      [Symbol.dispose]: () => inner.close(),
    };
  };

  const height = async (): Promise<bigint> => {
    const info = await evaluate("GetChainInfo", [profile.channel], reader, "qscc");
    return BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight());
  };
  const block = async (number: bigint): Promise<common.Block> =>
    common.Block.deserializeBinary(
      await evaluate("GetBlockByNumber", [profile.channel, number.toString()], reader, "qscc"),
    );

  let watcher: CommitWatcher | undefined;
  const counts = { outcomesFromBlocks: 0, outcomesFromStatus: 0 };
  const commitWatcher = (): CommitWatcher | undefined => {
    if (options.commitWatch === "status") return undefined;
    watcher ??= createCommitWatcher({
      height,
      open: (startBlock) => openStream((network) => network.getFilteredBlockEvents({ startBlock })),
      timeoutMs: timeouts.commitStatusMs,
    });
    return watcher;
  };

  /**
   * Sends a signed envelope and waits for its outcome (from the block stream when `watch`, else CommitStatus).
   * `endorsed` is the transaction object the envelope came from, on the connection it was endorsed on:
   * sending it as it is saves parsing the envelope again (the failover to another endpoint re-reads it).
   */
  const send = async (
    envelope: Uint8Array,
    signer: SigningIdentity,
    watch: boolean,
    endorsed?: Endorsed,
  ): Promise<CommittedTransaction> => {
    let txId: string | undefined;
    let expectation: ReturnType<CommitWatcher["expect"]> | undefined;
    try {
      let result: Uint8Array = new Uint8Array();
      const submitted = await pool.withFailover(async (client) => {
        const transaction =
          endorsed?.client === client ? endorsed.transaction : gatewayFor(client, signer).newTransaction(envelope);
        txId = transaction.getTransactionId();
        result = transaction.getResult();
        expectation ??= watch ? commitWatcher()?.expect(txId) : undefined;
        return transaction.submit();
      });
      const seen = await expectation?.outcome;
      if (seen) {
        counts.outcomesFromBlocks++;
        return await settle(seen, result);
      }
      counts.outcomesFromStatus++;
      const commitBytes = submitted.getBytes();
      const commitSignature = await signer.sign(submitted.getDigest());
      const status: Status = await pool.withFailover((client) =>
        gatewayFor(client, signer).newSignedCommit(commitBytes, commitSignature).getStatus(),
      );
      return await settle(status, result);
    } catch (error) {
      expectation?.cancel();
      throw toChainError(error, txId);
    }
  };

  const resubmit = (envelope: Uint8Array, signer: SigningIdentity) => send(envelope, signer, false);

  const signAndSubmit = async (
    proposalBytes: Uint8Array,
    signer: SigningIdentity,
    hooks: SubmitHooks = {},
  ): Promise<CommittedTransaction> => {
    let txId: string | undefined;
    let endorsed: Endorsed;
    try {
      endorsed = await pool.withFailover(async (client) => {
        // The command's key signs the proposal and the transaction here; the shared gateway never signs.
        const gateway = unsignedGateway(client, signer.identity);
        const unsignedProposal = gateway.newProposal(proposalBytes);
        txId = unsignedProposal.getTransactionId();
        const proposal = signedProposal(
          gateway,
          unsignedProposal,
          proposalBytes,
          await signer.sign(unsignedProposal.getDigest()),
        );
        const unsigned = await proposal.endorse();
        const signature = await signer.sign(unsigned.getDigest());
        return { client, transaction: withSignature(gateway, unsigned, signature) };
      });
    } catch (error) {
      throw toChainError(error, txId);
    }
    const envelope = endorsed.transaction.getBytes();
    await hooks.onSigned?.({ txId: txId ?? "", envelope });
    return send(envelope, signer, true, endorsed);
  };

  const prepareProposal: ChainClient["prepareProposal"] = ({ identity, transaction, args }) => {
    const gateway = connect({ client: pool.current().client, identity, hash: hash.none });
    const proposal = gateway
      .getNetwork(profile.channel)
      .getContract(profile.chaincode)
      .newProposal(transaction, { arguments: args.map(encodeArg) });
    return { txId: proposal.getTransactionId(), proposalBytes: proposal.getBytes() };
  };

  return {
    profile,
    evaluate,
    prepareProposal,
    signAndSubmit,
    resubmit,
    async submit(signer, transaction, args, hooks) {
      const txIds: string[] = [];
      for (let attempt = 1; ; attempt++) {
        const { txId, proposalBytes } = prepareProposal({ identity: signer.identity, transaction, args });
        txIds.push(txId);
        try {
          const committed = await signAndSubmit(proposalBytes, signer, hooks);
          return { ...committed, attempts: attempt, txIds };
        } catch (error) {
          const conflict = error instanceof TransactionRejectedError && error.isReadConflict;
          if (!conflict || attempt >= retry.maxAttempts) throw error;
          await sleep(backoffDelay(retry, attempt));
        }
      }
    },
    chaincodeEvents: (eventOptions = {}) =>
      openStream((network) => network.getChaincodeEvents(profile.chaincode, eventOptions)),
    blockEvents: (eventOptions = {}) => openStream((network) => network.getBlockEvents(eventOptions)),
    transactionStatus,
    height,
    block,
    stats: () => ({ ...counts }),
    dispose: () => {
      watcher?.dispose();
      pool.dispose();
    },
  };
}

const validationNames = new Map<number, string>(
  Object.entries(peer.TxValidationCode).map(([name, code]) => [code, name]),
);

/** The protos name of a validation code (`MVCC_READ_CONFLICT` for 11). */
export function validationName(code: number): string {
  return validationNames.get(code) ?? `UNKNOWN_${code}`;
}
