import type { KeyObject } from "node:crypto";
import { common, peer } from "@hyperledger/fabric-protos";
import type { ChaincodeResult } from "./chaincode-host.js";
import { signData } from "./crypto.js";
import type { ParsedProposal } from "./proposal.js";
import { proposalHash } from "./proposal.js";
import { ProtoWriter } from "./wire.js";

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
 * Written by hand (decision 0200); the bytes are those of the fabric-protos classes (see wire.test.ts).
 * @returns the payload's bytes and the event it carries.
 */
export function buildResponsePayload(
  proposal: ParsedProposal,
  result: ChaincodeResult,
  rwsetBytes: Uint8Array,
  chaincode: { name: string; version: string },
): { bytes: Uint8Array; event: peer.ChaincodeEvent | undefined } {
  const action = new ProtoWriter().bytes(1, rwsetBytes);
  let event: peer.ChaincodeEvent | undefined;
  if (result.event) {
    event = new peer.ChaincodeEvent();
    event.setChaincodeId(chaincode.name);
    event.setTxId(proposal.txId);
    event.setEventName(result.event.name);
    event.setPayload(result.event.payload);
    action.bytes(
      2,
      new ProtoWriter()
        .string(1, chaincode.name)
        .string(2, proposal.txId)
        .string(3, result.event.name)
        .bytes(4, result.event.payload),
    );
  }
  action.message(3, new ProtoWriter().uint(1, result.status).string(2, result.message).bytes(3, result.payload));
  action.message(4, new ProtoWriter().string(2, chaincode.name).string(3, chaincode.version));
  const bytes = new ProtoWriter()
    .bytes(
      1,
      proposalHash(proposal.channelHeaderBytes, proposal.signatureHeaderBytes, proposal.payloadWithoutTransient),
    )
    .bytes(2, action)
    .finish();
  return { bytes, event };
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
 * Written by hand (decision 0200); the bytes are those of the fabric-protos classes (see wire.test.ts).
 */
export function prepareTransaction(
  proposal: ParsedProposal,
  responsePayload: Uint8Array,
  endorsements: peer.Endorsement[],
): common.Envelope {
  const endorsed = new ProtoWriter().bytes(1, responsePayload);
  for (const endorsement of endorsements) {
    endorsed.message(
      2,
      new ProtoWriter().bytes(1, endorsement.getEndorser_asU8()).bytes(2, endorsement.getSignature_asU8()),
    );
  }
  const actionPayload = new ProtoWriter().bytes(1, proposal.payloadWithoutTransient).message(2, endorsed);
  const action = new ProtoWriter().bytes(1, proposal.signatureHeaderBytes).bytes(2, actionPayload);
  const transaction = new ProtoWriter().message(1, action);
  const header = new ProtoWriter()
    .bytes(1, proposal.header.getChannelHeader_asU8())
    .bytes(2, proposal.header.getSignatureHeader_asU8());
  // One buffer for the whole envelope payload: the nested writers are written into it in place.
  const payload = new ProtoWriter().message(1, header).bytes(2, transaction);
  const envelope = new common.Envelope();
  envelope.setPayload(payload.finish());
  return envelope;
}
