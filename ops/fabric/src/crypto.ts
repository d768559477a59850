import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type CertificateAuthority,
  createCertificateAuthority,
  type IdentityRole,
  type IssuedIdentity,
  issueIdentity,
  type NodeRole,
} from "@clearbook/devpeer";

/** One organization's CA (it issues both the MSP and the TLS certificates) and its MSP directory. */
export interface OrgCrypto {
  mspId: string;
  dir: string;
  ca: CertificateAuthority;
  caCertPath: string;
  caKeyPath: string;
  /** The organization's verifying MSP (cacerts, tlscacerts, NodeOUs): what the channel config holds. */
  mspDir: string;
}

/** A node's or user's files: a local MSP to sign with and, for nodes, a TLS key pair. */
export interface MemberCrypto {
  mspDir: string;
  certPath: string;
  keyPath: string;
  tls: { certPath: string; keyPath: string };
}

const nodeOus = (caFile: string) => `NodeOUs:
  Enable: true
  ClientOUIdentifier:
    Certificate: cacerts/${caFile}
    OrganizationalUnitIdentifier: client
  PeerOUIdentifier:
    Certificate: cacerts/${caFile}
    OrganizationalUnitIdentifier: peer
  AdminOUIdentifier:
    Certificate: cacerts/${caFile}
    OrganizationalUnitIdentifier: admin
  OrdererOUIdentifier:
    Certificate: cacerts/${caFile}
    OrganizationalUnitIdentifier: orderer
`;

async function writeVerifyingMsp(dir: string, caPem: string): Promise<void> {
  await mkdir(join(dir, "cacerts"), { recursive: true });
  await mkdir(join(dir, "tlscacerts"), { recursive: true });
  await writeFile(join(dir, "cacerts", "ca.pem"), caPem);
  await writeFile(join(dir, "tlscacerts", "ca.pem"), caPem);
  await writeFile(join(dir, "config.yaml"), nodeOus("ca.pem"));
}

async function writePair(dir: string, pair: IssuedIdentity, certName: string, keyName: string) {
  await mkdir(dir, { recursive: true });
  const certPath = join(dir, certName);
  const keyPath = join(dir, keyName);
  await writeFile(certPath, pair.certificatePem);
  await writeFile(keyPath, pair.privateKeyPem, { mode: 0o600 });
  return { certPath, keyPath };
}

/** Creates an organization: a fresh CA under `<dir>/ca` and its verifying MSP under `<dir>/msp`. */
export async function createOrg(dir: string, mspId: string): Promise<OrgCrypto> {
  const ca = await createCertificateAuthority({ commonName: `${mspId.toLowerCase()}-ca` });
  const caDir = join(dir, "ca");
  await mkdir(caDir, { recursive: true });
  const caCertPath = join(caDir, "cert.pem");
  const caKeyPath = join(caDir, "key.pem");
  await writeFile(caCertPath, ca.certificatePem);
  await writeFile(caKeyPath, ca.privateKeyPem, { mode: 0o600 });
  const mspDir = join(dir, "msp");
  await writeVerifyingMsp(mspDir, ca.certificatePem);
  return { mspId, dir, ca, caCertPath, caKeyPath, mspDir };
}

/**
 * Issues a member of `org` (a peer, an orderer, the organization's admin, or a platform user) with a
 * local MSP under `<org>/<name>/msp` and a TLS pair for 127.0.0.1 and `name` under `<org>/<name>/tls`.
 */
export async function issueMember(org: OrgCrypto, name: string, role: NodeRole | IdentityRole): Promise<MemberCrypto> {
  const dir = join(org.dir, name);
  const mspDir = join(dir, "msp");
  await writeVerifyingMsp(mspDir, org.ca.certificatePem);
  const signing = await issueIdentity(org.ca, { userId: name, role });
  await mkdir(join(mspDir, "signcerts"), { recursive: true });
  await mkdir(join(mspDir, "keystore"), { recursive: true });
  const certPath = join(mspDir, "signcerts", "cert.pem");
  const keyPath = join(mspDir, "keystore", "key.pem");
  await writeFile(certPath, signing.certificatePem);
  await writeFile(keyPath, signing.privateKeyPem, { mode: 0o600 });
  const tlsPair = await issueIdentity(org.ca, {
    userId: name,
    role,
    tls: { hosts: ["127.0.0.1", "localhost", name] },
  });
  const tls = await writePair(join(dir, "tls"), tlsPair, "cert.pem", "key.pem");
  return { mspDir, certPath, keyPath, tls };
}
