import { ledger } from "@hyperledger/fabric-protos";
import { ProtoWriter } from "./wire.js";
import { compareKeys, type KeyWrite, type Version } from "./world-state.js";

const kv = ledger.rwset.kvrwset;

/** A key read during simulation with the committed version seen (undefined: the key did not exist). */
export interface KeyRead {
  key: string;
  version: Version | undefined;
}

/** A range scan during simulation: its bounds, whether it ran to the end, and the keys it returned. */
export interface RangeRead {
  startKey: string;
  endKey: string;
  exhausted: boolean;
  reads: KeyRead[];
}

/** The read/write set of one transaction in one chaincode namespace. */
export interface ReadWriteSet {
  namespace: string;
  reads: KeyRead[];
  rangeReads: RangeRead[];
  writes: KeyWrite[];
}

function decodeRead(read: InstanceType<typeof kv.KVRead>): KeyRead {
  const version = read.getVersion();
  return {
    key: read.getKey(),
    version: version ? { blockNum: version.getBlockNum(), txNum: version.getTxNum() } : undefined,
  };
}

function encodeRead(read: KeyRead): ProtoWriter {
  const message = new ProtoWriter().string(1, read.key);
  if (read.version) {
    message.message(2, new ProtoWriter().uint(1, read.version.blockNum).uint(2, read.version.txNum));
  }
  return message;
}

/**
 * Encodes a `rwset.TxReadWriteSet` (KV data model) with reads and writes sorted by key, as Fabric does.
 * Written by hand (decision 0200); the bytes are those of the fabric-protos classes (see wire.test.ts).
 */
export function encodeTxReadWriteSet(rwset: ReadWriteSet): Uint8Array {
  const set = new ProtoWriter();
  const reads = rwset.reads.length > 1 ? [...rwset.reads].sort((a, b) => compareKeys(a.key, b.key)) : rwset.reads;
  for (const read of reads) set.message(1, encodeRead(read));
  for (const range of rwset.rangeReads) {
    const raw = new ProtoWriter();
    for (const read of range.reads) raw.message(1, encodeRead(read));
    set.message(
      2,
      new ProtoWriter().string(1, range.startKey).string(2, range.endKey).bool(3, range.exhausted).message(4, raw),
    );
  }
  const writes = rwset.writes.length > 1 ? [...rwset.writes].sort((a, b) => compareKeys(a.key, b.key)) : rwset.writes;
  for (const write of writes) {
    const message = new ProtoWriter().string(1, write.key);
    if (write.value === null) message.bool(2, true);
    else message.bytes(3, write.value);
    set.message(3, message);
  }
  const ns = new ProtoWriter().string(1, rwset.namespace).bytes(2, set);
  // data_model (1) is KV = 0, the default, so it is not written.
  return new ProtoWriter().message(2, ns).finish();
}

/**
 * Decodes a `rwset.TxReadWriteSet`.
 * @returns one ReadWriteSet per namespace.
 * @throws when the bytes do not parse or a range query carries Merkle summaries instead of raw reads.
 */
export function decodeTxReadWriteSet(bytes: Uint8Array): ReadWriteSet[] {
  const tx = ledger.rwset.TxReadWriteSet.deserializeBinary(bytes);
  return tx.getNsRwsetList().map((ns) => {
    const set = kv.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    return {
      namespace: ns.getNamespace(),
      reads: set.getReadsList().map(decodeRead),
      rangeReads: set.getRangeQueriesInfoList().map((info) => {
        const raw = info.getRawReads();
        if (!raw) throw new Error("range query without raw reads");
        return {
          startKey: info.getStartKey(),
          endKey: info.getEndKey(),
          exhausted: info.getItrExhausted(),
          reads: raw.getKvReadsList().map(decodeRead),
        };
      }),
      writes: set.getWritesList().map((write) => ({
        key: write.getKey(),
        value: write.getIsDelete() ? null : write.getValue_asU8(),
      })),
    };
  });
}
