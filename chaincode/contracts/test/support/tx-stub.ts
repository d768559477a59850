import type { ChaincodeStub, Iterators, SerializedIdentity, SplitCompositekey, Timestamp } from "fabric-shim-api";
import Long from "long";
import type { ReadWriteSet, WorldState } from "./world-state.js";

// The real stub's composite key helpers, so keys are byte-for-byte what Fabric would store.
// fabric-shim's stub module has no typings of its own (plain CommonJS, so required untyped).
const RealStub: {
  prototype: Pick<ChaincodeStub, "createCompositeKey" | "splitCompositeKey">;
} = require("fabric-shim/lib/stub.js");

const COMPOSITE_NS = "\u0000";
const MAX_RUNE = "\u{10ffff}";
const EMPTY_KEY_SUBSTITUTE = "\u0001";

export interface TxInput {
  txId: string;
  channelId: string;
  creator: SerializedIdentity;
  timestampMs: number;
  /** Function name then arguments, as the client sends them. */
  args: string[];
}

export interface EmittedEvent {
  name: string;
  payload: Buffer;
}

type StubSurface = Pick<
  ChaincodeStub,
  | "getArgs"
  | "getStringArgs"
  | "getFunctionAndParameters"
  | "getTxID"
  | "getChannelID"
  | "getCreator"
  | "getMspID"
  | "getTransient"
  | "getTxTimestamp"
  | "getDateTimestamp"
  | "getState"
  | "putState"
  | "deleteState"
  | "getStateByRange"
  | "getStateByPartialCompositeKey"
  | "setEvent"
  | "createCompositeKey"
  | "splitCompositeKey"
>;

/**
 * One transaction's view of the world, behaving like Fabric's simulator: reads see committed
 * state only (never the transaction's own writes), every read and range read is recorded with
 * the versions seen, writes are buffered into the write set, and the last event set wins.
 */
export class TxStub implements StubSurface {
  readonly rwset: ReadWriteSet = { reads: new Map(), ranges: [], writes: new Map() };
  readonly events: EmittedEvent[] = [];

  constructor(
    private readonly world: WorldState,
    private readonly input: TxInput,
  ) {}

  getBufferArgs(): Buffer[] {
    return this.input.args.map((a) => Buffer.from(a, "utf8"));
  }

  getArgs(): string[] {
    return [...this.input.args];
  }

  getStringArgs(): string[] {
    return [...this.input.args];
  }

  getFunctionAndParameters(): { fcn: string; params: string[] } {
    const [fcn = "", ...params] = this.input.args;
    return { fcn, params };
  }

  getTxID(): string {
    return this.input.txId;
  }

  getChannelID(): string {
    return this.input.channelId;
  }

  getCreator(): SerializedIdentity {
    return this.input.creator;
  }

  getMspID(): string {
    return this.input.creator.mspid;
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map();
  }

  getTxTimestamp(): Timestamp {
    const ms = this.input.timestampMs;
    return { seconds: Long.fromNumber(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    return new Date(this.input.timestampMs);
  }

  async getState(key: string): Promise<Uint8Array> {
    checkKey(key);
    const current = this.world.get(key);
    this.rwset.reads.set(key, current?.version ?? null);
    return current ? Buffer.from(current.value) : Buffer.alloc(0);
  }

  async putState(key: string, value: Uint8Array): Promise<void> {
    checkKey(key);
    // Fabric stores an empty value as a delete; chaincode that means to delete says so.
    if (!value || value.length === 0) throw new Error(`putState(${JSON.stringify(key)}) with an empty value`);
    this.rwset.writes.set(key, Buffer.from(value));
  }

  async deleteState(key: string): Promise<void> {
    checkKey(key);
    this.rwset.writes.set(key, null);
  }

  getStateByRange(
    startKey: string,
    endKey: string,
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    for (const key of [startKey, endKey]) {
      if (key.startsWith(COMPOSITE_NS))
        throw new Error(`range key ${JSON.stringify(key)} is in the composite namespace`);
    }
    return this.rangeIterator(startKey || EMPTY_KEY_SUBSTITUTE, endKey);
  }

  getStateByPartialCompositeKey(
    objectType: string,
    attributes: string[],
  ): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    const prefix = this.createCompositeKey(objectType, attributes);
    return this.rangeIterator(prefix, prefix + MAX_RUNE);
  }

  setEvent(name: string, payload: Uint8Array): void {
    if (!name) throw new Error("event name must be a non-empty string");
    this.events.push({ name, payload: Buffer.from(payload) });
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return RealStub.prototype.createCompositeKey.call(this, objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): SplitCompositekey {
    return RealStub.prototype.splitCompositeKey.call(this, compositeKey);
  }

  /** The event Fabric would record: the last one set. */
  lastEvent(): EmittedEvent | undefined {
    return this.events.at(-1);
  }

  private rangeIterator(startKey: string, endKey: string) {
    const results = this.world.range(startKey, endKey);
    this.rwset.ranges.push({ startKey, endKey, results: results.map(([key, v]) => [key, v.version]) });
    const kvs: Iterators.KV[] = results.map(([key, v]) => ({
      namespace: "clearbook",
      key,
      value: Buffer.from(v.value),
    }));
    let index = 0;
    const iterator: Iterators.StateQueryIterator = {
      async next() {
        const value = kvs[index++];
        return value ? { value, done: false } : { value: undefined as unknown as Iterators.KV, done: true };
      },
      async close() {},
    };
    const promise = Promise.resolve(iterator);
    return Object.assign(promise, {
      async *[Symbol.asyncIterator]() {
        yield* kvs;
      },
    });
  }
}

function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw new Error("key must be a non-empty string");
}
