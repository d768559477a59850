import { createPrivateKey } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { BlockCutter } from "./block-cutter.js";
import { type DevCredentials, loadOrCreateCredentials } from "./ca.js";
import {
  ChaincodeHost,
  type ChaincodeRuntimePatches,
  type ContractClass,
  loadChaincodeRuntime,
  loadClearbookContracts,
  NO_RUNTIME_PATCHES,
} from "./chaincode-host.js";
import { createDeliverService } from "./deliver.service.js";
import { lockDirectory } from "./dir-lock.js";
import { Endorser } from "./endorser.js";
import { createGatewayService } from "./gateway.service.js";
import { widenConnectionWindows } from "./http2-window.js";
import { Ledger } from "./ledger.js";
import { MspVerifier, serializeIdentity } from "./msp.js";
import { PreparedTransactions } from "./prepared-transactions.js";
import { DeliverService, GatewayService } from "./service-definitions.js";
import type { PendingTransaction } from "./validator.js";
import { type ChainVerification, verifyChainFiles } from "./verify.js";

/** How a program reaches the devpeer; written to `<dir>/connection.json`. */
export interface ConnectionProfile {
  endpoint: string;
  tls: false;
  tlsRootCertPath: null;
  channel: string;
  chaincode: string;
  mspId: string;
  admin: { certPath: string; keyPath: string };
  ca: { certPath: string; keyPath: string };
}

