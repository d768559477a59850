import { common, gateway, msp, peer } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { inspectProposal } from "../src/index.js";

const inspector = suite("proposal inspector");
const encoder = new TextEncoder();

interface Shape {
  txId: string;
  channel: string;
  chaincode: string;
  mspId: string;
  cert: Uint8Array;
  args: Uint8Array[];
  nonce?: Uint8Array;
  transient?: boolean;
  endorsingOrgs?: string[];
  signature?: Uint8Array;
}

/** A ProposedTransaction built with the google-protobuf classes, as fabric-gateway builds one. */
function build(shape: Shape): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(shape.txId);
  channelHeader.setChannelId(shape.channel);
  channelHeader.setEpoch(7);

  const extension = new peer.ChaincodeHeaderExtension();
  const headerId = new peer.ChaincodeID();
  headerId.setName(shape.chaincode);
  extension.setChaincodeId(headerId);
  channelHeader.setExtension$(extension.serializeBinary());
  const creator = new msp.SerializedIdentity();
  creator.setMspid(shape.mspId);
  creator.setIdBytes(shape.cert);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  signatureHeader.setNonce(shape.nonce ?? new Uint8Array(24).fill(9));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList(shape.args);
  const spec = new peer.ChaincodeSpec();
  spec.setType(peer.ChaincodeSpec.Type.NODE);
  const id = new peer.ChaincodeID();
  id.setName(shape.chaincode);
  id.setVersion("1.0");
  spec.setChaincodeId(id);
  spec.setInput(input);
  spec.setTimeout(30);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const payload = new peer.ChaincodeProposalPayload();
  payload.setInput(invocation.serializeBinary());
  if (shape.transient) payload.getTransientmapMap().set("secret", encoder.encode("value"));

  const proposal = new peer.Proposal();
  proposal.setHeader(header.serializeBinary());
  proposal.setPayload(payload.serializeBinary());
  const signed = new peer.SignedProposal();
  signed.setProposalBytes(proposal.serializeBinary());
  if (shape.signature) signed.setSignature(shape.signature);
  const proposed = new gateway.ProposedTransaction();
  proposed.setTransactionId(shape.txId);
  proposed.setProposal(signed);
  proposed.setEndorsingOrganizationsList(shape.endorsingOrgs ?? []);
  return proposed.serializeBinary();
}

/** What the google-protobuf classes read from the same bytes (the inspector's previous implementation). */
function reference(bytes: Uint8Array) {
  const proposed = gateway.ProposedTransaction.deserializeBinary(bytes);
  const signed = proposed.getProposal();
  if (!signed) throw new Error("no signed proposal");
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
    certBytes: Array.from(creator.getIdBytes_asU8()),
    args: (spec?.getInput()?.getArgsList_asU8() ?? []).map((arg) => decoder.decode(arg)),
    timestampMs: channelHeader.hasTimestamp()
      ? (channelHeader.getTimestamp()?.getSeconds() ?? 0) * 1000 +
        Math.floor((channelHeader.getTimestamp()?.getNanos() ?? 0) / 1e6)
      : undefined,
  };
}

function agrees(bytes: Uint8Array, label: string) {
  const { certBytes, ...rest } = inspectProposal(bytes);
  assert.equal({ ...rest, certBytes: Array.from(certBytes) }, reference(bytes), label);
}

const pem = `-----BEGIN CERTIFICATE-----\n${"MIIB".repeat(150)}\n-----END CERTIFICATE-----\n`;
const big = (n: number, seed: number) => encoder.encode("x".repeat(n).replace(/x/g, (_, i) => String((i + seed) % 10)));

