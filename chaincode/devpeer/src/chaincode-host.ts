import "reflect-metadata";
import { createRequire } from "node:module";
import type { peer } from "@hyperledger/fabric-protos";
import { installChaincodeShims } from "./chaincode-shims.js";
import { preferCurrentProtobufClasses } from "./protobuf-registry.js";
import type { TxSimulator } from "./simulator.js";

const require = createRequire(import.meta.url);

/** A contract class as fabric-contract-api expects it (a subclass of `Contract`). */
export type ContractClass = new () => object;

/** What the chaincode answered: Fabric's `protos.Response` and the event it set, if any. */
export interface ChaincodeResult {
  status: number;
  message: string;
  payload: Uint8Array;
  event: { name: string; payload: Uint8Array } | undefined;
}

interface ShimResponse {
  status?: number;
  message?: string;
  payload?: Uint8Array;
}

interface ShimEvent {
  getEventName(): string;
  getPayload_asU8(): Uint8Array;
}

interface ShimStub {
  chaincodeEvent?: ShimEvent;
}

interface ShimChaincode {
  Invoke(stub: ShimStub): Promise<ShimResponse>;
}

type ChaincodeFromContractCtor = new (
  contracts: ContractClass[],
  serializers: unknown,
  metadata: object,
  title: string,
  version: string,
) => ShimChaincode;

type ChaincodeStubCtor = new (
  handler: TxSimulator,
  channelId: string,
  txId: string,
  input: peer.ChaincodeInput,
  signedProposal: peer.SignedProposal,
) => ShimStub;

function load<T>(id: string, pick: (module: Record<string, unknown>) => unknown): T {
  const loaded = pick(require(id) as Record<string, unknown>);
  if (typeof loaded !== "function") throw new Error(`${id} does not export the expected class`);
  return loaded as T;
}

/**
 * What the devpeer changes in third-party code, process-wide, when it first loads fabric-shim's
 * dispatcher (decision 0351). Nothing is patched on import: the caller of `createDevpeer` opts in.
 */
export interface ChaincodeRuntimePatches {
  /** The performance shims of `chaincode-shims.ts` (decision 0100): same results, less CPU. */
  chaincodeShims: boolean;
  /** Points the global `proto` namespace back at fabric-protos 0.3 (decision 0034). */
  protobufRegistry: boolean;
}

/** What `npm start` and the benchmarks run with. */
export const ALL_RUNTIME_PATCHES: ChaincodeRuntimePatches = { chaincodeShims: true, protobufRegistry: true };
/** fabric-shim and fabric-protos exactly as published. */
export const NO_RUNTIME_PATCHES: ChaincodeRuntimePatches = { chaincodeShims: false, protobufRegistry: false };

interface ChaincodeRuntime {
  patches: ChaincodeRuntimePatches;
  ChaincodeFromContract: ChaincodeFromContractCtor;
  ChaincodeStub: ChaincodeStubCtor;
  JSONSerializer: new () => object;
}

let runtime: ChaincodeRuntime | undefined;

/**
 * Loads fabric-shim's dispatcher once per process, installing the requested patches first (the
 * shims must precede the dispatcher: it binds `ClientIdentity` when it loads).
 * @throws when the dispatcher was already loaded with other patches (they cannot be undone).
 */
export function loadChaincodeRuntime(patches: ChaincodeRuntimePatches): ChaincodeRuntime {
  if (runtime) {
    const same =
      runtime.patches.chaincodeShims === patches.chaincodeShims &&
      runtime.patches.protobufRegistry === patches.protobufRegistry;
    if (!same) {
      throw new Error(
        `the chaincode runtime is already loaded with patches ${JSON.stringify(runtime.patches)}; ` +
          "patches are process-wide and chosen by the first devpeer started",
      );
    }
    return runtime;
  }
  if (patches.chaincodeShims) installChaincodeShims();
  // fabric-shim does not export these two from its index; they are the pieces the real chaincode
  // process uses to dispatch a transaction, which is what "runs the chaincode unmodified" requires.
  const ChaincodeFromContract = load<ChaincodeFromContractCtor>(
    "fabric-shim/lib/contract-spi/chaincodefromcontract.js",
    (m) => m,
  );
  const ChaincodeStub = load<ChaincodeStubCtor>("fabric-shim/lib/stub.js", (m) => m);
  const JSONSerializer = load<new () => object>("fabric-contract-api", (m) => m.JSONSerializer);
  if (patches.protobufRegistry) preferCurrentProtobufClasses();
  runtime = { patches: { ...patches }, ChaincodeFromContract, ChaincodeStub, JSONSerializer };
  return runtime;
}

