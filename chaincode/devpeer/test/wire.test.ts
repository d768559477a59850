import { common, ledger, peer } from "@hyperledger/fabric-protos";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ChaincodeResult } from "../src/chaincode-host.js";
import type { ParsedProposal } from "../src/proposal.js";
import { proposalHash } from "../src/proposal.js";
import { encodeTxReadWriteSet, type KeyRead, type ReadWriteSet } from "../src/rwset.js";
import { buildResponsePayload, prepareTransaction } from "../src/transaction.js";
import { ProtoWriter } from "../src/wire.js";
import { compareKeys } from "../src/world-state.js";

const test = suite("hand-written protobuf encoders");
const kv = ledger.rwset.kvrwset;

// The google-protobuf encoders the hand-written ones replace (decision 0200), kept here as the reference.
function referenceRead(read: KeyRead): InstanceType<typeof kv.KVRead> {
  const message = new kv.KVRead();
  message.setKey(read.key);
  if (read.version) {
    const version = new kv.Version();
    version.setBlockNum(read.version.blockNum);
    version.setTxNum(read.version.txNum);
    message.setVersion(version);
  }
  return message;
}

function referenceRwset(rwset: ReadWriteSet): Uint8Array {
  const set = new kv.KVRWSet();
  set.setReadsList([...rwset.reads].sort((a, b) => compareKeys(a.key, b.key)).map(referenceRead));
  set.setRangeQueriesInfoList(
    rwset.rangeReads.map((range) => {
      const info = new kv.RangeQueryInfo();
      info.setStartKey(range.startKey);
      info.setEndKey(range.endKey);
      info.setItrExhausted(range.exhausted);
      const raw = new kv.QueryReads();
      raw.setKvReadsList(range.reads.map(referenceRead));
      info.setRawReads(raw);
      return info;
    }),
  );
  set.setWritesList(
    [...rwset.writes]
      .sort((a, b) => compareKeys(a.key, b.key))
      .map((write) => {
        const message = new kv.KVWrite();
        message.setKey(write.key);
        if (write.value === null) message.setIsDelete(true);
        else message.setValue(write.value);
        return message;
      }),
  );
  const ns = new ledger.rwset.NsReadWriteSet();
  ns.setNamespace(rwset.namespace);
  ns.setRwset(set.serializeBinary());
  const tx = new ledger.rwset.TxReadWriteSet();
  tx.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  tx.setNsRwsetList([ns]);
  return tx.serializeBinary();
}