inspector("reads what the google-protobuf classes read, for many shapes", () => {
  const base: Shape = {
    txId: "ab".repeat(32),
    channel: "clearbook",
    chaincode: "clearbook",
    mspId: "ClearbookMSP",
    cert: encoder.encode(pem),
    args: [encoder.encode("token:Transfer"), encoder.encode("alice"), encoder.encode("bob"), encoder.encode("10")],
  };
  const shapes: Array<[string, Shape]> = [
    ["typical", base],
    ["no arguments", { ...base, args: [] }],
    ["only the function", { ...base, args: [encoder.encode("token:Ping")] }],
    ["empty arguments", { ...base, args: [new Uint8Array(0), encoder.encode(""), new Uint8Array(0)] }],
    ["empty strings everywhere", { ...base, txId: "", channel: "", chaincode: "", mspId: "", cert: new Uint8Array(0) }],
    ["a 1 MB argument", { ...base, args: [encoder.encode("doc:Put"), big(1 << 20, 3)] }],
    ["a 70 kB certificate", { ...base, cert: big(70_000, 1) }],
    ["many arguments", { ...base, args: Array.from({ length: 300 }, (_, i) => encoder.encode(`arg-${i}`)) }],
    ["unicode", { ...base, mspId: "Org…Ünïcode", args: [encoder.encode("note:Add"), encoder.encode("日本語 ✓ 🎉")] }],
    ["binary argument", { ...base, args: [encoder.encode("x:Y"), Uint8Array.from({ length: 256 }, (_, i) => i)] }],
    ["transient map and orgs", { ...base, transient: true, endorsingOrgs: ["Org1MSP", "Org2MSP"] }],
    ["signed", { ...base, signature: new Uint8Array(71).fill(0x30) }],
    ["long names", { ...base, channel: "c".repeat(300), chaincode: "k".repeat(200), txId: "f".repeat(1000) }],
  ];
  for (const [label, shape] of shapes) agrees(build(shape), label);
  for (let i = 0; i < 200; i++) {
    const args = Array.from({ length: i % 7 }, (_, j) => big((i * 37 + j * 101) % 3000, i + j));
    agrees(build({ ...base, txId: `${i}`.repeat(i % 70), args, cert: big((i * 13) % 2000, i) }), `random ${i}`);
  }
});

/** A message's bytes with `extra` appended (a repeated field occurrence, or an unknown field). */
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

inspector("skips unknown fields of every wire type and lets the last occurrence of a field win", () => {
  const bytes = build({
    txId: "1".repeat(64),
    channel: "clearbook",
    chaincode: "clearbook",
    mspId: "A",
    cert: encoder.encode(pem),
    args: [encoder.encode("a:B")],
  });
  const unknown = Uint8Array.from([
    0xa8,
    0x01,
    0x96,
    0x01, // field 21 varint
    0xb1,
    0x01,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8, // field 22 fixed64
    0xbd,
    0x01,
    1,
    2,
    3,
    4, // field 23 fixed32
    0xc2,
    0x01,
    3,
    9,
    9,
    9, // field 24 bytes
    0xcb,
    0x01,
    0x08,
    0x01,
    0xcc,
    0x01, // field 25 group holding a varint
    ...[0x8a, 0x02, 2, 0x0a, 0x00], // field 33 bytes (33 mod 32 is 1: must not be read as field 1)
    ...[0x92, 0x02, 1, 7], // field 34 bytes (34 mod 32 is 2)
    ...[0x92, 0x82, 0x04, 1, 7], // field 8226 bytes
  ]);
  agrees(concat(unknown, bytes, unknown), "unknown fields around the message");
  const other = build({
    txId: "2".repeat(64),
    channel: "other",
    chaincode: "cc2",
    mspId: "B",
    cert: encoder.encode("cert B"),
    args: [encoder.encode("c:D"), encoder.encode("e")],
  });
  // A second proposal field (2) after the first: the later one is the proposal.
  agrees(concat(bytes, other), "two proposals, the last wins");
  const { txId } = inspectProposal(concat(bytes, other));
  assert.is(txId, "2".repeat(64));
});

inspector("refuses bytes that are not a proposed transaction", () => {
  const bytes = build({
    txId: "3".repeat(64),
    channel: "clearbook",
    chaincode: "clearbook",
    mspId: "A",
    cert: encoder.encode(pem),
    args: [encoder.encode("a:B")],
  });
  assert.throws(() => inspectProposal(new Uint8Array(0)), /no signed proposal/);
  const onlyTxId = new gateway.ProposedTransaction();
  onlyTxId.setTransactionId("abc");
  assert.throws(() => inspectProposal(onlyTxId.serializeBinary()), /no signed proposal/);
  for (const cut of [1, 2, 10, bytes.length >> 1, bytes.length - 1]) {
    assert.throws(() => inspectProposal(bytes.subarray(0, cut)), undefined, `cut at ${cut}`);
    assert.throws(
      () => gateway.ProposedTransaction.deserializeBinary(bytes.subarray(0, cut)),
      undefined,
      `cut at ${cut}`,
    );
  }
  assert.throws(() => inspectProposal(Uint8Array.from([0x12, 0x05, 0x0a])), /truncated/);
  assert.throws(() =>
    inspectProposal(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
  );
  assert.throws(() => inspectProposal(Uint8Array.from([0x10, 0x01])), /not length-delimited/);
});

inspector.run();
