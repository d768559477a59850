import { common, gateway, msp, peer } from "@hyperledger/fabric-protos";

/** What an unsigned proposal (as `prepareProposal` returns it) says about itself. */
export interface ProposalSummary {
  txId: string;
  channel: string;
  chaincode: string;
  /** The creator: MSP id and PEM certificate the signature must match. */
  mspId: string;
  certPem: string;
  /** Transaction name (`<contract>:<Fn>`) then its arguments, as UTF-8. */
  args: string[];
}

/**
 * Reads a prepared proposal's header and invocation, so the signer can check that a command's
 * proposal is for the user, function and arguments the command names before signing it.
 * @throws Error when the bytes are not a gateway `ProposedTransaction`.
 */
export function inspectProposal(proposalBytes: Uint8Array): ProposalSummary {
  const proposed = gateway.ProposedTransaction.deserializeBinary(proposalBytes);
  const signed = proposed.getProposal();
  if (!signed) throw new Error("not a proposed transaction: no signed proposal");
  const proposal = peer.Proposal.deserializeBinary(signed.getProposalBytes_asU8());
  const header = common.Header.deserializeBinary(proposal.getHeader_asU8());
  const channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8());
  const creator = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const payload = peer.ChaincodeProposalPayload.deserializeBinary(proposal.getPayload_asU8());
  const invocation = peer.ChaincodeInvocationSpec.deserializeBinary(payload.getInput_asU8());
  const spec = invocation.getChaincodeSpec();
  const decoder = new TextDecoder();
  return {
    txId: channelHeader.getTxId(),
    channel: channelHeader.getChannelId(),
    chaincode: spec?.getChaincodeId()?.getName() ?? "",
    mspId: creator.getMspid(),
    certPem: decoder.decode(creator.getIdBytes_asU8()),
    args: (spec?.getInput()?.getArgsList_asU8() ?? []).map((arg) => decoder.decode(arg)),
  };
}