/** The patches the chaincode runtime was loaded with, or null before the first devpeer. */
export function chaincodeRuntimePatches(): ChaincodeRuntimePatches | null {
  return runtime ? { ...runtime.patches } : null;
}

/** Fabric's chaincode log levels (CORE_CHAINCODE_LOGGING_LEVEL). */
export const ChaincodeLogLevel = ["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"] as const;
export type ChaincodeLogLevel = (typeof ChaincodeLogLevel)[number];

/**
 * Sets the log level of fabric-shim and fabric-contract-api, which log every decorator at start and
 * every contract error (a normal business outcome such as NOT_FOUND) at error level. Process-wide, and
 * like Fabric's own setLevel it sets CORE_CHAINCODE_LOGGING_LEVEL.
 */
export function setChaincodeLogLevel(level: ChaincodeLogLevel): void {
  for (const id of ["fabric-shim/lib/logger.js", "fabric-contract-api/lib/logger.js"]) {
    load<(level: string) => void>(id, (m) => m.setLevel)(level);
  }
  // Both setLevel functions store winston's name ("fatal") in CORE_CHAINCODE_LOGGING_LEVEL, which their
  // own getLogger then fails to map for loggers created later (contracts load after this): restore it.
  process.env.CORE_CHAINCODE_LOGGING_LEVEL = level;
}

/**
 * Hosts fabric-contract-api contracts in-process: each invocation builds fabric-shim's own
 * ChaincodeStub over a TxSimulator and dispatches through ChaincodeFromContract, as the chaincode
 * process would after receiving a TRANSACTION message from a peer.
 */
export class ChaincodeHost {
  readonly #chaincode: ShimChaincode;
  readonly #ChaincodeStub: ChaincodeStubCtor;

  /** `runtime` comes from `loadChaincodeRuntime`, called before the contracts are loaded. */
  constructor(
    runtime: ChaincodeRuntime,
    contracts: readonly ContractClass[],
    info: { title: string; version: string },
  ) {
    const serializers = { transaction: "jsonSerializer", serializers: { jsonSerializer: runtime.JSONSerializer } };
    // ChaincodeFromContract appends its system contract to the array it is given: pass a copy.
    this.#chaincode = new runtime.ChaincodeFromContract([...contracts], serializers, {}, info.title, info.version);
    this.#ChaincodeStub = runtime.ChaincodeStub;
  }

  /**
   * Runs the transaction named by `input` (`<contract>:<function>`, then the arguments).
   * @returns the chaincode's response; a thrown contract error arrives as status 500 with its message.
   */
  async invoke(
    simulator: TxSimulator,
    request: { channelId: string; txId: string; input: peer.ChaincodeInput; signedProposal: peer.SignedProposal },
  ): Promise<ChaincodeResult> {
    const stub = new this.#ChaincodeStub(
      simulator,
      request.channelId,
      request.txId,
      request.input,
      request.signedProposal,
    );
    const response = await this.#chaincode.Invoke(stub);
    const event = stub.chaincodeEvent;
    return {
      status: response.status ?? 500,
      message: response.message ?? "",
      payload: response.payload ?? new Uint8Array(0),
      event: event ? { name: event.getEventName(), payload: event.getPayload_asU8() } : undefined,
    };
  }
}

/**
 * Loads the project's chaincode, `@clearbook/contracts` (CommonJS compiled by tsc).
 * @throws with a hint to build it when it is missing or exports no `contracts` array.
 */
export function loadClearbookContracts(): ContractClass[] {
  let loaded: unknown;
  try {
    loaded = require("@clearbook/contracts");
  } catch (error) {
    throw new Error(
      `cannot load @clearbook/contracts (run \`npm run build -w @clearbook/contracts\`): ${(error as Error).message}`,
    );
  }
  const contracts = (loaded as { contracts?: unknown }).contracts;
  if (!Array.isArray(contracts) || contracts.length === 0 || !contracts.every((c) => typeof c === "function")) {
    throw new Error("@clearbook/contracts does not export a `contracts` array of contract classes");
  }
  return contracts as ContractClass[];
}
