import { common, peer } from "@hyperledger/fabric-protos";
import { sha256 } from "./crypto.js";

/** A request the peer cannot even read; maps to gRPC INVALID_ARGUMENT. */
export class MalformedRequestError extends Error {
  override readonly name = "MalformedRequestError";
}

/** The parts of a signed proposal the peer works with, parsed once at the edge. */
export interface ParsedProposal {
  signedProposal: peer.SignedProposal;
  proposalBytes: Uint8Array;
  signature: Uint8Array;
  header: common.Header;
  channelHeader: common.ChannelHeader;
  channelHeaderBytes: Uint8Array;
  signatureHeaderBytes: Uint8Array;
  channelId: string;
  txId: string;
  creator: Uint8Array;
  nonce: Uint8Array;
  chaincodeName: string;
  input: peer.ChaincodeInput;
  args: Uint8Array[];
  /** The ChaincodeProposalPayload without its transient map, as it goes into the transaction. */
  payloadWithoutTransient: Uint8Array;
  hasTransientData: boolean;
}

function parse<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw new MalformedRequestError(`${what}: ${(error as Error).message}`);
  }
}

/** Fabric's transaction id rule: hex(SHA-256(nonce ‖ creator)). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return sha256(nonce, creator).toString("hex");
}

/**
 * Unpacks a SignedProposal as Fabric's gateway and endorser do.
 * @returns the parsed proposal.
 * @throws MalformedRequestError when any layer does not parse, a required field is missing, the header
 *   type is not ENDORSER_TRANSACTION, or the transaction id is not derived from nonce and creator.
 */
export function parseSignedProposal(signedProposal: peer.SignedProposal | undefined): ParsedProposal {
  const proposalBytes = signedProposal?.getProposalBytes_asU8();
  if (!signedProposal || !proposalBytes || proposalBytes.length === 0) {
    throw new MalformedRequestError("the proposed transaction must contain a signed proposal");
  }
  const proposal = parse("proposal", () => peer.Proposal.deserializeBinary(proposalBytes));
  const header = parse("header", () => common.Header.deserializeBinary(proposal.getHeader_asU8()));
  const channelHeaderBytes = header.getChannelHeader_asU8();
  const signatureHeaderBytes = header.getSignatureHeader_asU8();
  const channelHeader = parse("channel header", () => common.ChannelHeader.deserializeBinary(channelHeaderBytes));
  const signatureHeader = parse("signature header", () =>
    common.SignatureHeader.deserializeBinary(signatureHeaderBytes),
  );
  const payload = parse("chaincode proposal payload", () =>
    peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8()),
  );
  const spec = parse("chaincode invocation spec", () =>
    peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8()),
  );
  if (channelHeader.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
    throw new MalformedRequestError(`invalid header type ${channelHeader.getType()}`);
  }
  const channelId = channelHeader.getChannelId();
  if (!channelId) throw new MalformedRequestError("no channel id provided");
  const chaincodeName = spec.getChaincodeSpec()?.getChaincodeId()?.getName() ?? "";
  if (!chaincodeName) throw new MalformedRequestError(`no chaincode name is provided, channel id [${channelId}]`);
  const creator = signatureHeader.getCreator_asU8();
  const nonce = signatureHeader.getNonce_asU8();
  if (creator.length === 0 || nonce.length === 0) throw new MalformedRequestError("missing creator or nonce");
  const txId = channelHeader.getTxId();
  const expected = computeTxId(nonce, creator);
  if (txId !== expected) throw new MalformedRequestError(`invalid txID. It must be [${expected}]`);
  const input = spec.getChaincodeSpec()?.getInput() ?? new peer.ChaincodeInput();
  const withoutTransient = new peer.ChaincodeProposalPayload();
  withoutTransient.setInput(payload.getInput_asU8());
  return {
    signedProposal,
    proposalBytes,
    signature: signedProposal.getSignature_asU8(),
    header,
    channelHeader,
    channelHeaderBytes,
    signatureHeaderBytes,
    channelId,
    txId,
    creator,
    nonce,
    chaincodeName,
    input,
    args: input.getArgsList_asU8(),
    payloadWithoutTransient: withoutTransient.serializeBinary(),
    hasTransientData: payload.getTransientmapMap().getLength() > 0,
  };
}

/**
 * The proposal hash an endorsement commits to: SHA-256 over the channel header, the signature header
 * and the proposal payload without transient data (Fabric's GetProposalHash2), so the same value can
 * be recomputed from the transaction at commit.
 */
export function proposalHash(
  channelHeaderBytes: Uint8Array,
  signatureHeaderBytes: Uint8Array,
  payloadWithoutTransient: Uint8Array,
): Buffer {
  return sha256(channelHeaderBytes, signatureHeaderBytes, payloadWithoutTransient);
}
