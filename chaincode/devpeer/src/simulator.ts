import { peer } from "@hyperledger/fabric-protos";
import type { KeyRead, RangeRead, ReadWriteSet } from "./rwset.js";
import type { KeyWrite, WorldState } from "./world-state.js";

const EMPTY = Buffer.alloc(0);

function refuse(what: string): never {
  throw new Error(`${what} is not supported by devpeer`);
}

function requirePublic(collection: string): void {
  if (collection) refuse("private data");
}

interface QueryResult {
  key: string;
  value: Buffer;
}

/** The async iterator shape fabric-shim's stub hands to chaincode. */
interface ShimIterator {
  next(): Promise<{ value?: QueryResult; done: boolean }>;
  close(): Promise<void>;
}

/**
 * Simulates one transaction against the committed state and records what Fabric's transaction
 * simulator records: the version of every key read (the first time it was read), every range scan
 * with the keys it returned, and the last write per key. Reads never see the transaction's own writes.
 *
 * An instance is the "handler" fabric-shim's real ChaincodeStub talks to, so chaincode runs through the
 * unmodified stub; the method names and argument order are the shim's.
 */
export class TxSimulator {
  readonly #state: WorldState;
  readonly #reads = new Map<string, KeyRead>();
  readonly #rangeReads: RangeRead[] = [];
  readonly #writes = new Map<string, Uint8Array | null>();
  #paginated = false;

  constructor(state: WorldState) {
    this.#state = state;
  }

  async handleGetState(collection: string, key: string): Promise<Buffer> {
    requirePublic(collection);
    const entry = this.#state.get(key);
    if (!this.#reads.has(key)) this.#reads.set(key, { key, version: entry?.version });
    return entry ? Buffer.from(entry.value) : EMPTY;
  }

  async handlePutState(collection: string, key: string, value: Uint8Array): Promise<void> {
    requirePublic(collection);
    if (!key) throw new Error("key must not be an empty string");
    if (this.#paginated) throw new Error("txs with paginated queries are not allowed to perform writes");
    this.#writes.set(key, Buffer.from(value));
  }

  async handleDeleteState(collection: string, key: string): Promise<void> {
    requirePublic(collection);
    if (this.#paginated) throw new Error("txs with paginated queries are not allowed to perform writes");
    this.#writes.set(key, null);
  }

  async handleGetStateByRange(
    collection: string,
    startKey: string,
    endKey: string,
    _channelId: string,
    _txId: string,
    metadata?: Uint8Array,
  ): Promise<{ iterator: ShimIterator; metadata?: { bookmark: string; fetchedRecordsCount: number } }> {
    requirePublic(collection);
    let start = startKey;
    let pageSize = Number.POSITIVE_INFINITY;
    if (metadata && metadata.length > 0) {
      if (this.#writes.size > 0) throw new Error("paginated queries are not allowed in transactions that write");
      this.#paginated = true;
      const query = peer.QueryMetadata.deserializeBinary(metadata);
      pageSize = query.getPagesize() > 0 ? query.getPagesize() : pageSize;
      if (query.getBookmark()) start = query.getBookmark();
    }
    // Materialised now, so a commit between two `next()` calls cannot shift the scan.
    const results: { key: string; value: Buffer; read: KeyRead }[] = [];
    let bookmark = "";
    for (const [key, entry] of this.#state.range(start, endKey)) {
      if (results.length >= pageSize) {
        bookmark = key;
        break;
      }
      results.push({ key, value: Buffer.from(entry.value), read: { key, version: entry.version } });
    }
    const record: RangeRead = { startKey: start, endKey, exhausted: false, reads: [] };
    this.#rangeReads.push(record);
    let position = 0;
    const iterator: ShimIterator = {
      next: async () => {
        const result = results[position];
        if (!result) {
          record.exhausted = true;
          return { done: true };
        }
        position++;
        record.reads.push(result.read);
        return { value: { key: result.key, value: result.value }, done: false };
      },
      close: async () => {},
    };
    return metadata && metadata.length > 0
      ? { iterator, metadata: { bookmark, fetchedRecordsCount: results.length } }
      : { iterator };
  }

  async handleGetStateMetadata(collection: string): Promise<Record<string, Uint8Array>> {
    requirePublic(collection);
    return {};
  }

  async handlePutStateMetadata(): Promise<never> {
    refuse("state-based endorsement");
  }

  async handleGetQueryResult(): Promise<never> {
    refuse("rich (CouchDB) queries");
  }

  async handleGetHistoryForKey(): Promise<never> {
    refuse("key history");
  }

  async handleInvokeChaincode(): Promise<never> {
    refuse("chaincode-to-chaincode invocation");
  }

  async handleGetPrivateDataHash(): Promise<never> {
    refuse("private data");
  }

  async handlePurgeState(): Promise<never> {
    refuse("private data");
  }

  /** What the simulation read and wrote, for the endorsement. */
  result(namespace: string): ReadWriteSet {
    const writes: KeyWrite[] = [...this.#writes].map(([key, value]) => ({ key, value }));
    // A snapshot: an iterator the chaincode left open must not change what was endorsed.
    const rangeReads = this.#rangeReads.map((range) => ({ ...range, reads: [...range.reads] }));
    return { namespace, reads: [...this.#reads.values()], rangeReads, writes };
  }
}