function referenceResponsePayload(
  proposal: ParsedProposal,
  result: ChaincodeResult,
  rwsetBytes: Uint8Array,
  chaincode: { name: string; version: string },
): Uint8Array {
  const response = new peer.Response();
  response.setStatus(result.status);
  response.setMessage(result.message);
  response.setPayload(result.payload);
  const action = new peer.ChaincodeAction();
  action.setResults(rwsetBytes);
  if (result.event) {
    const event = new peer.ChaincodeEvent();
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
  return payload.serializeBinary();
}

function referenceEnvelope(
  proposal: ParsedProposal,
  responsePayload: Uint8Array,
  endorsements: peer.Endorsement[],
): Uint8Array {
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
  return envelope.serializeBinary();
}

function bytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

const big = "k".repeat(70_000);
const keys = ["", "a", "b\u0000c", "ünïcödé", "😀 emoji", "lone \ud800 surrogate", "tail \udc00", big];
const versions = [undefined, { blockNum: 0, txNum: 0 }, { blockNum: 1, txNum: 0 }, { blockNum: 0, txNum: 5 }];
const largeVersions = [
  { blockNum: 127, txNum: 128 },
  { blockNum: 16_383, txNum: 16_384 },
  { blockNum: 2 ** 32 + 3, txNum: 2 ** 31 },
  { blockNum: Number.MAX_SAFE_INTEGER, txNum: 300 },
];

function rwsets(): ReadWriteSet[] {
  const all: ReadWriteSet[] = [
    { namespace: "", reads: [], rangeReads: [], writes: [] },
    { namespace: "token", reads: [], rangeReads: [], writes: [] },
  ];
  for (const key of keys) {
    for (const version of [...versions, ...largeVersions]) {
      all.push({ namespace: "token", reads: [{ key, version }], rangeReads: [], writes: [] });
    }
    for (const value of [null, new Uint8Array(0), bytes(1), bytes(200), bytes(300_000)]) {
      all.push({ namespace: "token", reads: [], rangeReads: [], writes: [{ key, value }] });
    }
  }
  all.push({
    namespace: "token",
    reads: [
      { key: "z", version: { blockNum: 3, txNum: 1 } },
      { key: "a", version: undefined },
      { key: "m", version: { blockNum: 0, txNum: 0 } },
    ],
    rangeReads: [
      { startKey: "", endKey: "", exhausted: false, reads: [] },
      {
        startKey: "a",
        endKey: "z",
        exhausted: true,
        reads: [
          { key: "b", version: { blockNum: 1, txNum: 2 } },
          { key: "c", version: undefined },
        ],
      },
    ],
    writes: [
      { key: "y", value: bytes(10) },
      { key: "b", value: null },
      { key: "q", value: new Uint8Array(0) },
    ],
  });
  return all;
}

test("TxReadWriteSet: same bytes as google-protobuf for every shape", () => {
  for (const rwset of rwsets()) {
    assert.equal(Buffer.from(encodeTxReadWriteSet(rwset)), Buffer.from(referenceRwset(rwset)));
  }
});

test("TxReadWriteSet: decodes back with google-protobuf", () => {
  for (const rwset of rwsets()) {
    const decoded = ledger.rwset.TxReadWriteSet.deserializeBinary(encodeTxReadWriteSet(rwset));
    assert.is(decoded.getNsRwsetList()[0]?.getNamespace(), rwset.namespace);
  }
});

function proposalOf(shape: { channelHeader: Uint8Array; signatureHeader: Uint8Array; payload: Uint8Array }) {
  const header = new common.Header();
  header.setChannelHeader(shape.channelHeader);
  header.setSignatureHeader(shape.signatureHeader);
  // As parsed from the wire, like the devpeer's ParsedProposal.
  const parsed = common.Header.deserializeBinary(header.serializeBinary());
  return {
    header: parsed,
    channelHeaderBytes: shape.channelHeader,
    signatureHeaderBytes: shape.signatureHeader,
    payloadWithoutTransient: shape.payload,
    txId: "a".repeat(64),
  } as unknown as ParsedProposal;
}

const proposalShapes = [
  { channelHeader: new Uint8Array(0), signatureHeader: new Uint8Array(0), payload: new Uint8Array(0) },
  { channelHeader: bytes(60), signatureHeader: new Uint8Array(0), payload: bytes(3) },
  { channelHeader: new Uint8Array(0), signatureHeader: bytes(900), payload: new Uint8Array(0) },
  { channelHeader: bytes(120), signatureHeader: bytes(1_000), payload: bytes(250_000) },
];

const results: ChaincodeResult[] = [
  { status: 0, message: "", payload: new Uint8Array(0), event: undefined },
  { status: 200, message: "", payload: bytes(40), event: undefined },
  { status: 200, message: "ok ✓", payload: bytes(200_000), event: { name: "", payload: new Uint8Array(0) } },
  { status: 500, message: "m", payload: new Uint8Array(0), event: { name: "Moved", payload: bytes(130) } },
  { status: -1, message: "negative status", payload: bytes(1), event: undefined },
] as ChaincodeResult[];

const chaincodes = [
  { name: "", version: "" },
  { name: "token", version: "1.0" },
];

function endorsementOf(endorser: Uint8Array, signature: Uint8Array): peer.Endorsement {
  const endorsement = new peer.Endorsement();
  endorsement.setEndorser(endorser);
  endorsement.setSignature(signature);
  return endorsement;
}

test("ProposalResponsePayload and prepared envelope: same bytes as google-protobuf", () => {
  const rwsetBytes = [new Uint8Array(0), encodeTxReadWriteSet(rwsets().at(-1) as ReadWriteSet), bytes(70_000)];
  const endorsementSets = [
    [],
    [endorsementOf(new Uint8Array(0), new Uint8Array(0))],
    [endorsementOf(bytes(800), bytes(71)), endorsementOf(bytes(5), new Uint8Array(0))],
  ];
  for (const shape of proposalShapes) {
    const proposal = proposalOf(shape);
    for (const result of results) {
      for (const chaincode of chaincodes) {
        for (const rw of rwsetBytes) {
          const built = buildResponsePayload(proposal, result, rw, chaincode);
          const expected = referenceResponsePayload(proposal, result, rw, chaincode);
          assert.equal(Buffer.from(built.bytes), Buffer.from(expected));
          assert.is(built.event?.getEventName(), result.event?.name);
          for (const endorsements of endorsementSets) {
            const envelope = prepareTransaction(proposal, built.bytes, endorsements);
            assert.equal(
              Buffer.from(envelope.serializeBinary()),
              Buffer.from(referenceEnvelope(proposal, built.bytes, endorsements)),
            );
          }
        }
      }
    }
  }
});

test("ProtoWriter: varints, defaults and empty sub-messages as google-protobuf writes them", () => {
  for (const value of [0, 1, 127, 128, 255, 16_383, 16_384, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1]) {
    const version = new kv.Version();
    version.setBlockNum(value);
    version.setTxNum(value);
    assert.equal(
      Buffer.from(new ProtoWriter().uint(1, value).uint(2, value).finish()),
      Buffer.from(version.serializeBinary()),
    );
  }
  for (const value of [-1, -2, -128, -(2 ** 31)]) {
    const response = new peer.Response();
    response.setStatus(value);
    assert.equal(Buffer.from(new ProtoWriter().uint(1, value).finish()), Buffer.from(response.serializeBinary()));
  }
  const info = new kv.RangeQueryInfo();
  info.setRawReads(new kv.QueryReads());
  assert.equal(
    Buffer.from(new ProtoWriter().string(1, "").string(2, "").bool(3, false).message(4, new Uint8Array(0)).finish()),
    Buffer.from(info.serializeBinary()),
  );
  assert.is(new ProtoWriter().finish().length, 0);
});

test("ProtoWriter: a nested writer gives the bytes of its finished message, written in one buffer", () => {
  const leaf = () => new ProtoWriter().string(1, "key").uint(2, 300);
  const empty = () => new ProtoWriter().string(1, "").uint(2, 0);
  const build = (nested: boolean) => {
    const level = (w: ProtoWriter) => (nested ? w : w.finish());
    const middle = new ProtoWriter().message(1, level(leaf())).message(2, level(empty())).bytes(3, level(empty()));
    middle.bytes(4, level(new ProtoWriter().bytes(1, level(leaf())).bool(2, true)));
    return new ProtoWriter().uint(1, 7).message(2, level(middle)).bytes(3, level(leaf())).finish();
  };
  assert.equal(Buffer.from(build(true)), Buffer.from(build(false)));
  // An empty sub-message is written (zero length); an empty bytes field is left out, as with plain bytes.
  assert.equal(
    Buffer.from(new ProtoWriter().message(1, new ProtoWriter()).bytes(2, new ProtoWriter()).finish()),
    Buffer.from([0x0a, 0x00]),
  );
});

test.run();
