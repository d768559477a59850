import { createPrivateKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { connect, type Gateway, signers } from "@hyperledger/fabric-gateway";
import {
  ALL_RUNTIME_PATCHES,
  type ChaincodeRuntimePatches,
  createDevpeer,
  type Devpeer,
  type DevpeerOptions,
  type IssuedIdentity,
  NO_RUNTIME_PATCHES,
  setChaincodeLogLevel,
} from "../src/index.js";
import { contracts } from "./fixtures/counter.contract.js";

// Contract errors are expected outcomes in these tests; keep the runtime quiet.
setChaincodeLogLevel("CRITICAL");

/** A private devpeer on a free port in a fresh temporary directory, running the fixture contract. */
/**
 * The runtime patches this test process runs with: all of them, as `npm start` does, unless
 * `DEVPEER_TEST_RUNTIME_PATCHES=none` (the package's `test` script runs the contract suite once
 * more that way, so a fabric-shim upgrade that breaks a patch, or a patch that changes behaviour,
 * fails a test).
 */
export const testRuntimePatches: ChaincodeRuntimePatches =
  process.env.DEVPEER_TEST_RUNTIME_PATCHES === "none" ? NO_RUNTIME_PATCHES : ALL_RUNTIME_PATCHES;

export async function startDevpeer(options: Partial<DevpeerOptions> = {}): Promise<Devpeer & { dir: string }> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "clearbook-devpeer-test-")));
  const devpeer = await createDevpeer({
    dir,
    port: 0,
    contracts,
    batchTimeoutMs: 5,
    runtimePatches: testRuntimePatches,
    ...options,
  });
  return Object.assign(devpeer, { dir });
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** An unmodified fabric-gateway client connected as `identity`. */
export function connectAs(
  devpeer: Devpeer,
  identity: IssuedIdentity,
  mspId = devpeer.connectionProfile.mspId,
): { gateway: Gateway; client: grpc.Client; close(): void } {
  const client = new grpc.Client(devpeer.address, grpc.credentials.createInsecure());
  const gateway = connect({
    client,
    identity: { mspId, credentials: Buffer.from(identity.certificatePem) },
    signer: signers.newPrivateKeySigner(createPrivateKey(identity.privateKeyPem)),
    evaluateOptions: () => ({ deadline: Date.now() + 5_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 5_000 }),
    submitOptions: () => ({ deadline: Date.now() + 5_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 10_000 }),
  });
  return {
    gateway,
    client,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}

/** Rejects after `ms` so no test waits forever. */
export function within<T>(ms: number, promise: Promise<T>, what = "operation"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export const utf8 = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
