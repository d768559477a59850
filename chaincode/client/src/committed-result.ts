import { common, peer } from "@hyperledger/fabric-protos";

/**
 * The chaincode's return value inside a committed transaction's envelope (as qscc's GetTransactionByID
 * returns it): Payload → Transaction → ChaincodeActionPayload → ProposalResponsePayload → ChaincodeAction.
 * @returns empty bytes when the envelope is not an endorser transaction.
 */
export function resultOfEnvelope(envelope: common.Envelope | undefined): Uint8Array {
  if (!envelope) return new Uint8Array();
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0];
  if (!action) return new Uint8Array();
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const responsePayload = actionPayload.getAction()?.getProposalResponsePayload_asU8();
  if (!responsePayload) return new Uint8Array();
  const extension = peer.ProposalResponsePayload.deserializeBinary(responsePayload).getExtension_asU8();
  return peer.ChaincodeAction.deserializeBinary(extension).getResponse()?.getPayload_asU8() ?? new Uint8Array();
}
