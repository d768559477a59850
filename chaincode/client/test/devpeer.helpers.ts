import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCertificateAuthority, createDevpeer, type Devpeer, issueIdentity } from "@clearbook/devpeer";
import { identityOf, privateKeySigner, type SigningIdentity } from "../src/index.js";

/** An in-process devpeer on a free port in a temporary directory; `dispose()` removes both. */
export async function startDevpeer(): Promise<Devpeer & { dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "clearbook-client-devpeer-"));
  const devpeer = await createDevpeer({ dir, port: 0 });
  return {
    ...devpeer,
    dir,
    async cleanup() {
      await devpeer.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The devpeer's platform admin as a signing identity. */
export function adminOf(devpeer: Devpeer): SigningIdentity {
  const { admin } = devpeer.credentials;
  return { identity: identityOf("ClearbookMSP", admin.certificatePem), sign: privateKeySigner(admin.privateKeyPem) };
}

/** A user issued by the devpeer's CA. */
export async function userOf(devpeer: Devpeer, userId: string, role: "user" | "admin" | "service" = "user") {
  const issued = await issueIdentity(devpeer.credentials.ca, { userId, role });
  return {
    certPem: issued.certificatePem,
    signer: {
      identity: identityOf("ClearbookMSP", issued.certificatePem),
      sign: privateKeySigner(issued.privateKeyPem),
    } satisfies SigningIdentity,
  };
}

/** A user of another CA: the peer must refuse them. */
export async function strangerOf(userId: string): Promise<SigningIdentity> {
  const ca = await createCertificateAuthority({ commonName: "not-clearbook" });
  const issued = await issueIdentity(ca, { userId, role: "user" });
  return { identity: identityOf("ClearbookMSP", issued.certificatePem), sign: privateKeySigner(issued.privateKeyPem) };
}
