import { type ServerWritableStream, type sendUnaryData, status } from "@grpc/grpc-js";
import { common, gateway, orderer, peer } from "@hyperledger/fabric-protos";
import { ChaincodeFailedError, type Endorser, ProposalRejectedError } from "./endorser.js";
import { type ErrorSource, isRpcError, type RpcError, rpcError } from "./grpc-errors.js";
import type { Ledger } from "./ledger.js";
import { AccessDeniedError, type MspVerifier } from "./msp.js";
import type { PreparedTransactions } from "./prepared-transactions.js";
import { MalformedRequestError, type ParsedProposal, parseSignedProposal } from "./proposal.js";
import { QsccError, queryQscc } from "./qscc.js";
import type { PendingTransaction } from "./validator.js";

/** What the gateway needs from the rest of the peer. */
export interface GatewayServiceOptions {
  channelId: string;
  chaincodeName: string;
  endorser: Endorser;
  ledger: Ledger;
  msp: MspVerifier;
  /** Transactions the endorser prepared, taken back at Submit. */
  prepared: PreparedTransactions;
  /** Hands a checked transaction to the block cutter. */
  order(transaction: PendingTransaction): void;
  /** This peer, as named in error details. */
  source: ErrorSource;
  /** Called with errors that are bugs rather than a caller's fault. */
  onInternalError(error: unknown): void;
  /**
   * Calls served at once (streams count while open), Fabric's `peer.limits.concurrency.gatewayService`
   * (default 500); one more is refused at once, as Fabric's limiter does.
   */
  concurrencyLimit?: number;
}

/** Fabric's default `peer.limits.concurrency.gatewayService`. */
export const DEFAULT_GATEWAY_CONCURRENCY_LIMIT = 500;

const QSCC = "qscc";

/**
 * An AbortSignal that fires when the client goes away before `done()` is called. grpc-js emits
 * "cancelled" when every call's stream closes, finished or not, and an abort builds a DOMException: so
 * the signal is only aborted while the call is still being served.
 */
function cancellation(call: { on(event: "cancelled", listener: () => void): unknown }): {
  signal: AbortSignal;
  done(): void;
} {
  const controller = new AbortController();
  let finished = false;
  call.on("cancelled", () => {
    if (!finished) controller.abort();
  });
  return {
    signal: controller.signal,
    done: () => {
      finished = true;
    },
  };
}

/**
 * The `gateway.Gateway` service with Fabric's semantics and error codes (see
 * hyperledger/fabric internal/pkg/gateway): INVALID_ARGUMENT for a request that does not parse,
 * FAILED_PRECONDITION for an unknown chaincode and, on Evaluate, for a proposal the endorser
 * refuses; on Endorse every endorser failure is ABORTED with the reason in the error details; a chaincode
 * error on Evaluate is UNKNOWN; PERMISSION_DENIED for a badly signed commit-status or events request.
 * A channel this peer has not joined is UNAVAILABLE "failed to get config for channel [c]" on Evaluate and
 * Submit, FAILED_PRECONDITION "no combination of peers …" on Endorse (no chaincode is known there), and
 * PERMISSION_DENIED "Failed to get policy manager for channel [c]" on CommitStatus and ChaincodeEvents
 * (all as Fabric 2.5.5 answers). Over the concurrency limit a call is refused with UNKNOWN "too many requests …", which
 * is what Fabric's gRPC limiter (an interceptor returning a plain error) puts on the wire.
 */