/** Where the devpeer reports; a pino logger fits. */
export interface DevpeerLogger {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

export interface DevpeerOptions {
  /** The devpeer's own directory (blocks, CA, identities, connection.json), e.g. `<repo>/.data/devpeer`. */
  dir: string;
  host?: string;
  /** 0 picks a free port (tests). Default 7051. */
  port?: number;
  channel?: string;
  chaincode?: string;
  chaincodeVersion?: string;
  mspId?: string;
  /** Contract classes to run; default: `@clearbook/contracts`. */
  contracts?: readonly ContractClass[];
  /**
   * Patches to fabric-shim and the protobuf namespace, process-wide, installed by the first devpeer
   * of the process (decision 0351); default: none. `main.ts` and the benchmarks pass
   * `ALL_RUNTIME_PATCHES`.
   */
  runtimePatches?: ChaincodeRuntimePatches;
  /** Cut a block at this many transactions (default 500)… */
  batchSize?: number;
  /** …or this long after its first transaction (default 10 ms). */
  batchTimeoutMs?: number;
  logger?: DevpeerLogger;
  /** Gateway calls served at once before one more is refused, as Fabric does (default 500). */
  gatewayConcurrencyLimit?: number;
  /** Wall clock for certificate validity checks. */
  now?: () => number;
}

/** A running devpeer. */
export interface Devpeer {
  /** `host:port` actually bound. */
  address: string;
  connectionProfile: ConnectionProfile;
  connectionProfilePath: string;
  credentials: DevCredentials;
  /** Current number of blocks. */
  height(): number;
  /** Re-reads the stored chain and checks data hashes, the header chain and block signatures. */
  verifyChain(): Promise<ChainVerification>;
  /** Stops accepting calls, commits what was submitted, closes the block file. */
  dispose(): Promise<void>;
}

const silentLogger: DevpeerLogger = { info() {}, warn() {}, error() {} };

/**
 * Starts a development peer: creates (once) the dev CA, the admin and the peer identity in
 * `options.dir`, opens (or creates) the ledger, and serves `gateway.Gateway` and `protos.Deliver` on
 * gRPC. Reads no environment.
 * @returns the running devpeer.
 * @throws when the stored chain does not verify, the contracts cannot be loaded, the port is taken, or
 *   another devpeer uses the directory (DirectoryInUseError).
 */
export async function createDevpeer(options: DevpeerOptions): Promise<Devpeer> {
  await mkdir(options.dir, { recursive: true });
  const unlock = await lockDirectory(options.dir);
  try {
    return await start(options, unlock);
  } catch (error) {
    await unlock();
    throw error;
  }
}

async function start(options: DevpeerOptions, unlock: () => Promise<void>): Promise<Devpeer> {
  const channelId = options.channel ?? "clearbook";
  const chaincodeName = options.chaincode ?? "clearbook";
  const mspId = options.mspId ?? "ClearbookMSP";
  const logger = options.logger ?? silentLogger;
  const credentials = await loadOrCreateCredentials(options.dir);
  const msp = new MspVerifier({ mspId, caCertificatePem: credentials.ca.certificatePem, now: options.now });
  const signer = {
    identity: serializeIdentity(mspId, credentials.peer.certificatePem),
    privateKey: createPrivateKey(credentials.peer.privateKeyPem),
  };
  const runtime = loadChaincodeRuntime(options.runtimePatches ?? NO_RUNTIME_PATCHES);
  const host = new ChaincodeHost(runtime, options.contracts ?? loadClearbookContracts(), {
    title: chaincodeName,
    version: options.chaincodeVersion ?? "1.0",
  });
  const ledger = await Ledger.open({
    dir: options.dir,
    channelId,
    chaincodeName,
    mspId,
    caCertificatePem: credentials.ca.certificatePem,
    msp,
    signer,
    now: options.now,
  });

  const cutter = new BlockCutter<PendingTransaction>({
    maxMessageCount: options.batchSize ?? 500,
    batchTimeoutMs: options.batchTimeoutMs ?? 10,
    onBatch: async (batch) => {
      await ledger.commit(batch);
    },
    onError: (error) => logger.error({ err: error }, "committing a block failed"),
  });
  const onInternalError = (error: unknown) => logger.error({ err: error }, "request failed");
  const prepared = new PreparedTransactions();
  const endorser = new Endorser({
    channelId,
    chaincode: { name: chaincodeName, version: options.chaincodeVersion ?? "1.0" },
    msp,
    host,
    ledger,
    signer,
    prepared,
  });

  // channelz keeps per-call statistics nobody reads here; it costs CPU on every call.
  const server = new Server({ "grpc.max_receive_message_length": 100 * 1024 * 1024, "grpc.enable_channelz": 0 });
  const requestedHost = options.host ?? "127.0.0.1";
  let address = "";
  const source = { address: "", mspId };
  server.addService(
    GatewayService,
    createGatewayService({
      channelId,
      chaincodeName,
      endorser,
      ledger,
      msp,
      prepared,
      order: (tx) => cutter.add(tx),
      source,
      onInternalError,
      ...(options.gatewayConcurrencyLimit === undefined ? {} : { concurrencyLimit: options.gatewayConcurrencyLimit }),
    }),
  );
  server.addService(DeliverService, createDeliverService({ channelId, ledger, msp, onInternalError }));
  let stopWidening = () => {};
  try {
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${requestedHost}:${options.port ?? 7051}`,
        ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    address = `${requestedHost}:${port}`;
    source.address = address;
    stopWidening = widenConnectionWindows(port);
  } catch (error) {
    await ledger.close();
    throw error;
  }

  const connectionProfile: ConnectionProfile = {
    endpoint: address,
    tls: false,
    tlsRootCertPath: null,
    channel: channelId,
    chaincode: chaincodeName,
    mspId,
    admin: credentials.admin.files,
    ca: credentials.ca.files,
  };
  const connectionProfilePath = join(options.dir, "connection.json");
  await writeFile(connectionProfilePath, `${JSON.stringify(connectionProfile, null, 2)}\n`);
  logger.info({ address, height: ledger.height, dir: options.dir }, "devpeer listening");

  let disposed: Promise<void> | undefined;
  return {
    address,
    connectionProfile,
    connectionProfilePath,
    credentials,
    height: () => ledger.height,
    verifyChain: async () => {
      await cutter.flush();
      return verifyChainFiles(options.dir);
    },
    dispose: () => {
      disposed ??= (async () => {
        // Refuse new calls, then commit what was submitted so waiting CommitStatus calls get answered.
        const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
        await cutter.flush();
        // Event and deliver streams never end by themselves: give calls a moment, then cut them.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, 500)))]);
        clearTimeout(timer);
        server.forceShutdown();
        stopWidening();
        await ledger.close();
        await unlock();
        logger.info({ height: ledger.height }, "devpeer stopped");
      })();
      return disposed;
    },
  };
}
