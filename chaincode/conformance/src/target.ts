import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ConnectionProfile,
  identityOf,
  loadConnectionProfile,
  parseConnectionProfile,
  privateKeySigner,
  type SigningIdentity,
} from "@clearbook/client";
import {
  type CertificateAuthority,
  type ChaincodeRuntimePatches,
  createDevpeer,
  type IdentityRole,
  issueIdentity,
} from "@clearbook/devpeer";
import { findFabric, startNetworkRetrying, waitUntilServing } from "@clearbook/fabric";

/**
 * The gateway concurrency limit both targets run with here: small, so that going over it takes a
 * few dozen calls rather than Fabric's default 500.
 */
export const GATEWAY_LIMIT = 40;

/** A network the conformance checks run against. */
export interface Target {
  name: "devpeer" | "fabric";
  profile: ConnectionProfile;
  /** The platform admin (a client identity with the `admin` role). */
  admin: SigningIdentity;
  /** The client organization's CA, which issues users. */
  ca: CertificateAuthority;
  dispose(): Promise<void>;
}

/** Issues a user of the target's organization and returns it as a signing identity. */
export async function issueUser(target: Target, userId: string, role: IdentityRole = "user") {
  const issued = await issueIdentity(target.ca, { userId, role });
  return {
    userId,
    certPem: issued.certificatePem,
    keyPem: issued.privateKeyPem,
    signer: {
      identity: identityOf(target.profile.mspId, issued.certificatePem),
      sign: privateKeySigner(issued.privateKeyPem),
    } satisfies SigningIdentity,
  };
}

/**
 * A devpeer in a temporary directory. `runtimePatches`: the fabric-shim and protobuf patches it
 * installs (process-wide; default none, as `createDevpeer`; decision 0351).
 */
export async function startDevpeerTarget(runtimePatches?: ChaincodeRuntimePatches): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-conformance-devpeer-"));
  const devpeer = await createDevpeer({
    dir,
    port: 0,
    gatewayConcurrencyLimit: GATEWAY_LIMIT,
    ...(runtimePatches ? { runtimePatches } : {}),
  });
  const { admin, ca } = devpeer.credentials;
  return {
    name: "devpeer",
    profile: parseConnectionProfile(devpeer.connectionProfile),
    admin: { identity: identityOf("ClearbookMSP", admin.certificatePem), sign: privateKeySigner(admin.privateKeyPem) },
    ca,
    async dispose() {
      await devpeer.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Whether Fabric's binaries are there, and if not, why. */
export const fabricAvailability = () => findFabric();

/**
 * A real Fabric 2.5 network (one Raft orderer, one peer) in a temporary directory, with a short batch
 * timeout so that the checks' sequential transactions do not wait on block cutting.
 */
export async function startFabricTarget(): Promise<Target> {
  const found = findFabric();
  if ("missing" in found) throw new Error(`Fabric not found: ${found.missing.join("; ")}`);
  const dir = await mkdtemp(join(tmpdir(), "clearbook-conformance-fabric-"));
  const network = await startNetworkRetrying({
    dir,
    fabric: found.found,
    shape: "quick",
    batchTimeoutMs: 20,
    gatewayConcurrencyLimit: GATEWAY_LIMIT,
  });
  try {
    await waitUntilServing(network.profilePath);
    const profile = await loadConnectionProfile(network.profilePath);
    if (!profile.admin || !profile.ca) throw new Error("the network's profile has no admin or CA");
    return {
      name: "fabric",
      profile,
      admin: {
        identity: identityOf(profile.mspId, await readFile(profile.admin.certPath, "utf8")),
        sign: privateKeySigner(await readFile(profile.admin.keyPath, "utf8")),
      },
      ca: {
        certificatePem: await readFile(profile.ca.certPath, "utf8"),
        privateKeyPem: await readFile(profile.ca.keyPath, "utf8"),
      },
      async dispose() {
        await network.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await network.stop();
    throw error;
  }
}
