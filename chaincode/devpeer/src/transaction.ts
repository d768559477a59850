import type { KeyObject } from "node:crypto";
import { common, peer } from "@hyperledger/fabric-protos";
import type { ChaincodeResult } from "./chaincode-host.js";
import { signData } from "./crypto.js";
import type { ParsedProposal } from "./proposal.js";
import { proposalHash } from "./proposal.js";

/** Fabric's transaction validation codes (peer.TxValidationCode), by name. */
export const TxCode = peer.TxValidationCode;
export type TxCode = (typeof peer.TxValidationCode)[keyof typeof peer.TxValidationCode];

/** The endorsing peer's identity: its serialized creator bytes and signing key. */
export interface PeerSigner {
  identity: Uint8Array;
  privateKey: KeyObject;
}

/**
 * Builds the ProposalResponsePayload an endorser signs: the proposal hash and a ChaincodeAction with the
 * read/write set, the chaincode event (stamped with chaincode id and transaction id) and the response.
 * @returns the payload's bytes and the event it carries.
 */
export function buildResponsePayload(
  proposal: ParsedProposal,
  result: ChaincodeResult,
  rwsetBytes: Uint8Array,
  chaincode: { name: string; version: string },
): { bytes: Uint8Array; event: peer.ChaincodeEvent | undefined } {
  const response = new peer.Response();
  response.setStatus(result.status);
  response.setMessage(result.message);
  response.setPayload(result.payload);
  const action = new peer.ChaincodeAction();
  action.setResults(rwsetBytes);
  let event: peer.ChaincodeEvent | undefined;
  if (result.event) {
    event = new peer.ChaincodeEvent();
    event.setChaincodeId(chaincode.name);
    event.setTxId(proposal.txId);
    event.setEventName(result.event.name);
    event.setPayload(result.event.payload);
    action.setEvents(event.serializeBinary());
  }
  action.setResponse(response);
  const id = new peer.ChaincodeID();
  id.setName(chaincode.name);
  id.setVersion(chaincode.version);
  action.setChaincodeId(id);
  const payload = new peer.ProposalResponsePayload();
  payload.setProposalHash(
    proposalHash(proposal.channelHeaderBytes, proposal.signatureHeaderBytes, proposal.payloadWithoutTransient),
  );
  payload.setExtension$(action.serializeBinary());
  return { bytes: payload.serializeBinary(), event };
}

/** Signs a response payload as Fabric endorsers do: over `payload ‖ endorser`. */
export function endorse(responsePayload: Uint8Array, signer: PeerSigner): peer.Endorsement {
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(signer.identity);
  endorsement.setSignature(signData(signer.privateKey, Buffer.concat([responsePayload, signer.identity])));
  return endorsement;
}

/**
 * Assembles the unsigned transaction envelope the gateway returns from Endorse, exactly as Fabric's
 * gateway does (the proposal's header, one action with the endorsed response, no transient data).
 */
export function prepareTransaction(
  proposal: ParsedProposal,
  responsePayload: Uint8Array,
  endorsements: peer.Endorsement[],
): common.Envelope {
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload);
  endorsed.setEndorsementsList(endorsements);
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposal.payloadWithoutTransient);
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setHeader(proposal.signatureHeaderBytes);
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  const payload = new common.Payload();
  payload.setHeader(proposal.header);
  payload.setData(transaction.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}