export function createGatewayService(options: GatewayServiceOptions): gateway.IGatewayServer {
  const detail = (message: string) => [{ ...options.source, message }];
  const limit = options.concurrencyLimit ?? DEFAULT_GATEWAY_CONCURRENCY_LIMIT;
  let inFlight = 0;
  /** Takes a slot for a call, or answers the error Fabric's limiter answers. */
  const acquire = (): RpcError | undefined => {
    if (inFlight >= limit) {
      return rpcError(status.UNKNOWN, `too many requests for /gateway.Gateway, exceeding concurrency limit (${limit})`);
    }
    inFlight++;
    return undefined;
  };
  const release = () => {
    inFlight--;
  };
  const unknownChannel = (channelId: string) =>
    rpcError(
      status.UNAVAILABLE,
      `failed to get config for channel [${channelId}]: could not get last config for channel ${channelId}`,
    );
  const noChannelPolicy = (channelId: string) =>
    rpcError(status.PERMISSION_DENIED, `Failed to get policy manager for channel [${channelId}]`);

  function unary<Res>(callback: sendUnaryData<Res>, run: () => Promise<Res>): void {
    const refused = acquire();
    if (refused) {
      callback(refused as RpcError & Error);
      return;
    }
    run().then(
      (response) => {
        release();
        callback(null, response);
      },
      (error: unknown) => {
        release();
        if (isRpcError(error)) return callback(error as RpcError & Error);
        options.onInternalError(error);
        callback(rpcError(status.INTERNAL, "internal error") as RpcError & Error);
      },
    );
  }

  function parseProposal(
    request: { getProposedTransaction(): ParsedProposal["signedProposal"] | undefined },
    purpose: "evaluate" | "endorse",
  ) {
    let proposal: ParsedProposal;
    try {
      proposal = parseSignedProposal(request.getProposedTransaction());
    } catch (error) {
      if (error instanceof MalformedRequestError) {
        throw rpcError(status.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${error.message}`);
      }
      throw error;
    }
    if (proposal.channelId !== options.channelId) {
      // Fabric's endorsement planner finds no chaincode on a channel it does not know; evaluate asks for its config.
      if (purpose === "endorse") requireChaincode(proposal, [], purpose);
      throw unknownChannel(proposal.channelId);
    }
    return proposal;
  }

  /** Fabric's answers for a chaincode not committed on the channel, from its endorsement planner. */
  function requireChaincode(proposal: ParsedProposal, allowed: string[], purpose: "evaluate" | "endorse"): void {
    if (allowed.includes(proposal.chaincodeName)) return;
    throw rpcError(
      status.FAILED_PRECONDITION,
      purpose === "evaluate"
        ? `no peers available to evaluate chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`
        : `no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode ${proposal.chaincodeName} in channel ${proposal.channelId}`,
    );
  }

  async function evaluate(call: { request: gateway.EvaluateRequest }): Promise<gateway.EvaluateResponse> {
    const proposal = parseProposal(call.request, "evaluate");
    requireChaincode(proposal, [options.chaincodeName, QSCC], "evaluate");
    const failed = (code: status, message: string) =>
      rpcError(code, `evaluate call to endorser returned error: ${message}`, detail(message));
    let result: { status: number; message: string; payload: Uint8Array };
    try {
      if (proposal.chaincodeName === QSCC) {
        options.endorser.check(proposal);
        result = {
          status: 200,
          message: "",
          payload: await queryQscc(options.ledger, options.channelId, proposal.args),
        };
      } else {
        result = await options.endorser.evaluate(proposal);
      }
    } catch (error) {
      if (error instanceof ProposalRejectedError) throw failed(status.FAILED_PRECONDITION, error.message);
      if (error instanceof ChaincodeFailedError) {
        throw failed(status.UNKNOWN, `chaincode response ${error.status}, ${error.message}`);
      }
      if (error instanceof QsccError) throw failed(status.UNKNOWN, `chaincode response 500, ${error.message}`);
      throw error;
    }
    const response = new gateway.EvaluateResponse();
    const message = new peer.Response();
    message.setStatus(result.status);
    message.setMessage(result.message);
    message.setPayload(result.payload);
    response.setResult(message);
    return response;
  }

  async function endorse(call: { request: gateway.EndorseRequest }): Promise<gateway.EndorseResponse> {
    const proposal = parseProposal(call.request, "endorse");
    requireChaincode(proposal, [options.chaincodeName], "endorse");
    let envelope: common.Envelope;
    try {
      envelope = await options.endorser.endorse(proposal);
    } catch (error) {
      const reason =
        error instanceof ProposalRejectedError
          ? error.message
          : error instanceof ChaincodeFailedError
            ? `chaincode response ${error.status}, ${error.message}`
            : undefined;
      if (reason === undefined) throw error;
      throw rpcError(
        status.ABORTED,
        "failed to endorse transaction, see attached details for more info",
        detail(reason),
      );
    }
    const response = new gateway.EndorseResponse();
    response.setPreparedTransaction(envelope);
    return response;
  }

  async function submit(call: { request: gateway.SubmitRequest }): Promise<gateway.SubmitResponse> {
    const envelope = call.request.getPreparedTransaction();
    if (!envelope) throw rpcError(status.INVALID_ARGUMENT, "a prepared transaction is required");
    if (envelope.getSignature_asU8().length === 0) {
      throw rpcError(status.INVALID_ARGUMENT, "prepared transaction must be signed");
    }
    if (call.request.getChannelId() !== options.channelId) throw unknownChannel(call.request.getChannelId());
    // The orderer's broadcast filters: a well-formed envelope for this channel, signed by a member.
    const refuse = (statusName: string, info: string) =>
      rpcError(status.ABORTED, `received unsuccessful response from orderer: status=${statusName}, info=${info}`);
    const creatorOf = (payloadBytes: Uint8Array): Uint8Array => {
      try {
        const payload = common.Payload.deserializeBinary(payloadBytes);
        const header = payload.getHeader();
        if (!header) throw new Error("missing header");
        const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
        if (channelHeader.getChannelId() !== options.channelId) throw new Error("wrong channel");
        return common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8();
      } catch (error) {
        throw refuse("BAD_REQUEST", `malformed transaction: ${(error as Error).message}`);
      }
    };
    const payloadBytes = envelope.getPayload_asU8();
    // A payload this peer prepared is well formed and for this channel, and its creator was checked
    // at Endorse: only the signature is new.
    const prepared = options.prepared.take(call.request.getTransactionId(), payloadBytes);
    const signature = envelope.getSignature_asU8();
    try {
      if (prepared?.identity) options.msp.verifyAs(prepared.identity, payloadBytes, signature);
      else options.msp.verify(prepared?.creator ?? creatorOf(payloadBytes), payloadBytes, signature);
    } catch (error) {
      if (error instanceof AccessDeniedError) throw refuse("FORBIDDEN", `access denied: ${error.message}`);
      throw error;
    }
    options.order({
      bytes: envelope.serializeBinary(),
      signatureChecked: true,
      prepared: prepared && { ...prepared, signature },
    });
    return new gateway.SubmitResponse();
  }

  function verifySignedRequest(requestBytes: Uint8Array, identity: Uint8Array, signature: Uint8Array): void {
    try {
      options.msp.verify(identity, requestBytes, signature);
    } catch (error) {
      if (error instanceof AccessDeniedError)
        throw rpcError(status.PERMISSION_DENIED, `access denied: ${error.message}`);
      throw error;
    }
  }

  async function commitStatus(call: {
    request: gateway.SignedCommitStatusRequest;
    on(event: "cancelled", listener: () => void): unknown;
  }): Promise<gateway.CommitStatusResponse> {
    const bytes = call.request.getRequest_asU8();
    if (bytes.length === 0) throw rpcError(status.INVALID_ARGUMENT, "a commit status request is required");
    let request: gateway.CommitStatusRequest;
    try {
      request = gateway.CommitStatusRequest.deserializeBinary(bytes);
    } catch (error) {
      throw rpcError(status.INVALID_ARGUMENT, `invalid status request: ${(error as Error).message}`);
    }
    if (request.getIdentity_asU8().length === 0) throw rpcError(status.INVALID_ARGUMENT, "no identity provided");
    if (!request.getTransactionId()) throw rpcError(status.INVALID_ARGUMENT, "transaction ID should not be empty");
    verifySignedRequest(bytes, request.getIdentity_asU8(), call.request.getSignature_asU8());
    if (request.getChannelId() !== options.channelId) throw noChannelPolicy(request.getChannelId());
    let txStatus = options.ledger.txStatus(request.getTransactionId());
    if (!txStatus) {
      const cancelled = cancellation(call);
      txStatus = await options.ledger
        .waitForTx(request.getTransactionId(), cancelled.signal)
        .catch(() => {
          throw rpcError(status.CANCELLED, "commit status request cancelled");
        })
        .finally(cancelled.done);
    }
    const response = new gateway.CommitStatusResponse();
    response.setResult(txStatus.code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
    response.setBlockNumber(txStatus.blockNumber);
    return response;
  }

  async function chaincodeEvents(
    call: ServerWritableStream<gateway.SignedChaincodeEventsRequest, gateway.ChaincodeEventsResponse>,
  ): Promise<void> {
    const bytes = call.request.getRequest_asU8();
    if (bytes.length === 0) throw rpcError(status.INVALID_ARGUMENT, "a chaincode events request is required");
    let request: gateway.ChaincodeEventsRequest;
    try {
      request = gateway.ChaincodeEventsRequest.deserializeBinary(bytes);
    } catch (error) {
      throw rpcError(status.INVALID_ARGUMENT, `invalid chaincode events request: ${(error as Error).message}`);
    }
    verifySignedRequest(bytes, request.getIdentity_asU8(), call.request.getSignature_asU8());
    if (request.getChannelId() !== options.channelId) throw noChannelPolicy(request.getChannelId());
    const { signal } = cancellation(call);
    const chaincodeId = request.getChaincodeId();
    let afterTx = request.getAfterTransactionId();
    let start = options.ledger.height;
    const position = request.getStartPosition();
    if (position?.getTypeCase() === orderer.SeekPosition.TypeCase.SPECIFIED) {
      start = position.getSpecified()?.getNumber() ?? start;
    }
    const after = afterTx ? options.ledger.txStatus(afterTx) : undefined;
    if (after) start = after.blockNumber;
    else afterTx = "";
    for (let number = start; !signal.aborted; number++) {
      await options.ledger.waitForHeight(number + 1, signal);
      const events = [];
      for (const tx of await options.ledger.transactionsOf(number)) {
        if (afterTx) {
          if (tx.txId === afterTx) afterTx = "";
          continue;
        }
        if (tx.event && tx.event.getChaincodeId() === chaincodeId) events.push(tx.event);
      }
      if (events.length === 0) continue;
      const response = new gateway.ChaincodeEventsResponse();
      response.setBlockNumber(number);
      response.setEventsList(events);
      if (!call.write(response)) await new Promise((resolve) => call.once("drain", resolve));
    }
  }

  return {
    evaluate: (call, callback) => unary(callback, () => evaluate(call)),
    endorse: (call, callback) => unary(callback, () => endorse(call)),
    submit: (call, callback) => unary(callback, () => submit(call)),
    commitStatus: (call, callback) => unary(callback, () => commitStatus(call)),
    chaincodeEvents: (call) => {
      const refused = acquire();
      if (refused) return void call.emit("error", refused);
      let released = false;
      const done = () => {
        if (!released) release();
        released = true;
      };
      call.on("cancelled", done);
      chaincodeEvents(call).then(
        () => {
          done();
          call.end();
        },
        (error: unknown) => {
          done();
          if (call.cancelled || (error as Error)?.name === "AbortError") return;
          if (isRpcError(error)) return call.emit("error", error);
          options.onInternalError(error);
          call.emit("error", rpcError(status.INTERNAL, "internal error"));
        },
      );
    },
  };
}
