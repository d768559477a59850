import type { common } from "@hyperledger/fabric-protos";
import type { ChaincodeHost, ChaincodeResult } from "./chaincode-host.js";
import type { Ledger } from "./ledger.js";
import { AccessDeniedError, type MspVerifier, type VerifiedIdentity } from "./msp.js";
import type { PreparedTransactions } from "./prepared-transactions.js";
import type { ParsedProposal } from "./proposal.js";
import { encodeTxReadWriteSet, type ReadWriteSet } from "./rwset.js";
import { TxSimulator } from "./simulator.js";
import { buildResponsePayload, endorse, type PeerSigner, prepareTransaction } from "./transaction.js";

/** The peer refused the proposal before running chaincode (Fabric's endorser preProcess). */
export class ProposalRejectedError extends Error {
  override readonly name = "ProposalRejectedError";
}

/** The chaincode answered with an error status; `message` is the chaincode's own message. */
export class ChaincodeFailedError extends Error {
  override readonly name = "ChaincodeFailedError";
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface EndorserOptions {
  channelId: string;
  chaincode: { name: string; version: string };
  msp: MspVerifier;
  host: ChaincodeHost;
  ledger: Ledger;
  signer: PeerSigner;
  /** Where endorsed transactions wait for their Submit. */
  prepared: PreparedTransactions;
}

/**
 * The endorsing peer: checks a proposal as Fabric's endorser does (creator is a member, signature
 * over the proposal bytes, transaction id not already used), simulates it against committed state, and
 * for Endorse signs the response and assembles the transaction the client will sign and submit.
 */
export class Endorser {
  readonly #options: EndorserOptions;

  constructor(options: EndorserOptions) {
    this.#options = options;
  }

  /**
   * Fabric's preProcess.
   * @returns the creator, verified.
   * @throws ProposalRejectedError with Fabric's wording ("access denied: …", "duplicate transaction found …").
   */
  check(proposal: ParsedProposal): VerifiedIdentity {
    let identity: VerifiedIdentity;
    try {
      identity = this.#options.msp.verify(proposal.creator, proposal.proposalBytes, proposal.signature);
    } catch (error) {
      if (!(error instanceof AccessDeniedError)) throw error;
      throw new ProposalRejectedError(
        `access denied: channel [${proposal.channelId}] creator org [${this.#options.msp.mspId}]: ${error.message}`,
      );
    }
    if (this.#options.ledger.isTxIdUsed(proposal.txId)) {
      throw new ProposalRejectedError(`duplicate transaction found [${proposal.txId}]`);
    }
    return identity;
  }

  async #simulate(
    proposal: ParsedProposal,
  ): Promise<{ result: ChaincodeResult; rwset: ReadWriteSet; rwsetBytes: Uint8Array }> {
    const simulator = new TxSimulator(this.#options.ledger.state);
    const result = await this.#options.host.invoke(simulator, {
      channelId: proposal.channelId,
      txId: proposal.txId,
      input: proposal.input,
      signedProposal: proposal.signedProposal,
    });
    if (result.status >= 400) throw new ChaincodeFailedError(result.status, result.message);
    const rwset = simulator.result(this.#options.chaincode.name);
    return { result, rwset, rwsetBytes: encodeTxReadWriteSet(rwset) };
  }

  /**
   * Runs a read-only query.
   * @returns the chaincode's response.
   * @throws ProposalRejectedError or ChaincodeFailedError.
   */
  async evaluate(proposal: ParsedProposal): Promise<ChaincodeResult> {
    this.check(proposal);
    return (await this.#simulate(proposal)).result;
  }

  /**
   * Simulates and endorses a proposal.
   * @returns the prepared (unsigned) transaction envelope.
   * @throws ProposalRejectedError or ChaincodeFailedError.
   */
  async endorse(proposal: ParsedProposal): Promise<common.Envelope> {
    const identity = this.check(proposal);
    const { result, rwset, rwsetBytes } = await this.#simulate(proposal);
    const response = buildResponsePayload(proposal, result, rwsetBytes, this.#options.chaincode);
    const endorsement = endorse(response.bytes, this.#options.signer);
    const envelope = prepareTransaction(proposal, response.bytes, [endorsement]);
    this.#options.prepared.remember({
      txId: proposal.txId,
      channelId: proposal.channelId,
      creator: proposal.creator,
      identity,
      nonce: proposal.nonce,
      payloadBytes: envelope.getPayload_asU8(),
      signature: new Uint8Array(0),
      responsePayload: response.bytes,
      endorsements: [endorsement],
      rwsets: [rwset],
      event: response.event,
    });
    return envelope;
  }
}
