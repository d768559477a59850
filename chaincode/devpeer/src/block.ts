import { randomBytes } from "node:crypto";
import { common, msp, peer } from "@hyperledger/fabric-protos";
import { sha256, signData } from "./crypto.js";
import type { PeerSigner } from "./transaction.js";
import { Timestamp } from "./well-known-types.js";

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

function derUnsignedInteger(value: number): Buffer {
  let hex = BigInt(value).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derTlv(0x02, bytes);
}

/**
 * The bytes Fabric hashes and signs for a block header: ASN.1 DER
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }`.
 */
export function blockHeaderBytes(header: common.BlockHeader): Buffer {
  return derTlv(
    0x30,
    Buffer.concat([
      derUnsignedInteger(header.getNumber()),
      derTlv(0x04, header.getPreviousHash_asU8()),
      derTlv(0x04, header.getDataHash_asU8()),
    ]),
  );
}

/** SHA-256 of the DER header: what the next block's `previous_hash` must equal. */
export function blockHeaderHash(header: common.BlockHeader): Buffer {
  return sha256(blockHeaderBytes(header));
}

/** SHA-256 of the concatenation of the block's data entries (the envelopes' bytes). */
export function blockDataHash(entries: Uint8Array[]): Buffer {
  return sha256(...entries);
}

function ordererMetadata(signer: PeerSigner, header: common.BlockHeader): Uint8Array {
  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(0);
  const value = new common.OrdererBlockMetadata();
  value.setLastConfig(lastConfig);
  const valueBytes = value.serializeBinary();
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(signer.identity);
  signatureHeader.setNonce(randomBytes(24));
  const signatureHeaderBytes = signatureHeader.serializeBinary();
  const signature = new common.MetadataSignature();
  signature.setSignatureHeader(signatureHeaderBytes);
  signature.setSignature(
    signData(signer.privateKey, Buffer.concat([valueBytes, signatureHeaderBytes, blockHeaderBytes(header)])),
  );
  const metadata = new common.Metadata();
  metadata.setValue(valueBytes);
  metadata.setSignaturesList([signature]);
  return metadata.serializeBinary();
}

/**
 * Builds block `number` over `entries`, chained to `previousHash`, with Fabric's five metadata slots:
 * SIGNATURES (signed by the devpeer, standing in for the orderer), LAST_CONFIG (block 0),
 * TRANSACTIONS_FILTER (one validation code per transaction), ORDERER (empty), COMMIT_HASH (empty).
 */
export function buildBlock(
  number: number,
  previousHash: Uint8Array,
  entries: Uint8Array[],
  codes: number[],
  signer: PeerSigner,
): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(number);
  header.setPreviousHash(previousHash);
  header.setDataHash(blockDataHash(entries));
  const data = new common.BlockData();
  data.setDataList(entries);
  const lastConfigValue = new common.LastConfig();
  lastConfigValue.setIndex(0);
  const lastConfig = new common.Metadata();
  lastConfig.setValue(lastConfigValue.serializeBinary());
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([
    ordererMetadata(signer, header),
    lastConfig.serializeBinary(),
    Uint8Array.from(codes),
    new Uint8Array(0),
    new Uint8Array(0),
  ]);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}

/**
 * The genesis block's single CONFIG envelope: a minimal channel config naming the channel's one
 * application organisation and its root certificate, so the chain itself records which CA it trusts.
 */
export function genesisConfigEnvelope(channelId: string, mspId: string, caCertificatePem: string, now: Date) {
  const fabricMsp = new msp.FabricMSPConfig();
  fabricMsp.setName(mspId);
  fabricMsp.setRootCertsList([Buffer.from(caCertificatePem)]);
  const mspConfig = new msp.MSPConfig();
  mspConfig.setType(0);
  mspConfig.setConfig(fabricMsp.serializeBinary());
  const mspValue = new common.ConfigValue();
  mspValue.setValue(mspConfig.serializeBinary());
  mspValue.setModPolicy("Admins");
  const org = new common.ConfigGroup();
  org.getValuesMap().set("MSP", mspValue);
  org.setModPolicy("Admins");
  const application = new common.ConfigGroup();
  application.getGroupsMap().set(mspId, org);
  application.setModPolicy("Admins");
  const channel = new common.ConfigGroup();
  channel.getGroupsMap().set("Application", application);
  channel.setModPolicy("Admins");
  const config = new common.Config();
  config.setSequence(0);
  config.setChannelGroup(channel);
  const configEnvelope = new common.ConfigEnvelope();
  configEnvelope.setConfig(config);

  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.CONFIG);
  channelHeader.setChannelId(channelId);
  channelHeader.setEpoch(0);
  channelHeader.setTimestamp(Timestamp.fromDate(now));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(new common.SignatureHeader().serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(configEnvelope.serializeBinary());
  const envelope = new common.Envelope();
  envelope.setPayload(payload.serializeBinary());
  return envelope;
}

/** Transaction filter of a block: the validation code of each transaction, by position. */
export function transactionFilter(block: common.Block): Uint8Array {
  return block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
}

/** One transaction of a committed block, as the gateway's event services need it. */
export interface CommittedTransaction {
  txId: string;
  type: number;
  code: number;
  event: peer.ChaincodeEvent | undefined;
}

/**
 * Reads the transactions of a block: id, header type, validation code and chaincode event.
 * Entries that do not parse are reported with an empty id (they were recorded as invalid).
 */
export function committedTransactions(block: common.Block): CommittedTransaction[] {
  const filter = transactionFilter(block);
  return (block.getData()?.getDataList_asU8() ?? []).map((bytes, index) => {
    const code = filter[index] ?? peer.TxValidationCode.NOT_VALIDATED;
    try {
      const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
      const channelHeader = common.ChannelHeader.deserializeBinary(
        payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(),
      );
      const type = channelHeader.getType();
      let event: peer.ChaincodeEvent | undefined;
      if (type === common.HeaderType.ENDORSER_TRANSACTION && code === peer.TxValidationCode.VALID) {
        event = chaincodeEventOf(payload);
      }
      return { txId: channelHeader.getTxId(), type, code, event };
    } catch {
      return { txId: "", type: -1, code, event: undefined };
    }
  });
}

function chaincodeEventOf(payload: common.Payload): peer.ChaincodeEvent | undefined {
  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  const action = transaction.getActionsList()[0];
  if (!action) return undefined;
  const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(
    actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array(),
  );
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  const events = chaincodeAction.getEvents_asU8();
  return events.length > 0 ? peer.ChaincodeEvent.deserializeBinary(events) : undefined;
}
