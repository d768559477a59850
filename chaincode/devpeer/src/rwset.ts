import { ledger } from "@hyperledger/fabric-protos";
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

function encodeRead(read: KeyRead): InstanceType<typeof kv.KVRead> {
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

function decodeRead(read: InstanceType<typeof kv.KVRead>): KeyRead {
  const version = read.getVersion();
  return {
    key: read.getKey(),
    version: version ? { blockNum: version.getBlockNum(), txNum: version.getTxNum() } : undefined,
  };
}

/** Encodes a `rwset.TxReadWriteSet` (KV data model) with reads and writes sorted by key, as Fabric does. */
export function encodeTxReadWriteSet(rwset: ReadWriteSet): Uint8Array {
  const set = new kv.KVRWSet();
  set.setReadsList([...rwset.reads].sort((a, b) => compareKeys(a.key, b.key)).map(encodeRead));
  set.setRangeQueriesInfoList(
    rwset.rangeReads.map((range) => {
      const info = new kv.RangeQueryInfo();
      info.setStartKey(range.startKey);
      info.setEndKey(range.endKey);
      info.setItrExhausted(range.exhausted);
      const raw = new kv.QueryReads();
      raw.setKvReadsList(range.reads.map(encodeRead));
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
