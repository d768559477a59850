import { createHash } from "node:crypto";
import { JSONSerializer } from "fabric-contract-api";
import type { ChaincodeResponse } from "fabric-shim-api";
import {
  CHANNEL_NAME,
  type ChainErrorCode,
  type EventName,
  parseChainError,
  TRANSACTIONS,
  type TransactionArgs,
  type TransactionName,
  type TransactionResult,
} from "../../src/api.js";
import { contracts } from "../../src/index.js";
import type { TestIdentity } from "./identities.js";
import { TxStub } from "./tx-stub.js";
import { ValidationCode, WorldState } from "./world-state.js";

// fabric-shim's contract dispatcher has no typings of its own (plain CommonJS, so required untyped).
const ChaincodeFromContract: new (
  contracts: unknown[],
  serializers: unknown,
  metadata: object,
  title: string,
  version: string,
) => {
  Invoke(stub: unknown): Promise<ChaincodeResponse>;
  metadata: ContractMetadata;
} = require("fabric-shim/lib/contract-spi/chaincodefromcontract.js");

export interface ContractMetadata {
  contracts: Record<
    string,
    { transactions: Array<{ name: string; tag?: string[]; parameters?: Array<{ name: string }> }> }
  >;
}

/** A refusal from the chaincode, with the code read back from its message as a client would. */
export class ChainCallError extends Error {
  constructor(
    readonly code: ChainErrorCode | null,
    message: string,
  ) {
    super(message);
  }
}

export interface Endorsement {
  txId: string;
  stub: TxStub;
  response: ChaincodeResponse;
}

/**
 * The chaincode dispatched through fabric-contract-api's real `ChaincodeFromContract`, over a
 * Fabric-like world state. Time is injected (`clock.ms`), so a one-hour ballot closes at once.
 */
export class TestChain {
  readonly world = new WorldState();
  readonly chaincode = new ChaincodeFromContract(
    [...contracts],
    { transaction: "jsonSerializer", serializers: { jsonSerializer: JSONSerializer } },
    {},
    "clearbook",
    "test",
  );
  readonly clock = { ms: Date.parse("2026-03-02T09:00:00.000Z") };
  private nonce = 0;

  advance(seconds: number): void {
    this.clock.ms += seconds * 1000;
  }

  /** Simulates a proposal against the committed state; nothing is committed. */
  async endorse(who: TestIdentity, name: string, args: readonly string[]): Promise<Endorsement> {
    const txId = createHash("sha256")
      .update(`tx-${++this.nonce}`)
      .digest("hex");
    const stub = new TxStub(this.world, {
      txId,
      channelId: CHANNEL_NAME,
      creator: { mspid: who.mspId, idBytes: Buffer.from(who.certPem, "utf8") },
      timestampMs: this.clock.ms,
      args: [name, ...args],
    });
    const response = await this.chaincode.Invoke(stub);
    return { txId, stub, response };
  }

  /**
   * Endorses on two simulated peers (to catch non-determinism), commits the transaction in its
   * own block, checks it emitted exactly one event, and returns the parsed result.
   */
  async submit<N extends TransactionName>(
    who: TestIdentity,
    name: N,
    ...args: TransactionArgs<N>
  ): Promise<TransactionResult<N>> {
    const first = await this.endorse(who, name, args);
    this.nonce -= 1;
    const second = await this.endorse(who, name, args);
    if (fingerprint(first) !== fingerprint(second)) throw new Error(`${name} is not deterministic`);
    const payload = unwrap(first.response);
    const { stub } = first;
    if (stub.rwset.writes.size > 0 && stub.events.length !== 1) {
      throw new Error(`${name} changed state with ${stub.events.length} events`);
    }
    const [code] = this.world.commitBlock([stub.rwset]);
    if (code !== ValidationCode.VALID) throw new Error(`${name} was invalidated: ${code}`);
    return payload as TransactionResult<N>;
  }

  /** Runs a read as an evaluation; asserts the read-only functions write nothing. */
  async evaluate<N extends TransactionName>(
    who: TestIdentity,
    name: N,
    ...args: TransactionArgs<N>
  ): Promise<TransactionResult<N>> {
    const { stub, response } = await this.endorse(who, name, args);
    if (TRANSACTIONS[name].submit) throw new Error(`${name} is a submit transaction`);
    if (stub.rwset.writes.size > 0 || stub.events.length > 0) throw new Error(`${name} wrote state`);
    return unwrap(response) as TransactionResult<N>;
  }

  /** The event the last endorsement of `endorsement` set, decoded. */
  static event(endorsement: Endorsement): { name: EventName; payload: unknown } | null {
    const event = endorsement.stub.lastEvent();
    return event ? { name: event.name as EventName, payload: JSON.parse(event.payload.toString("utf8")) } : null;
  }
}

function unwrap(response: ChaincodeResponse): unknown {
  if (response.status !== 200) {
    const message = response.message ?? "";
    throw new ChainCallError(parseChainError(message)?.code ?? null, message);
  }
  const text = Buffer.from(response.payload ?? new Uint8Array()).toString("utf8");
  return text === "" ? undefined : JSON.parse(text);
}

function fingerprint({ stub, response }: Endorsement): string {
  const writes = [...stub.rwset.writes].map(([k, v]) => [k, v?.toString("base64") ?? null]);
  const reads = [...stub.rwset.reads];
  const events = stub.events.map((e) => [e.name, e.payload.toString("base64")]);
  const payload = Buffer.from(response.payload ?? new Uint8Array()).toString("base64");
  return JSON.stringify({
    writes,
    reads,
    ranges: stub.rwset.ranges,
    events,
    payload,
    status: response.status,
    message: response.message,
  });
}
